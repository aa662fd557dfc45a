/// The queue's Lua scripts as loaded Redis scripts (text + SHA-1), and the one way queue code runs them.
enum QueueRedisScripts {
    static let enqueue = RedisScript(QueueScripts.enqueue)
    static let enqueueUnique = RedisScript(QueueScripts.enqueueUnique)
    static let schedule = RedisScript(QueueScripts.schedule)
    static let scheduleUnique = RedisScript(QueueScripts.scheduleUnique)
    static let dequeue = RedisScript(QueueScripts.dequeue)
    static let done = RedisScript(QueueScripts.done)
    static let doneUnique = RedisScript(QueueScripts.doneUnique)
    static let markAsComplete = RedisScript(QueueScripts.markAsComplete)
    static let markAsCompleteUnique = RedisScript(QueueScripts.markAsCompleteUnique)
    static let requeue = RedisScript(QueueScripts.requeue)
    static let retry = RedisScript(QueueScripts.retry)
    static let archive = RedisScript(QueueScripts.archive)
    static let forward = RedisScript(QueueScripts.forward)
    static let listLeaseExpired = RedisScript(QueueScripts.listLeaseExpired)
    static let deleteExpiredCompleted = RedisScript(QueueScripts.deleteExpiredCompleted)
    static let writeServerState = RedisScript(QueueScripts.writeServerState)
    static let clearServerState = RedisScript(QueueScripts.clearServerState)
    static let currentStats = RedisScript(QueueScripts.currentStats)
    static let runTask = RedisScript(QueueScripts.runTask)
    static let archiveTask = RedisScript(QueueScripts.archiveTask)
    static let deleteTask = RedisScript(QueueScripts.deleteTask)

    /// Redis arguments for a script call built by ``QueueScripts``.
    static func arguments(_ call: QueueScriptArguments) -> (keys: [RedisArgument], arguments: [RedisArgument]) {
        (call.keys.map { RedisArgument($0) }, call.arguments.map { RedisArgument($0) })
    }

    /// Runs `script` with `call` on a connection (pool thread).
    static func run(
        _ script: RedisScript,
        _ call: QueueScriptArguments,
        on connection: RedisConnection
    ) throws
        -> RedisValue
    {
        let (keys, arguments) = arguments(call)
        return try connection.run(script, keys: keys, arguments: arguments)
    }

    /// Runs `script` with `call` through the client.
    static func run(
        _ script: RedisScript,
        _ call: QueueScriptArguments,
        on client: RedisClient
    ) async throws
        -> RedisValue
    {
        let (keys, arguments) = arguments(call)
        return try await client.run(script, keys: keys, arguments: arguments)
    }

    /// Runs a command given as byte strings.
    static func command(_ words: [[UInt8]], on client: RedisClient) async throws -> RedisValue {
        try await client.command(words.map { RedisArgument($0) })
    }
}
