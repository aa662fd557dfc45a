import Foundation

/// A queue's numbers as the inspector shows them, parsed from the `currentStats` script's reply.
public struct QueueStats: Sendable, Equatable {
    /// Why a `currentStats` reply could not be parsed.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The reply did not have exactly 13 elements.
        case wrongCount(Int)
        /// Element `index` (1-based, as in the layout) was not a non-negative decimal integer.
        case notANumber(index: Int)

        /// A one-line explanation.
        public var description: String {
            switch self {
            case .wrongCount(let count): "queue stats: expected 13 values, got \(count)"
            case .notANumber(let index): "queue stats: value \(index) is not a non-negative integer"
            }
        }
    }

    /// Tasks in the pending list.
    public var pending: Int64
    /// Tasks in the active list.
    public var active: Int64
    /// Tasks in the scheduled zset.
    public var scheduled: Int64
    /// Tasks in the retry zset.
    public var retry: Int64
    /// Tasks in the archived zset.
    public var archived: Int64
    /// Tasks in the completed zset.
    public var completed: Int64
    /// Tasks waiting in groups.
    public var aggregating: Int64
    /// Tasks processed (succeeded or failed) on the UTC day of the query.
    public var processedToday: Int64
    /// Tasks failed on the UTC day of the query.
    public var failedToday: Int64
    /// Tasks processed since the counter was created (or last wrapped).
    public var processedTotal: Int64
    /// Tasks failed since the counter was created (or last wrapped).
    public var failedTotal: Int64
    /// Whether the queue is paused.
    public var paused: Bool
    /// How long the oldest pending task has waited; zero when none is pending or its `pending_since` is missing.
    public var latency: Duration

    /// The sum of the seven state counts, as asynq's "size".
    public var size: Int64 {
        [pending, active, scheduled, retry, archived, completed, aggregating].reduce(0, QueueClock.adding)
    }

    /// Parses the reply of `QueueScripts.currentStats`: 13 decimal strings in the order pending, active,
    /// scheduled, retry, archived, completed, aggregating, processed today, failed today, processed total, failed
    /// total, paused (0/1), oldest `pending_since` in Unix ns (0 = none). Latency is `now` minus that, never
    /// negative.
    public init(currentStatsReply reply: [[UInt8]], now: Date) throws(ParseError) {
        guard reply.count == 13 else { throw .wrongCount(reply.count) }
        var values: [Int64] = []
        for (offset, element) in reply.enumerated() {
            guard let value = Int64(String(decoding: element, as: UTF8.self)), value >= 0 else {
                throw .notANumber(index: offset + 1)
            }
            values.append(value)
        }
        pending = values[0]
        active = values[1]
        scheduled = values[2]
        retry = values[3]
        archived = values[4]
        completed = values[5]
        aggregating = values[6]
        processedToday = values[7]
        failedToday = values[8]
        processedTotal = values[9]
        failedTotal = values[10]
        paused = values[11] != 0
        let since = values[12]
        let waited = since == 0 ? 0 : max(0, QueueClock.adding(QueueClock.nanoseconds(now), -since))
        latency = .nanoseconds(waited)
    }

    /// Parses the same reply given as text.
    public init(currentStatsReply reply: [String], now: Date) throws(ParseError) {
        try self.init(currentStatsReply: reply.map { Array($0.utf8) }, now: now)
    }
}

/// One task as the inspector shows it: the decoded message, its state, and what its container adds.
public struct TaskInfo: Sendable, Equatable {
    /// The decoded `msg`.
    public var message: TaskMessage
    /// The hash's `state`.
    public var state: TaskState
    /// For scheduled and retry tasks, the zset score: when the task becomes pending.
    public var nextProcessAt: Date?
    /// The hash's `result`, if the handler wrote one.
    public var result: [UInt8]?

    /// A task description.
    public init(message: TaskMessage, state: TaskState, nextProcessAt: Date? = nil, result: [UInt8]? = nil) {
        self.message = message
        self.state = state
        self.nextProcessAt = nextProcessAt
        self.result = result
    }
}
