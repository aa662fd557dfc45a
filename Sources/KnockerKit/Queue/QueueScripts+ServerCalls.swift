import Foundation

extension QueueScripts {
    /// Arguments of `writeServerState`: KEYS [asynq:servers:{host:pid:id}, asynq:workers:{host:pid:id}], ARGV [ttl,
    /// ServerInfo bytes, task ID₁, WorkerInfo₁ bytes, …]. The key names come from `server`'s host, pid and server
    /// ID; each worker is filed under its `taskID`.
    public static func writeServerStateCall(
        server: ServerInfo,
        workers: [WorkerInfo],
        ttl: Int64 = QueueConstants.serverStateTTL
    ) -> QueueScriptArguments {
        var arguments = [ScriptArgument.number(ttl), server.encoded()]
        for worker in workers {
            arguments.append(ScriptArgument.text(worker.taskID))
            arguments.append(worker.encoded())
        }
        return (serverStateKeys(server), arguments)
    }

    /// Arguments of `clearServerState`: KEYS [asynq:servers:{host:pid:id}, asynq:workers:{host:pid:id}], no ARGV.
    public static func clearServerStateCall(server: ServerInfo) -> QueueScriptArguments {
        (serverStateKeys(server), [])
    }

    /// The two commands that go with `writeServerState`: `ZADD asynq:servers <now_s + ttl> <server key>` and
    /// `ZADD asynq:workers <now_s + ttl> <workers key>`.
    public static func registerServerCommands(
        server: ServerInfo,
        now: Date,
        ttl: Int64 = QueueConstants.serverStateTTL
    ) -> [[[UInt8]]] {
        let keys = serverStateKeys(server)
        let expiry = ScriptArgument.number(QueueClock.adding(QueueClock.seconds(now), ttl))
        return [
            [
                ScriptArgument.text("ZADD"), ScriptArgument.text(QueueKeys.allServers), expiry,
                ScriptArgument.text(keys[0]),
            ],
            [
                ScriptArgument.text("ZADD"), ScriptArgument.text(QueueKeys.allWorkers), expiry,
                ScriptArgument.text(keys[1]),
            ],
        ]
    }

    /// The two commands that go with `clearServerState`: `ZREM asynq:servers <server key>` and
    /// `ZREM asynq:workers <workers key>`.
    public static func unregisterServerCommands(server: ServerInfo) -> [[[UInt8]]] {
        let keys = serverStateKeys(server)
        return [
            [ScriptArgument.text("ZREM"), ScriptArgument.text(QueueKeys.allServers), ScriptArgument.text(keys[0])],
            [ScriptArgument.text("ZREM"), ScriptArgument.text(QueueKeys.allWorkers), ScriptArgument.text(keys[1])],
        ]
    }

    private static func serverStateKeys(_ server: ServerInfo) -> [String] {
        [
            QueueKeys.serverInfo(host: server.host, pid: server.pid, serverID: server.serverID),
            QueueKeys.workers(host: server.host, pid: server.pid, serverID: server.serverID),
        ]
    }

    /// Arguments of `currentStats`: KEYS [pending, active, scheduled, retry, archived, completed,
    /// processed:<UTC date of now>, failed:<UTC date of now>, processed, failed, paused, groups], ARGV
    /// ["asynq:{q}:g:", "asynq:{q}:t:"].
    public static func currentStatsCall(queue q: String, now: Date) -> QueueScriptArguments {
        (
            [
                QueueKeys.pending(q), QueueKeys.active(q), QueueKeys.scheduled(q), QueueKeys.retry(q),
                QueueKeys.archived(q), QueueKeys.completed(q), QueueKeys.processed(q, on: now),
                QueueKeys.failed(q, on: now), QueueKeys.processedTotal(q), QueueKeys.failedTotal(q),
                QueueKeys.paused(q), QueueKeys.groups(q),
            ],
            [ScriptArgument.text(QueueKeys.groupKeyPrefix(q)), ScriptArgument.text(QueueKeys.taskKeyPrefix(q))]
        )
    }

    /// Arguments of `runTask`: KEYS [t:<id>, pending, groups], ARGV [id, "asynq:{q}:", "asynq:{q}:g:"].
    public static func runTaskCall(queue q: String, id: String) -> QueueScriptArguments {
        (
            [QueueKeys.task(q, id: id), QueueKeys.pending(q), QueueKeys.groups(q)],
            [
                ScriptArgument.text(id), ScriptArgument.text(QueueKeys.queuePrefix(q)),
                ScriptArgument.text(QueueKeys.groupKeyPrefix(q)),
            ]
        )
    }

    /// Arguments of `archiveTask`: KEYS [t:<id>, archived, groups], ARGV [id, now_s, "asynq:{q}:", "asynq:{q}:g:"].
    public static func archiveTaskCall(queue q: String, id: String, now: Date) -> QueueScriptArguments {
        (
            [QueueKeys.task(q, id: id), QueueKeys.archived(q), QueueKeys.groups(q)],
            [
                ScriptArgument.text(id), ScriptArgument.number(QueueClock.seconds(now)),
                ScriptArgument.text(QueueKeys.queuePrefix(q)), ScriptArgument.text(QueueKeys.groupKeyPrefix(q)),
            ]
        )
    }

    /// Arguments of `deleteTask`: KEYS [t:<id>, groups], ARGV [id, "asynq:{q}:", "asynq:{q}:g:"].
    public static func deleteTaskCall(queue q: String, id: String) -> QueueScriptArguments {
        (
            [QueueKeys.task(q, id: id), QueueKeys.groups(q)],
            [
                ScriptArgument.text(id), ScriptArgument.text(QueueKeys.queuePrefix(q)),
                ScriptArgument.text(QueueKeys.groupKeyPrefix(q)),
            ]
        )
    }
}
