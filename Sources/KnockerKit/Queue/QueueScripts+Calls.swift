import Foundation

/// KEYS and ARGV for one script run, in the order the script's comment lists them. Binary arguments (`msg`,
/// protobuf values) are raw bytes; numbers are decimal text.
public typealias QueueScriptArguments = (keys: [String], arguments: [[UInt8]])

/// Why a script call could not be built.
public enum QueueScriptError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A `…Unique` call was asked for a message whose `uniqueKey` is empty.
    case missingUniqueKey(taskID: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .missingUniqueKey(let taskID): "task \(taskID) has no unique key; use the non-unique script"
        }
    }
}

/// The constants asynq v0.25 uses around its scripts.
public enum QueueConstants {
    /// How long a dequeued task's lease lasts before it must be extended: 30 s.
    public static let leaseDuration: Int64 = 30
    /// How long daily counters live: 90 days, in seconds.
    public static let statsTTL: Int64 = 90 * 24 * 3600
    /// How long archived tasks are kept: 90 days, in seconds.
    public static let archivedExpiration: Int64 = 90 * 24 * 3600
    /// The archive keeps the newest `maxArchiveSize - 1` entries.
    public static let maxArchiveSize: Int64 = 10_000
    /// Forward and janitor scripts handle at most this many tasks per call.
    public static let batchSize: Int64 = 100
    /// Heartbeat TTL of server and workers data: 2 × the 5 s heartbeat.
    public static let serverStateTTL: Int64 = 10
    /// The value at which all-time counters are reset to 1.
    public static let counterMaximum = Int64.max
}

/// Encoding helpers for script arguments.
enum ScriptArgument {
    /// Decimal text of `value`.
    static func number(_ value: Int64) -> [UInt8] { Array(String(value).utf8) }
    /// UTF-8 of `text`.
    static func text(_ text: String) -> [UInt8] { Array(text.utf8) }
}

extension QueueScripts {
    /// Arguments of `enqueue`: KEYS [t:<id>, pending], ARGV [msg, id, now_ns].
    public static func enqueueCall(message: TaskMessage, now: Date) -> QueueScriptArguments {
        (
            [QueueKeys.task(message.queue, id: message.id), QueueKeys.pending(message.queue)],
            [message.encoded(), ScriptArgument.text(message.id), ScriptArgument.number(QueueClock.nanoseconds(now))]
        )
    }

    /// Arguments of `enqueueUnique`: KEYS [message.uniqueKey, t:<id>, pending], ARGV [id, lockTTL seconds (at
    /// least 1), msg, now_ns].
    public static func enqueueUniqueCall(
        message: TaskMessage,
        lockTTL: Int64,
        now: Date
    ) throws(QueueScriptError) -> QueueScriptArguments {
        guard !message.uniqueKey.isEmpty else { throw .missingUniqueKey(taskID: message.id) }
        return (
            [message.uniqueKey, QueueKeys.task(message.queue, id: message.id), QueueKeys.pending(message.queue)],
            [
                ScriptArgument.text(message.id), ScriptArgument.number(max(1, lockTTL)), message.encoded(),
                ScriptArgument.number(QueueClock.nanoseconds(now)),
            ]
        )
    }

    /// Arguments of `schedule`: KEYS [t:<id>, scheduled], ARGV [msg, processAt_s, id].
    public static func scheduleCall(message: TaskMessage, processAt: Date) -> QueueScriptArguments {
        (
            [QueueKeys.task(message.queue, id: message.id), QueueKeys.scheduled(message.queue)],
            [message.encoded(), ScriptArgument.number(QueueClock.seconds(processAt)), ScriptArgument.text(message.id)]
        )
    }

    /// Arguments of `scheduleUnique`: KEYS [message.uniqueKey, t:<id>, scheduled], ARGV [id, lock TTL, processAt_s,
    /// msg]. The lock TTL covers the wait: whole seconds from `now` to `processAt + uniqueTTL`, at least 1.
    public static func scheduleUniqueCall(
        message: TaskMessage,
        processAt: Date,
        uniqueTTL: Int64,
        now: Date
    ) throws(QueueScriptError) -> QueueScriptArguments {
        guard !message.uniqueKey.isEmpty else { throw .missingUniqueKey(taskID: message.id) }
        let wait = QueueClock.clampedInt64(processAt.timeIntervalSince(now).rounded(.down))
        let ttl = max(1, QueueClock.adding(wait, uniqueTTL))
        return (
            [message.uniqueKey, QueueKeys.task(message.queue, id: message.id), QueueKeys.scheduled(message.queue)],
            [
                ScriptArgument.text(message.id), ScriptArgument.number(ttl),
                ScriptArgument.number(QueueClock.seconds(processAt)), message.encoded(),
            ]
        )
    }

    /// Arguments of `dequeue`: KEYS [pending, paused, active, lease], ARGV [now_s + 30, "asynq:{q}:t:"].
    public static func dequeueCall(queue: String, now: Date) -> QueueScriptArguments {
        (
            [QueueKeys.pending(queue), QueueKeys.paused(queue), QueueKeys.active(queue), QueueKeys.lease(queue)],
            [leaseExpiry(now), ScriptArgument.text(QueueKeys.taskKeyPrefix(queue))]
        )
    }

    /// Arguments of `done`: KEYS [active, lease, t:<id>, processed:<UTC date>, processed], ARGV [id, now_s + 90 d,
    /// MaxInt64]. Use `doneUniqueCall` when `message.uniqueKey` is not empty.
    public static func doneCall(message: TaskMessage, now: Date) -> QueueScriptArguments {
        let q = message.queue
        return (
            [
                QueueKeys.active(q), QueueKeys.lease(q), QueueKeys.task(q, id: message.id),
                QueueKeys.processed(q, on: now), QueueKeys.processedTotal(q),
            ],
            [ScriptArgument.text(message.id), statsExpiry(now), ScriptArgument.number(QueueConstants.counterMaximum)]
        )
    }

    /// Arguments of `doneUnique`: `doneCall`'s KEYS plus message.uniqueKey; the same ARGV.
    public static func doneUniqueCall(message: TaskMessage, now: Date) throws(QueueScriptError) -> QueueScriptArguments
    {
        guard !message.uniqueKey.isEmpty else { throw .missingUniqueKey(taskID: message.id) }
        let call = doneCall(message: message, now: now)
        return (call.keys + [message.uniqueKey], call.arguments)
    }

    /// Arguments of `markAsComplete`: KEYS [active, lease, completed, t:<id>, processed:<UTC date>, processed],
    /// ARGV [id, now_s + 90 d, now_s + retention, msg with completed_at = now_s, MaxInt64]. Use
    /// `markAsCompleteUniqueCall` when `message.uniqueKey` is not empty.
    public static func markAsCompleteCall(message: TaskMessage, now: Date) -> QueueScriptArguments {
        let q = message.queue
        let nowSeconds = QueueClock.seconds(now)
        var completed = message
        completed.completedAt = nowSeconds
        return (
            [
                QueueKeys.active(q), QueueKeys.lease(q), QueueKeys.completed(q), QueueKeys.task(q, id: message.id),
                QueueKeys.processed(q, on: now), QueueKeys.processedTotal(q),
            ],
            [
                ScriptArgument.text(message.id), statsExpiry(now),
                ScriptArgument.number(QueueClock.adding(nowSeconds, message.retention)), completed.encoded(),
                ScriptArgument.number(QueueConstants.counterMaximum),
            ]
        )
    }

    /// Arguments of `markAsCompleteUnique`: `markAsCompleteCall`'s KEYS plus message.uniqueKey; the same ARGV.
    public static func markAsCompleteUniqueCall(
        message: TaskMessage,
        now: Date
    ) throws(QueueScriptError) -> QueueScriptArguments {
        guard !message.uniqueKey.isEmpty else { throw .missingUniqueKey(taskID: message.id) }
        let call = markAsCompleteCall(message: message, now: now)
        return (call.keys + [message.uniqueKey], call.arguments)
    }

    /// Arguments of `requeue`: KEYS [active, lease, pending, t:<id>], ARGV [id].
    public static func requeueCall(message: TaskMessage) -> QueueScriptArguments {
        let q = message.queue
        return (
            [QueueKeys.active(q), QueueKeys.lease(q), QueueKeys.pending(q), QueueKeys.task(q, id: message.id)],
            [ScriptArgument.text(message.id)]
        )
    }

    /// Arguments of `retry`: KEYS [t:<id>, active, lease, retry, processed:<date>, failed:<date>, processed,
    /// failed], ARGV [id, msg, retryAt_s, now_s + 90 d, "1"/"0", MaxInt64]. The msg is `message` with
    /// `errorMessage`, `lastFailedAt = now_s` and, when `isFailure`, `retried + 1`.
    public static func retryCall(
        message: TaskMessage,
        now: Date,
        retryAt: Date,
        errorMessage: String,
        isFailure: Bool
    ) -> QueueScriptArguments {
        let q = message.queue
        var failed = message
        if isFailure { failed.retried = failed.retried &+ 1 }
        failed.errorMessage = errorMessage
        failed.lastFailedAt = QueueClock.seconds(now)
        return (
            [
                QueueKeys.task(q, id: message.id), QueueKeys.active(q), QueueKeys.lease(q), QueueKeys.retry(q),
                QueueKeys.processed(q, on: now), QueueKeys.failed(q, on: now), QueueKeys.processedTotal(q),
                QueueKeys.failedTotal(q),
            ],
            [
                ScriptArgument.text(message.id), failed.encoded(), ScriptArgument.number(QueueClock.seconds(retryAt)),
                statsExpiry(now), ScriptArgument.text(isFailure ? "1" : "0"),
                ScriptArgument.number(QueueConstants.counterMaximum),
            ]
        )
    }

    /// Arguments of `archive`: KEYS [t:<id>, active, lease, archived, processed:<date>, failed:<date>, processed,
    /// failed, "asynq:{q}:t:"], ARGV [id, msg, now_s, now_s − 90 d, 10000, now_s + 90 d, MaxInt64]. The msg is
    /// `message` with `errorMessage` and `lastFailedAt = now_s`; `retried` is unchanged.
    public static func archiveCall(message: TaskMessage, now: Date, errorMessage: String) -> QueueScriptArguments {
        let q = message.queue
        let nowSeconds = QueueClock.seconds(now)
        var dead = message
        dead.errorMessage = errorMessage
        dead.lastFailedAt = nowSeconds
        return (
            [
                QueueKeys.task(q, id: message.id), QueueKeys.active(q), QueueKeys.lease(q), QueueKeys.archived(q),
                QueueKeys.processed(q, on: now), QueueKeys.failed(q, on: now), QueueKeys.processedTotal(q),
                QueueKeys.failedTotal(q), QueueKeys.taskKeyPrefix(q),
            ],
            [
                ScriptArgument.text(message.id), dead.encoded(), ScriptArgument.number(nowSeconds),
                ScriptArgument.number(QueueClock.adding(nowSeconds, -QueueConstants.archivedExpiration)),
                ScriptArgument.number(QueueConstants.maxArchiveSize), statsExpiry(now),
                ScriptArgument.number(QueueConstants.counterMaximum),
            ]
        )
    }

    /// Which zset `forward` drains.
    public enum ForwardSource: String, Sendable, CaseIterable {
        /// `asynq:{q}:scheduled`.
        case scheduled
        /// `asynq:{q}:retry`.
        case retry
    }

    /// Arguments of `forward`: KEYS [scheduled|retry, pending], ARGV [now_s, "asynq:{q}:t:", now_ns,
    /// "asynq:{q}:g:"].
    public static func forwardCall(queue: String, from source: ForwardSource, now: Date) -> QueueScriptArguments {
        let sourceKey = source == .scheduled ? QueueKeys.scheduled(queue) : QueueKeys.retry(queue)
        return (
            [sourceKey, QueueKeys.pending(queue)],
            [
                ScriptArgument.number(QueueClock.seconds(now)), ScriptArgument.text(QueueKeys.taskKeyPrefix(queue)),
                ScriptArgument.number(QueueClock.nanoseconds(now)),
                ScriptArgument.text(QueueKeys.groupKeyPrefix(queue)),
            ]
        )
    }

    /// Arguments of `listLeaseExpired`: KEYS [lease], ARGV [cutoff_s, "asynq:{q}:t:"]. The recoverer passes
    /// now − 30 s as the cutoff.
    public static func listLeaseExpiredCall(queue: String, cutoff: Date) -> QueueScriptArguments {
        (
            [QueueKeys.lease(queue)],
            [ScriptArgument.number(QueueClock.seconds(cutoff)), ScriptArgument.text(QueueKeys.taskKeyPrefix(queue))]
        )
    }

    /// Arguments of `deleteExpiredCompleted`: KEYS [completed], ARGV [now_s, "asynq:{q}:t:", 100].
    public static func deleteExpiredCompletedCall(queue: String, now: Date) -> QueueScriptArguments {
        (
            [QueueKeys.completed(queue)],
            [
                ScriptArgument.number(QueueClock.seconds(now)), ScriptArgument.text(QueueKeys.taskKeyPrefix(queue)),
                ScriptArgument.number(QueueConstants.batchSize),
            ]
        )
    }

    /// The whole command that extends leases (no script): `ZADD asynq:{q}:lease XX <now_s + 30> id …`. XX only
    /// updates IDs still present, so a task the recoverer or inspector took away is not revived. Returns nil when
    /// `ids` is empty (ZADD needs at least one member).
    public static func extendLeaseCommand(queue: String, ids: [String], now: Date) -> [[UInt8]]? {
        guard !ids.isEmpty else { return nil }
        let expiry = leaseExpiry(now)
        var command = [ScriptArgument.text("ZADD"), ScriptArgument.text(QueueKeys.lease(queue)), Array("XX".utf8)]
        for id in ids {
            command.append(expiry)
            command.append(ScriptArgument.text(id))
        }
        return command
    }

    /// The lease expiry a dequeue or lease extension at `now` sets: whole seconds, now + 30.
    public static func leaseExpiry(now: Date) -> Int64 {
        QueueClock.adding(QueueClock.seconds(now), QueueConstants.leaseDuration)
    }

    private static func leaseExpiry(_ now: Date) -> [UInt8] { ScriptArgument.number(leaseExpiry(now: now)) }

    private static func statsExpiry(_ now: Date) -> [UInt8] {
        ScriptArgument.number(QueueClock.adding(QueueClock.seconds(now), QueueConstants.statsTTL))
    }
}
