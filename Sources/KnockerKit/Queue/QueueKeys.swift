import Foundation

/// The state of a task, exactly as stored in the `state` field of its hash. Several scripts build the container
/// key as `asynq:{q}:` + state, and the inspector rejects any other value.
public enum TaskState: String, Sendable, CaseIterable {
    /// Waiting in `asynq:{q}:pending`.
    case pending
    /// Being processed: in `asynq:{q}:active` and `asynq:{q}:lease`.
    case active
    /// Waiting for its process-at time in `asynq:{q}:scheduled`.
    case scheduled
    /// Waiting for its retry time in `asynq:{q}:retry`.
    case retry
    /// Dead, in `asynq:{q}:archived`.
    case archived
    /// Succeeded and kept for its retention in `asynq:{q}:completed`.
    case completed
    /// Waiting in a group `asynq:{q}:g:<group>` for aggregation.
    case aggregating
}

/// Redis key names of the asynq v0.25 layout. The braces around queue names are literal characters (a Redis
/// Cluster hash tag): queue `1` has the pending list `asynq:{1}:pending`.
public enum QueueKeys {
    /// SET of every queue name a client has enqueued to.
    public static let allQueues = "asynq:queues"
    /// ZSET of server-info key names, scored by expiry (Unix seconds).
    public static let allServers = "asynq:servers"
    /// ZSET of workers key names, scored by expiry (Unix seconds).
    public static let allWorkers = "asynq:workers"
    /// Pub/Sub channel; each message is the ID of a task to cancel.
    public static let cancelChannel = "asynq:cancel"

    /// `asynq:{q}:`, the prefix of every per-queue key.
    public static func queuePrefix(_ queue: String) -> String { "asynq:{" + queue + "}:" }
    /// `asynq:{q}:t:`, the prefix of task hashes.
    public static func taskKeyPrefix(_ queue: String) -> String { queuePrefix(queue) + "t:" }
    /// `asynq:{q}:t:<id>`, the hash of one task.
    public static func task(_ queue: String, id: String) -> String { taskKeyPrefix(queue) + id }
    /// `asynq:{q}:pending` (LIST; right end is served next).
    public static func pending(_ queue: String) -> String { queuePrefix(queue) + "pending" }
    /// `asynq:{q}:active` (LIST).
    public static func active(_ queue: String) -> String { queuePrefix(queue) + "active" }
    /// `asynq:{q}:lease` (ZSET scored by lease expiry).
    public static func lease(_ queue: String) -> String { queuePrefix(queue) + "lease" }
    /// `asynq:{q}:scheduled` (ZSET scored by process-at time).
    public static func scheduled(_ queue: String) -> String { queuePrefix(queue) + "scheduled" }
    /// `asynq:{q}:retry` (ZSET scored by retry time).
    public static func retry(_ queue: String) -> String { queuePrefix(queue) + "retry" }
    /// `asynq:{q}:archived` (ZSET scored by archive time).
    public static func archived(_ queue: String) -> String { queuePrefix(queue) + "archived" }
    /// `asynq:{q}:completed` (ZSET scored by expiry).
    public static func completed(_ queue: String) -> String { queuePrefix(queue) + "completed" }
    /// `asynq:{q}:paused`; the queue is paused while this key exists.
    public static func paused(_ queue: String) -> String { queuePrefix(queue) + "paused" }
    /// `asynq:{q}:processed`, the all-time processed counter.
    public static func processedTotal(_ queue: String) -> String { queuePrefix(queue) + "processed" }
    /// `asynq:{q}:failed`, the all-time failure counter.
    public static func failedTotal(_ queue: String) -> String { queuePrefix(queue) + "failed" }
    /// `asynq:{q}:processed:YYYY-MM-DD` for the UTC day of `date`.
    public static func processed(_ queue: String, on date: Date) -> String {
        processedTotal(queue) + ":" + Timestamp.day(date)
    }
    /// `asynq:{q}:failed:YYYY-MM-DD` for the UTC day of `date`.
    public static func failed(_ queue: String, on date: Date) -> String {
        failedTotal(queue) + ":" + Timestamp.day(date)
    }
    /// `asynq:{q}:groups` (SET of groups holding aggregating tasks).
    public static func groups(_ queue: String) -> String { queuePrefix(queue) + "groups" }
    /// `asynq:{q}:g:`, the prefix of group keys.
    public static func groupKeyPrefix(_ queue: String) -> String { queuePrefix(queue) + "g:" }
    /// `asynq:{q}:g:<group>` (ZSET of aggregating task IDs).
    public static func group(_ queue: String, name: String) -> String { groupKeyPrefix(queue) + name }
    /// `asynq:{q}:aggregation_sets` (ZSET of aggregation-set key names scored by deadline).
    public static func aggregationSets(_ queue: String) -> String { queuePrefix(queue) + "aggregation_sets" }

    /// The container of tasks in `state`, `asynq:{q}:<state>`. Aggregating tasks live in group keys instead, so
    /// this returns nil for `.aggregating`.
    public static func container(_ queue: String, state: TaskState) -> String? {
        state == .aggregating ? nil : queuePrefix(queue) + state.rawValue
    }

    /// The uniqueness lock `asynq:{q}:unique:<type>:<md5hex(payload)>`. A nil payload (Go's nil slice) gives a key
    /// ending in `<type>:`; an empty payload gives the MD5 of empty input.
    public static func unique(_ queue: String, type: String, payload: [UInt8]?) -> String {
        let digest = payload.map { Digest.hex(Digest.md5($0)) } ?? ""
        return queuePrefix(queue) + "unique:" + type + ":" + digest
    }

    /// `asynq:servers:{host:pid:serverID}`, where the heartbeat stores `ServerInfo`.
    public static func serverInfo(host: String, pid: Int32, serverID: String) -> String {
        "asynq:servers:{" + host + ":" + String(pid) + ":" + serverID + "}"
    }

    /// `asynq:workers:{host:pid:serverID}`, the hash of `WorkerInfo` by task ID.
    public static func workers(host: String, pid: Int32, serverID: String) -> String {
        "asynq:workers:{" + host + ":" + String(pid) + ":" + serverID + "}"
    }
}
