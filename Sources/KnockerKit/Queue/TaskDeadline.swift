import Foundation

/// When a dequeued task's handler must finish, from the message's `timeout` and `deadline` (asynq §3.5).
public struct TaskDeadline: Sendable, Equatable {
    /// The timeout used when a message has neither a timeout nor a deadline: 30 minutes.
    public static let fallbackTimeout: Int64 = 1800

    /// Deadline in whole Unix seconds.
    public let unixSeconds: Int64
    /// True when the message had neither timeout nor deadline, which asynq logs as an internal error before
    /// falling back to now + 30 minutes.
    public let isInternalFallback: Bool

    /// A deadline at `unixSeconds`.
    public init(unixSeconds: Int64, isInternalFallback: Bool = false) {
        self.unixSeconds = unixSeconds
        self.isInternalFallback = isInternalFallback
    }

    /// The deadline for a message with `timeout` seconds (0 or less = none) and `deadline` Unix seconds (0 or less
    /// = none), dequeued at `now`:
    /// both → the earlier of now + timeout and deadline; only timeout → now + timeout; only deadline → deadline;
    /// neither → now + 30 minutes, flagged as the internal fallback. `now` is rounded down to whole seconds.
    public static func compute(timeout: Int64, deadline: Int64, now: Date) -> TaskDeadline {
        let nowSeconds = QueueClock.seconds(now)
        switch (timeout > 0, deadline > 0) {
        case (true, true):
            return TaskDeadline(unixSeconds: min(QueueClock.adding(nowSeconds, timeout), deadline))
        case (true, false):
            return TaskDeadline(unixSeconds: QueueClock.adding(nowSeconds, timeout))
        case (false, true):
            return TaskDeadline(unixSeconds: deadline)
        case (false, false):
            return TaskDeadline(
                unixSeconds: QueueClock.adding(nowSeconds, fallbackTimeout),
                isInternalFallback: true
            )
        }
    }

    /// The deadline for `message` dequeued at `now`.
    public static func compute(for message: TaskMessage, now: Date) -> TaskDeadline {
        compute(timeout: message.timeout, deadline: message.deadline, now: now)
    }

    /// The deadline as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(unixSeconds)) }
}
