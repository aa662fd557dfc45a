import Foundation
import Synchronization

/// A dequeued task as a handler sees it.
public struct QueueTask: Sendable {
    public let message: TaskMessage
    /// When this run must have finished; the handler's task is cancelled then.
    public let deadline: Date
    /// The work slot it holds (``QueueServerConfiguration/workConcurrency``), if the server has them.
    let workSlot: QueueWorkSlot?

    init(message: TaskMessage, deadline: Date, workSlot: QueueWorkSlot? = nil) {
        self.message = message
        self.deadline = deadline
        self.workSlot = workSlot
    }

    /// Gives back the task's work slot before the task ends (it keeps its place among the tasks held), so the server
    /// may take another task for its work. Idempotent; nothing happens without work slots.
    public func finishedWork() {
        workSlot?.release()
    }

    public var id: String { message.id }
    public var type: String { message.type }
    public var payload: [UInt8] { message.payload }
    public var queue: String { message.queue }
    /// How many times it was retried before this run.
    public var retried: Int { Int(message.retried) }
}

/// Runs tasks of some type. Throwing makes the run a failure: it is retried with backoff, or archived after its
/// last retry (or at once for ``TaskHandlingError/skipRetry(_:)``).
public protocol TaskHandler: Sendable {
    func handle(_ task: QueueTask) async throws
}

/// A handler made from a closure.
public struct TaskHandlerFunction: TaskHandler {
    private let body: @Sendable (QueueTask) async throws -> Void
    public init(_ body: @escaping @Sendable (QueueTask) async throws -> Void) { self.body = body }
    public func handle(_ task: QueueTask) async throws { try await body(task) }
}

/// Errors a handler throws to choose what happens to the task.
public enum TaskHandlingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Archive the task now instead of retrying it.
    case skipRetry(String)
    /// Delete the task as if it had succeeded (counted as processed, not failed).
    case revoke

    public var description: String {
        switch self {
        case .skipRetry(let reason): reason
        case .revoke: "task revoked"
        }
    }

    /// Whether `error` asks to archive without retrying.
    static func isSkipRetry(_ error: any Error) -> Bool {
        if case .skipRetry = error as? TaskHandlingError { return true }
        return false
    }
}

/// Picks a handler by task type: an exact match first, else the longest registered prefix (asynq's ServeMux rule).
public struct TaskMux: Sendable {
    private var exact: [String: any TaskHandler] = [:]
    private var prefixes: [(prefix: String, handler: any TaskHandler)] = []

    public init() {}

    /// Handles tasks whose type is `type`, or starts with it when no exact match exists.
    public mutating func handle(_ type: String, with handler: any TaskHandler) {
        exact[type] = handler
        prefixes.append((type, handler))
        prefixes.sort { $0.prefix.count > $1.prefix.count }
    }

    /// Handles tasks of `type` with a closure.
    public mutating func handle(_ type: String, _ body: @escaping @Sendable (QueueTask) async throws -> Void) {
        handle(type, with: TaskHandlerFunction(body))
    }

    /// The handler for `type`, or nil when none matches.
    public func handler(for type: String) -> (any TaskHandler)? {
        exact[type] ?? prefixes.first { type.hasPrefix($0.prefix) }?.handler
    }
}

/// A work slot held by one task, given back once: by the task (``QueueTask/finishedWork()``) or when it ends.
final class QueueWorkSlot: Sendable {
    private let slots: AsyncSlots
    private let released = Atomic<Bool>(false)

    init(_ slots: AsyncSlots) {
        self.slots = slots
    }

    func release() {
        if !released.exchange(true, ordering: .acquiringAndReleasing) { slots.release() }
    }
}
