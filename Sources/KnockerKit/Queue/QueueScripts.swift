/// Lua scripts implementing the asynq v0.25 operations (reference §3), written for Knocker. They keep the same
/// keys, hash fields, return values and errors as the Go library, so Go workers, the asynq CLI and asynqmon can
/// share the queues, but their text (and therefore their SHA1) is our own.
///
/// Every script's comment lists KEYS and ARGV in order and what it returns. Use the matching `…Call` builder
/// (see `QueueScripts+Calls.swift`) to get KEYS and ARGV in that order. "OK" is `redis.status_reply("OK")`;
/// "NOT FOUND" and "INTERNAL" are `redis.error_reply` values. "Declared" scripts touch only keys passed in KEYS
/// (Dragonfly's default strict mode accepts them); "undeclared" ones build key names in Lua and need
/// `allow-undeclared-keys` there. All ZSET scores are whole Unix seconds; daily counter keys arrive in KEYS with
/// their UTC date already in the name.
public enum QueueScripts {
    /// Every script with a name, for loading, flag setting and validation.
    public static var all: [(name: String, source: String)] {
        [
            ("enqueue", enqueue), ("enqueueUnique", enqueueUnique), ("schedule", schedule),
            ("scheduleUnique", scheduleUnique), ("dequeue", dequeue), ("done", done), ("doneUnique", doneUnique),
            ("markAsComplete", markAsComplete), ("markAsCompleteUnique", markAsCompleteUnique),
            ("requeue", requeue), ("retry", retry), ("archive", archive), ("forward", forward),
            ("listLeaseExpired", listLeaseExpired), ("deleteExpiredCompleted", deleteExpiredCompleted),
            ("writeServerState", writeServerState), ("clearServerState", clearServerState),
            ("currentStats", currentStats), ("runTask", runTask), ("archiveTask", archiveTask),
            ("deleteTask", deleteTask),
        ]
    }

    /// Local Lua helpers for the counters: a daily key gets its EXPIREAT only when INCR creates it (returns 1);
    /// an all-time key is reset to 1 when it holds the maximum (passed in, as text, so the comparison is exact).
    static let counterFunctions = """
        local function bumpDaily(key, expireAt)
            if redis.call("INCR", key) == 1 then
                redis.call("EXPIREAT", key, expireAt)
            end
        end
        local function bumpTotal(key, maximum)
            if redis.call("GET", key) == maximum then
                redis.call("SET", key, 1)
            else
                redis.call("INCR", key)
            end
        end
        """

    /// Enqueue a task that is due now (declared).
    ///
    /// KEYS[1] task hash `asynq:{q}:t:<id>`, KEYS[2] `asynq:{q}:pending`.
    /// ARGV[1] msg (protobuf bytes), ARGV[2] task ID, ARGV[3] now in Unix nanoseconds.
    /// Returns 1 when written, 0 when the task ID already exists.
    public static let enqueue = """
        if redis.call("EXISTS", KEYS[1]) == 1 then
            return 0
        end
        redis.call("HSET", KEYS[1], "msg", ARGV[1], "state", "pending", "pending_since", ARGV[3])
        redis.call("LPUSH", KEYS[2], ARGV[2])
        return 1
        """

    /// Enqueue a task that is due now, taking its uniqueness lock first (declared).
    ///
    /// KEYS[1] unique lock key, KEYS[2] task hash, KEYS[3] `asynq:{q}:pending`.
    /// ARGV[1] task ID, ARGV[2] lock TTL in seconds, ARGV[3] msg, ARGV[4] now in Unix nanoseconds.
    /// Returns 1 when written, 0 when the task ID already exists (the lock just taken is kept), -1 when the lock is
    /// held (duplicate task).
    public static let enqueueUnique = """
        if not redis.call("SET", KEYS[1], ARGV[1], "NX", "EX", ARGV[2]) then
            return -1
        end
        if redis.call("EXISTS", KEYS[2]) == 1 then
            return 0
        end
        redis.call("HSET", KEYS[2], "msg", ARGV[3], "state", "pending", "pending_since", ARGV[4],
            "unique_key", KEYS[1])
        redis.call("LPUSH", KEYS[3], ARGV[1])
        return 1
        """

    /// Schedule a task for a later time (declared). No `pending_since` is written.
    ///
    /// KEYS[1] task hash, KEYS[2] `asynq:{q}:scheduled`.
    /// ARGV[1] msg, ARGV[2] process-at in Unix seconds, ARGV[3] task ID.
    /// Returns 1 when written, 0 when the task ID already exists.
    public static let schedule = """
        if redis.call("EXISTS", KEYS[1]) == 1 then
            return 0
        end
        redis.call("HSET", KEYS[1], "msg", ARGV[1], "state", "scheduled")
        redis.call("ZADD", KEYS[2], ARGV[2], ARGV[3])
        return 1
        """

    /// Schedule a task for a later time, taking its uniqueness lock first (declared).
    ///
    /// KEYS[1] unique lock key, KEYS[2] task hash, KEYS[3] `asynq:{q}:scheduled`.
    /// ARGV[1] task ID, ARGV[2] lock TTL in seconds (covering the wait), ARGV[3] process-at in Unix seconds,
    /// ARGV[4] msg.
    /// Returns 1 when written, 0 when the task ID already exists (lock kept), -1 when the lock is held.
    public static let scheduleUnique = """
        if not redis.call("SET", KEYS[1], ARGV[1], "NX", "EX", ARGV[2]) then
            return -1
        end
        if redis.call("EXISTS", KEYS[2]) == 1 then
            return 0
        end
        redis.call("HSET", KEYS[2], "msg", ARGV[4], "state", "scheduled", "unique_key", KEYS[1])
        redis.call("ZADD", KEYS[3], ARGV[3], ARGV[1])
        return 1
        """

    /// Take the oldest pending task unless the queue is paused (undeclared: the task hash is built from ARGV[2]).
    ///
    /// KEYS[1] `asynq:{q}:pending`, KEYS[2] `asynq:{q}:paused`, KEYS[3] `asynq:{q}:active`, KEYS[4] `asynq:{q}:lease`.
    /// ARGV[1] lease expiry in Unix seconds (now + 30 s), ARGV[2] task key prefix `asynq:{q}:t:`.
    /// Returns `{id, msg}` (msg is nil when the hash has none, so the worker can archive the broken task by ID), or nil
    /// when the queue is paused or empty. (Go's script returns msg alone; the reply shape is private to each worker.)
    public static let dequeue = """
        if redis.call("EXISTS", KEYS[2]) == 0 then
            local id = redis.call("RPOPLPUSH", KEYS[1], KEYS[3])
            if id then
                local key = ARGV[2] .. id
                redis.call("HSET", key, "state", "active")
                redis.call("HDEL", key, "pending_since")
                redis.call("ZADD", KEYS[4], ARGV[1], id)
                return {id, redis.call("HGET", key, "msg")}
            end
        end
        return nil
        """
}
