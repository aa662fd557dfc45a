import Foundation

/// How a task is enqueued. The defaults are asynq's: queue `default`, 25 retries, a 30-minute timeout when
/// neither a timeout nor a deadline is given.
public struct TaskOptions: Sendable, Equatable {
    public var queue: String
    public var maxRetry: Int
    /// How long one run may take (whole seconds are kept).
    public var timeout: Duration?
    /// The time by which a run must finish.
    public var deadline: Date?
    /// While a task with the same type and payload holds the lock (this long), another is refused.
    public var uniqueFor: Duration?
    /// Run no earlier than this; a time in the past or now means "now".
    public var processAt: Date?
    /// A caller-chosen ID instead of a new UUID.
    public var taskID: String?
    /// Keep the task this long after it succeeds (state `completed`).
    public var retention: Duration?

    public init(
        queue: String = "default",
        maxRetry: Int = 25,
        timeout: Duration? = nil,
        deadline: Date? = nil,
        uniqueFor: Duration? = nil,
        processAt: Date? = nil,
        taskID: String? = nil,
        retention: Duration? = nil
    ) {
        self.queue = queue
        self.maxRetry = maxRetry
        self.timeout = timeout
        self.deadline = deadline
        self.uniqueFor = uniqueFor
        self.processAt = processAt
        self.taskID = taskID
        self.retention = retention
    }
}

/// A task to enqueue.
public struct NewTask: Sendable, Equatable {
    public var type: String
    public var payload: [UInt8]
    public var options: TaskOptions

    public init(type: String, payload: [UInt8], options: TaskOptions = TaskOptions()) {
        self.type = type
        self.payload = payload
        self.options = options
    }
}

/// A task that is in a queue now.
public struct EnqueuedTask: Sendable, Equatable {
    public var id: String
    public var queue: String
    /// `pending` or `scheduled`.
    public var state: TaskState
    /// When it becomes due, for scheduled tasks.
    public var processAt: Date?
}

/// Why a task was not enqueued.
public enum EnqueueError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A task with the same type and payload holds the uniqueness lock.
    case duplicateTask(uniqueKey: String)
    /// A task with this ID already exists in the queue.
    case taskIDConflict(id: String)
    /// The task or its options are invalid.
    case invalid(String)

    public var description: String {
        switch self {
        case .duplicateTask(let key): "a task with the same type and payload is already queued (\(key))"
        case .taskIDConflict(let id): "a task with ID \(id) already exists"
        case .invalid(let reason): reason
        }
    }
}

extension NewTask {
    /// The asynq message for this task, as the Go client composes it.
    func message(now: Date, makeID: () -> String) throws(EnqueueError) -> TaskMessage {
        guard !type.trimmingCharacters(in: " \t\n").isEmpty else {
            throw .invalid("the task type must not be empty")
        }
        guard !options.queue.trimmingCharacters(in: " \t\n").isEmpty else {
            throw .invalid("the queue name must not be empty")
        }
        if let id = options.taskID, id.trimmingCharacters(in: " \t\n").isEmpty {
            throw .invalid("the task ID must not be empty")
        }
        if let unique = options.uniqueFor, unique < .seconds(1) {
            throw .invalid("a uniqueness period must be at least 1 second")
        }
        var message = TaskMessage()
        message.type = type
        message.payload = payload
        message.id = options.taskID ?? makeID()
        message.queue = options.queue
        message.retry = Int32(clamping: max(0, options.maxRetry))
        switch (options.timeout, options.deadline) {
        case (nil, nil):
            message.timeout = TaskDeadline.fallbackTimeout
        case (let timeout?, _):
            message.timeout = max(0, timeout.components.seconds)
        case (nil, _):
            message.timeout = 0
        }
        if let deadline = options.deadline {
            message.deadline = QueueClock.seconds(deadline)
        }
        if options.uniqueFor != nil {
            message.uniqueKey = QueueKeys.unique(options.queue, type: type, payload: payload)
        }
        if let retention = options.retention {
            message.retention = max(0, retention.components.seconds)
        }
        return message
    }
}
