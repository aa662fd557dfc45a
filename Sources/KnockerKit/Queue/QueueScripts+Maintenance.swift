extension QueueScripts {
    /// Move due tasks from `scheduled` or `retry` to pending, at most 100 per call (undeclared: task
    /// hashes and group keys are built from ARGV[2] and ARGV[4]). A task whose hash has a non-empty `group` goes
    /// to `asynq:{q}:g:<group>` as aggregating instead. An ID whose hash is missing is only removed from the
    /// source, so no dangling ID reaches pending.
    ///
    /// KEYS[1] `asynq:{q}:scheduled` or `asynq:{q}:retry`, KEYS[2] `asynq:{q}:pending`.
    /// ARGV[1] now (Unix s), ARGV[2] task key prefix `asynq:{q}:t:`, ARGV[3] now (Unix ns, the new
    /// `pending_since`), ARGV[4] group key prefix `asynq:{q}:g:`.
    /// Returns the number of IDs handled; call again until it returns 0.
    public static let forward = """
        local ids = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[1], "LIMIT", 0, 100)
        for _, id in ipairs(ids) do
            local key = ARGV[2] .. id
            if redis.call("EXISTS", key) == 0 then
                redis.call("ZREM", KEYS[1], id)
            else
                local group = redis.call("HGET", key, "group")
                if group and group ~= "" then
                    redis.call("ZADD", ARGV[4] .. group, ARGV[1], id)
                    redis.call("ZREM", KEYS[1], id)
                    redis.call("HSET", key, "state", "aggregating")
                else
                    redis.call("LPUSH", KEYS[2], id)
                    redis.call("ZREM", KEYS[1], id)
                    redis.call("HSET", key, "state", "pending", "pending_since", ARGV[3])
                end
            end
        end
        return #ids
        """

    /// The messages of active tasks whose lease expired at or before a cutoff (undeclared: task hashes are built
    /// from ARGV[2]). IDs without a hash are skipped.
    ///
    /// KEYS[1] `asynq:{q}:lease`.
    /// ARGV[1] cutoff (Unix s; the recoverer uses now − 30 s), ARGV[2] task key prefix `asynq:{q}:t:`.
    /// Returns an array of msg bytes.
    public static let listLeaseExpired = """
        local ids = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[1])
        local messages = {}
        for _, id in ipairs(ids) do
            local msg = redis.call("HGET", ARGV[2] .. id, "msg")
            if msg then
                table.insert(messages, msg)
            end
        end
        return messages
        """

    /// Delete completed tasks whose retention has expired, at most ARGV[3] (100) per call (undeclared: task
    /// hashes are built from ARGV[2]).
    ///
    /// KEYS[1] `asynq:{q}:completed`.
    /// ARGV[1] now (Unix s), ARGV[2] task key prefix `asynq:{q}:t:`, ARGV[3] batch limit (100).
    /// Returns the number of tasks deleted; call again until it returns 0.
    public static let deleteExpiredCompleted = """
        local ids = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[1], "LIMIT", 0, tonumber(ARGV[3]))
        for _, id in ipairs(ids) do
            redis.call("DEL", ARGV[2] .. id)
            redis.call("ZREM", KEYS[1], id)
        end
        return #ids
        """

    /// Store the heartbeat: the server's ServerInfo and one WorkerInfo per in-flight task (declared). The
    /// `ZADD asynq:servers` / `ZADD asynq:workers` of the key names are separate commands
    /// (`QueueScripts.registerServerCommands`).
    ///
    /// KEYS[1] `asynq:servers:{host:pid:serverID}`, KEYS[2] `asynq:workers:{host:pid:serverID}`.
    /// ARGV[1] TTL in seconds (10), ARGV[2] ServerInfo bytes, then pairs ARGV[3 + 2k] task ID, ARGV[4 + 2k]
    /// WorkerInfo bytes.
    /// Returns OK.
    public static let writeServerState = """
        redis.call("SETEX", KEYS[1], ARGV[1], ARGV[2])
        redis.call("DEL", KEYS[2])
        for i = 3, #ARGV - 1, 2 do
            redis.call("HSET", KEYS[2], ARGV[i], ARGV[i + 1])
        end
        redis.call("EXPIRE", KEYS[2], ARGV[1])
        return redis.status_reply("OK")
        """

    /// Remove the heartbeat data on shutdown (declared). The `ZREM`s from `asynq:servers` / `asynq:workers` are
    /// separate commands (`QueueScripts.unregisterServerCommands`).
    ///
    /// KEYS[1] `asynq:servers:{host:pid:serverID}`, KEYS[2] `asynq:workers:{host:pid:serverID}`. No ARGV.
    /// Returns OK.
    public static let clearServerState = """
        redis.call("DEL", KEYS[1])
        redis.call("DEL", KEYS[2])
        return redis.status_reply("OK")
        """
}
