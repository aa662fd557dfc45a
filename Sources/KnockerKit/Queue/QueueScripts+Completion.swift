extension QueueScripts {
    /// Lua that removes ARGV[1] from the active list KEYS[a] and the lease zset KEYS[b], returning NOT FOUND when
    /// either did not hold it.
    static func releaseActive(list a: Int, lease b: Int) -> String {
        """
        if redis.call("LREM", KEYS[\(a)], 0, ARGV[1]) == 0 then
            return redis.error_reply("NOT FOUND")
        end
        if redis.call("ZREM", KEYS[\(b)], ARGV[1]) == 0 then
            return redis.error_reply("NOT FOUND")
        end
        """
    }

    /// Delete a task that succeeded without retention (declared).
    ///
    /// KEYS[1] `asynq:{q}:active`, KEYS[2] `asynq:{q}:lease`, KEYS[3] task hash, KEYS[4]
    /// `asynq:{q}:processed:<UTC date>`, KEYS[5] `asynq:{q}:processed`.
    /// ARGV[1] task ID, ARGV[2] now + 90 days in Unix seconds (daily counter expiry), ARGV[3] 9223372036854775807.
    /// Returns OK, or the error NOT FOUND when the ID is not in active, not in lease, or has no hash.
    public static let done = doneScript(unique: false)

    /// `done`, then releases the uniqueness lock if it still holds this task's ID (declared).
    ///
    /// KEYS[1…5] as `done`, KEYS[6] unique lock key. ARGV as `done`. Returns as `done`.
    public static let doneUnique = doneScript(unique: true)

    private static func doneScript(unique: Bool) -> String {
        """
        \(counterFunctions)
        \(releaseActive(list: 1, lease: 2))
        if redis.call("DEL", KEYS[3]) == 0 then
            return redis.error_reply("NOT FOUND")
        end
        bumpDaily(KEYS[4], ARGV[2])
        bumpTotal(KEYS[5], ARGV[3])
        \(unique ? releaseLock(key: 6) : "")
        return redis.status_reply("OK")
        """
    }

    /// Lua that deletes the lock KEYS[k] only when its value is the task ID ARGV[1].
    private static func releaseLock(key k: Int) -> String {
        """
        if redis.call("GET", KEYS[\(k)]) == ARGV[1] then
            redis.call("DEL", KEYS[\(k)])
        end
        """
    }

    /// Move a task that succeeded into `completed` for its retention (declared). Other hash fields (`result`)
    /// stay.
    ///
    /// KEYS[1] `asynq:{q}:active`, KEYS[2] `asynq:{q}:lease`, KEYS[3] `asynq:{q}:completed`, KEYS[4] task hash,
    /// KEYS[5] `asynq:{q}:processed:<UTC date>`, KEYS[6] `asynq:{q}:processed`.
    /// ARGV[1] task ID, ARGV[2] now + 90 days (Unix s), ARGV[3] now + retention (Unix s, the completed score),
    /// ARGV[4] msg with `completed_at` set, ARGV[5] 9223372036854775807.
    /// Returns OK; NOT FOUND when the ID is not in active or lease; INTERNAL when ZADD to completed added nothing.
    public static let markAsComplete = markAsCompleteScript(unique: false)

    /// `markAsComplete`, then releases the uniqueness lock if it still holds this task's ID (declared).
    ///
    /// KEYS[1…6] as `markAsComplete`, KEYS[7] unique lock key. ARGV and returns as `markAsComplete`.
    public static let markAsCompleteUnique = markAsCompleteScript(unique: true)

    private static func markAsCompleteScript(unique: Bool) -> String {
        """
        \(counterFunctions)
        \(releaseActive(list: 1, lease: 2))
        if redis.call("ZADD", KEYS[3], ARGV[3], ARGV[1]) ~= 1 then
            return redis.error_reply("INTERNAL")
        end
        redis.call("HSET", KEYS[4], "msg", ARGV[4], "state", "completed")
        bumpDaily(KEYS[5], ARGV[2])
        bumpTotal(KEYS[6], ARGV[5])
        \(unique ? releaseLock(key: 7) : "")
        return redis.status_reply("OK")
        """
    }

    /// Put an active task back at the front of pending (the right end, served next), used after the shutdown
    /// timeout (declared). `pending_since` is not restored.
    ///
    /// KEYS[1] `asynq:{q}:active`, KEYS[2] `asynq:{q}:lease`, KEYS[3] `asynq:{q}:pending`, KEYS[4] task hash.
    /// ARGV[1] task ID.
    /// Returns OK, or NOT FOUND when the ID is not in active or lease.
    public static let requeue = """
        \(releaseActive(list: 1, lease: 2))
        redis.call("RPUSH", KEYS[3], ARGV[1])
        redis.call("HSET", KEYS[4], "state", "pending")
        return redis.status_reply("OK")
        """

    /// Move a failed task to `retry` (declared). The unique lock is kept.
    ///
    /// KEYS[1] task hash, KEYS[2] `asynq:{q}:active`, KEYS[3] `asynq:{q}:lease`, KEYS[4] `asynq:{q}:retry`,
    /// KEYS[5] `asynq:{q}:processed:<UTC date>`, KEYS[6] `asynq:{q}:failed:<UTC date>`, KEYS[7]
    /// `asynq:{q}:processed`, KEYS[8] `asynq:{q}:failed`.
    /// ARGV[1] task ID, ARGV[2] msg (retried, error_msg, last_failed_at updated), ARGV[3] retry-at (Unix s),
    /// ARGV[4] now + 90 days (Unix s), ARGV[5] "1" when the failure counts (then all four counters are bumped)
    /// else "0", ARGV[6] 9223372036854775807.
    /// Returns OK, or NOT FOUND when the ID is not in active or lease.
    public static let retry = """
        \(counterFunctions)
        if redis.call("LREM", KEYS[2], 0, ARGV[1]) == 0 then
            return redis.error_reply("NOT FOUND")
        end
        if redis.call("ZREM", KEYS[3], ARGV[1]) == 0 then
            return redis.error_reply("NOT FOUND")
        end
        redis.call("ZADD", KEYS[4], ARGV[3], ARGV[1])
        redis.call("HSET", KEYS[1], "msg", ARGV[2], "state", "retry")
        if tonumber(ARGV[5]) == 1 then
            bumpDaily(KEYS[5], ARGV[4])
            bumpDaily(KEYS[6], ARGV[4])
            bumpTotal(KEYS[7], ARGV[6])
            bumpTotal(KEYS[8], ARGV[6])
        end
        return redis.status_reply("OK")
        """

    /// Move a task that exhausted its retries (or must not retry) to `archived`, then trim the archive: entries
    /// scored at or before now − 90 days, and all but the newest 9,999, are removed together with their hashes
    /// (undeclared: trimmed hashes are built from KEYS[9]). The unique lock is kept.
    ///
    /// KEYS[1] task hash, KEYS[2] `asynq:{q}:active`, KEYS[3] `asynq:{q}:lease`, KEYS[4] `asynq:{q}:archived`,
    /// KEYS[5] `asynq:{q}:processed:<UTC date>`, KEYS[6] `asynq:{q}:failed:<UTC date>`, KEYS[7]
    /// `asynq:{q}:processed`, KEYS[8] `asynq:{q}:failed`, KEYS[9] task key prefix `asynq:{q}:t:`.
    /// ARGV[1] task ID, ARGV[2] msg (error_msg, last_failed_at updated), ARGV[3] now (Unix s), ARGV[4] now − 90
    /// days (Unix s), ARGV[5] 10000, ARGV[6] now + 90 days (Unix s), ARGV[7] 9223372036854775807.
    /// Returns OK, or NOT FOUND when the ID is not in active or lease.
    public static let archive = """
        \(counterFunctions)
        if redis.call("LREM", KEYS[2], 0, ARGV[1]) == 0 then
            return redis.error_reply("NOT FOUND")
        end
        if redis.call("ZREM", KEYS[3], ARGV[1]) == 0 then
            return redis.error_reply("NOT FOUND")
        end
        redis.call("ZADD", KEYS[4], ARGV[3], ARGV[1])
        local old = redis.call("ZRANGEBYSCORE", KEYS[4], "-inf", ARGV[4])
        for _, id in ipairs(old) do
            redis.call("DEL", KEYS[9] .. id)
        end
        if #old > 0 then
            redis.call("ZREMRANGEBYSCORE", KEYS[4], "-inf", ARGV[4])
        end
        local keepFrom = -tonumber(ARGV[5])
        local extra = redis.call("ZRANGE", KEYS[4], 0, keepFrom)
        for _, id in ipairs(extra) do
            redis.call("DEL", KEYS[9] .. id)
        end
        if #extra > 0 then
            redis.call("ZREMRANGEBYRANK", KEYS[4], 0, keepFrom)
        end
        redis.call("HSET", KEYS[1], "msg", ARGV[2], "state", "archived")
        bumpDaily(KEYS[5], ARGV[6])
        bumpDaily(KEYS[6], ARGV[6])
        bumpTotal(KEYS[7], ARGV[7])
        bumpTotal(KEYS[8], ARGV[7])
        return redis.status_reply("OK")
        """
}
