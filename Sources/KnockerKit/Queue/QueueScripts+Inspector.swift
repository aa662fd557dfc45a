extension QueueScripts {
    /// The numbers behind a queue's stats (undeclared: group keys and the oldest pending task's hash are built
    /// from ARGV).
    ///
    /// KEYS[1] `asynq:{q}:pending`, KEYS[2] `asynq:{q}:active`, KEYS[3] `asynq:{q}:scheduled`, KEYS[4]
    /// `asynq:{q}:retry`, KEYS[5] `asynq:{q}:archived`, KEYS[6] `asynq:{q}:completed`, KEYS[7]
    /// `asynq:{q}:processed:<UTC today>`, KEYS[8] `asynq:{q}:failed:<UTC today>`, KEYS[9] `asynq:{q}:processed`,
    /// KEYS[10] `asynq:{q}:failed`, KEYS[11] `asynq:{q}:paused`, KEYS[12] `asynq:{q}:groups`.
    /// ARGV[1] group key prefix `asynq:{q}:g:`, ARGV[2] task key prefix `asynq:{q}:t:`.
    /// Returns an array of exactly 13 bulk strings of decimal text (text keeps 64-bit counters exact, and no
    /// element is ever nil, so the array cannot be cut short): 1 pending, 2 active, 3 scheduled, 4 retry,
    /// 5 archived, 6 completed, 7 aggregating (sum of ZCARD over the groups), 8 processed today, 9 failed today,
    /// 10 processed total, 11 failed total, 12 paused ("1"/"0"), 13 `pending_since` of the oldest pending task in
    /// Unix ns ("0" when there is none or it lacks the field). `QueueStats(currentStatsReply:now:)` parses it.
    public static let currentStats = """
        local function count(n)
            return string.format("%d", n)
        end
        local function counter(key)
            local value = redis.call("GET", key)
            if value then
                return value
            end
            return "0"
        end
        local reply = {}
        reply[1] = count(redis.call("LLEN", KEYS[1]))
        reply[2] = count(redis.call("LLEN", KEYS[2]))
        for i = 3, 6 do
            reply[i] = count(redis.call("ZCARD", KEYS[i]))
        end
        local aggregating = 0
        for _, group in ipairs(redis.call("SMEMBERS", KEYS[12])) do
            aggregating = aggregating + redis.call("ZCARD", ARGV[1] .. group)
        end
        reply[7] = count(aggregating)
        reply[8] = counter(KEYS[7])
        reply[9] = counter(KEYS[8])
        reply[10] = counter(KEYS[9])
        reply[11] = counter(KEYS[10])
        reply[12] = count(redis.call("EXISTS", KEYS[11]))
        reply[13] = "0"
        local oldest = redis.call("LRANGE", KEYS[1], -1, -1)
        if #oldest > 0 then
            local since = redis.call("HGET", ARGV[2] .. oldest[1], "pending_since")
            if since then
                reply[13] = since
            end
        end
        return reply
        """

    /// Lua that takes task ARGV[1] out of its container, given `state` and `group` locals read from its hash:
    /// the pending list, its group (dropping the group from KEYS[groups] when it empties) or the zset named after
    /// the state. Returns the asynq error text when the ID is not where its state says.
    static func detachTask(queuePrefix: String, groupPrefix: String, groupsKey: String) -> String {
        """
        if state == "pending" then
            if redis.call("LREM", \(queuePrefix) .. "pending", 0, ARGV[1]) == 0 then
                return redis.error_reply("task id not found in list")
            end
        elseif state == "aggregating" then
            if not group or redis.call("ZREM", \(groupPrefix) .. group, ARGV[1]) == 0 then
                return redis.error_reply("task id not found in zset")
            end
            if redis.call("ZCARD", \(groupPrefix) .. group) == 0 then
                redis.call("SREM", \(groupsKey), group)
            end
        elseif not state or redis.call("ZREM", \(queuePrefix) .. state, ARGV[1]) == 0 then
            return redis.error_reply("task id not found in zset")
        end
        """
    }

    /// Inspector "run": move a scheduled, retry, archived, completed or aggregating task to pending (undeclared:
    /// containers are built from ARGV). `pending_since` is not written.
    ///
    /// KEYS[1] task hash, KEYS[2] `asynq:{q}:pending`, KEYS[3] `asynq:{q}:groups`.
    /// ARGV[1] task ID, ARGV[2] queue prefix `asynq:{q}:`, ARGV[3] group key prefix `asynq:{q}:g:`.
    /// Returns 1 when moved, 0 when the task does not exist, -1 when it is active, -2 when it is already pending;
    /// the error "task id not found in zset" when the ID is not in the container its state names.
    public static let runTask = """
        if redis.call("EXISTS", KEYS[1]) == 0 then
            return 0
        end
        local fields = redis.call("HMGET", KEYS[1], "state", "group")
        local state, group = fields[1], fields[2]
        if state == "active" then
            return -1
        end
        if state == "pending" then
            return -2
        end
        \(detachTask(queuePrefix: "ARGV[2]", groupPrefix: "ARGV[3]", groupsKey: "KEYS[3]"))
        redis.call("LPUSH", KEYS[2], ARGV[1])
        redis.call("HSET", KEYS[1], "state", "pending")
        return 1
        """

    /// Inspector "archive": move a pending, scheduled, retry, completed or aggregating task to `archived`
    /// (undeclared: containers are built from ARGV).
    ///
    /// KEYS[1] task hash, KEYS[2] `asynq:{q}:archived`, KEYS[3] `asynq:{q}:groups`.
    /// ARGV[1] task ID, ARGV[2] now (Unix s, the archived score), ARGV[3] queue prefix `asynq:{q}:`, ARGV[4] group
    /// key prefix `asynq:{q}:g:`.
    /// Returns 1 when archived, 0 when the task does not exist, -1 when it is already archived, -2 when it is
    /// active; the error "task id not found in list" / "… in zset" when the ID is not where its state says.
    public static let archiveTask = """
        if redis.call("EXISTS", KEYS[1]) == 0 then
            return 0
        end
        local fields = redis.call("HMGET", KEYS[1], "state", "group")
        local state, group = fields[1], fields[2]
        if state == "active" then
            return -2
        end
        if state == "archived" then
            return -1
        end
        \(detachTask(queuePrefix: "ARGV[3]", groupPrefix: "ARGV[4]", groupsKey: "KEYS[3]"))
        redis.call("ZADD", KEYS[2], ARGV[2], ARGV[1])
        redis.call("HSET", KEYS[1], "state", "archived")
        return 1
        """

    /// Inspector "delete": remove a task that is not active, and release its uniqueness lock (named by the hash's
    /// `unique_key`) when the lock still holds this ID (undeclared: containers and the lock come from ARGV and
    /// the hash).
    ///
    /// KEYS[1] task hash, KEYS[2] `asynq:{q}:groups`.
    /// ARGV[1] task ID, ARGV[2] queue prefix `asynq:{q}:`, ARGV[3] group key prefix `asynq:{q}:g:`.
    /// Returns 1 when deleted, 0 when the task does not exist, -1 when it is active; the error "task id not found
    /// in list" / "… in zset" when the ID is not where its state says.
    public static let deleteTask = """
        if redis.call("EXISTS", KEYS[1]) == 0 then
            return 0
        end
        local fields = redis.call("HMGET", KEYS[1], "state", "group", "unique_key")
        local state, group, uniqueKey = fields[1], fields[2], fields[3]
        if state == "active" then
            return -1
        end
        \(detachTask(queuePrefix: "ARGV[2]", groupPrefix: "ARGV[3]", groupsKey: "KEYS[2]"))
        if uniqueKey and uniqueKey ~= "" and redis.call("GET", uniqueKey) == ARGV[1] then
            redis.call("DEL", uniqueKey)
        end
        redis.call("DEL", KEYS[1])
        return 1
        """
}
