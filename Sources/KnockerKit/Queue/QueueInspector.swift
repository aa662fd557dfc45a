import Foundation

/// Why an inspector request could not be done. The messages say what to do.
public enum QueueInspectorError: Error, Sendable, Equatable, CustomStringConvertible {
    case queueNotFound(String, known: [String])
    case taskNotFound(queue: String, id: String)
    case taskIsActive(id: String)
    case alreadyInState(id: String, state: TaskState)
    case malformed(String)

    public var description: String {
        switch self {
        case .queueNotFound(let queue, let known):
            "queue '\(queue)' does not exist; "
                + (known.isEmpty ? "no queues are known yet" : "known queues: \(known.joined(separator: ", "))")
        case .taskNotFound(let queue, let id): "task \(id) is not in queue '\(queue)'"
        case .taskIsActive(let id): "task \(id) is running; wait for it to finish or cancel it first"
        case .alreadyInState(let id, let state): "task \(id) is already \(state.rawValue)"
        case .malformed(let reason): reason
        }
    }
}

/// Reads and changes queues the way asynqmon and the asynq CLI do.
public struct QueueInspector: Sendable {
    let redis: RedisClient
    let now: @Sendable () -> Date

    public init(redis: RedisClient, now: @escaping @Sendable () -> Date = { Date() }) {
        self.redis = redis
        self.now = now
    }

    /// Every queue a client has enqueued to, sorted.
    public func queues() async throws -> [String] {
        let reply = try await redis.command(["SMEMBERS", RedisArgument(QueueKeys.allQueues)])
        return (reply.array ?? []).compactMap(\.string).sorted()
    }

    /// Fails with ``QueueInspectorError/queueNotFound(_:known:)`` unless `queue` is known.
    public func requireQueue(_ queue: String) async throws {
        let reply = try await redis.command(["SISMEMBER", RedisArgument(QueueKeys.allQueues), RedisArgument(queue)])
        guard reply.int == 1 else { throw QueueInspectorError.queueNotFound(queue, known: try await queues()) }
    }

    /// Counts, counters, paused flag and latency of one queue.
    public func stats(_ queue: String) async throws -> QueueStats {
        try await requireQueue(queue)
        let now = now()
        let reply = try await QueueRedisScripts.run(
            QueueRedisScripts.currentStats,
            QueueScripts.currentStatsCall(queue: queue, now: now),
            on: redis
        )
        let values = (reply.array ?? []).map { $0.bytes ?? [] }
        do {
            return try QueueStats(currentStatsReply: values, now: now)
        } catch {
            throw QueueInspectorError.malformed("unexpected stats from Redis for queue '\(queue)': \(error)")
        }
    }

    /// Tasks of one state, oldest first for pending and active, by score for the others.
    public func tasks(_ queue: String, state: TaskState, offset: Int = 0, limit: Int = 50) async throws -> [TaskInfo] {
        try await requireQueue(queue)
        let limit = max(1, limit)
        let offset = max(0, offset)
        var ids: [(id: String, score: Int64?)] = []
        switch state {
        case .pending, .active:
            let key = state == .pending ? QueueKeys.pending(queue) : QueueKeys.active(queue)
            let reply = try await redis.command([
                "LRANGE", RedisArgument(key), RedisArgument(-(offset + limit)), RedisArgument(-(offset + 1)),
            ])
            ids = (reply.array ?? []).compactMap(\.string).reversed().map { ($0, nil) }
        case .scheduled, .retry, .archived, .completed:
            guard let key = QueueKeys.container(queue, state: state) else { return [] }
            let reply = try await redis.command([
                "ZRANGE", RedisArgument(key), RedisArgument(offset), RedisArgument(offset + limit - 1), "WITHSCORES",
            ])
            let flat = reply.array ?? []
            ids = stride(from: 0, to: flat.count - 1, by: 2).compactMap { index in
                flat[index].string.map { ($0, flat[index + 1].int) }
            }
        case .aggregating:
            return []
        }
        guard !ids.isEmpty else { return [] }
        let replies = try await redis.pipeline(
            ids.map { ["HMGET", RedisArgument(QueueKeys.task(queue, id: $0.id)), "msg", "result"] }
        )
        var tasks: [TaskInfo] = []
        for (entry, reply) in zip(ids, replies) {
            let fields = reply.array ?? []
            guard let raw = fields.first?.bytes, let message = try? TaskMessage(decoding: raw) else { continue }
            let next =
                (state == .scheduled || state == .retry)
                ? entry.score.map { Date(timeIntervalSince1970: Double($0)) } : nil
            tasks.append(
                TaskInfo(message: message, state: state, nextProcessAt: next, result: fields.dropFirst().first?.bytes)
            )
        }
        return tasks
    }

    /// One task.
    public func task(_ queue: String, id: String) async throws -> TaskInfo {
        try await requireQueue(queue)
        let fields =
            try await redis.command([
                "HMGET", RedisArgument(QueueKeys.task(queue, id: id)), "msg", "state", "result",
            ]).array ?? []
        guard let raw = fields.first?.bytes else { throw QueueInspectorError.taskNotFound(queue: queue, id: id) }
        let message: TaskMessage
        do {
            message = try TaskMessage(decoding: raw)
        } catch {
            throw QueueInspectorError.malformed("task \(id) has a message that does not decode: \(error)")
        }
        guard let stateText = fields.dropFirst().first?.string, let state = TaskState(rawValue: stateText) else {
            throw QueueInspectorError.malformed("task \(id) has an unknown state")
        }
        var next: Date?
        if state == .scheduled || state == .retry, let key = QueueKeys.container(queue, state: state) {
            let score = try await redis.command(["ZSCORE", RedisArgument(key), RedisArgument(id)])
            next = score.string.flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
        }
        return TaskInfo(message: message, state: state, nextProcessAt: next, result: fields.dropFirst(2).first?.bytes)
    }

    /// Moves a scheduled, retry or archived task to pending so it runs now.
    public func run(_ queue: String, id: String) async throws {
        try await requireQueue(queue)
        let reply = try await QueueRedisScripts.run(
            QueueRedisScripts.runTask,
            QueueScripts.runTaskCall(queue: queue, id: id),
            on: redis
        )
        switch reply.int {
        case 1: return
        case 0: throw QueueInspectorError.taskNotFound(queue: queue, id: id)
        case -1: throw QueueInspectorError.taskIsActive(id: id)
        case -2: throw QueueInspectorError.alreadyInState(id: id, state: .pending)
        default: throw QueueInspectorError.malformed("unexpected reply from Redis: \(reply)")
        }
    }

    /// Archives a task that is not running.
    public func archive(_ queue: String, id: String) async throws {
        try await requireQueue(queue)
        let reply = try await QueueRedisScripts.run(
            QueueRedisScripts.archiveTask,
            QueueScripts.archiveTaskCall(queue: queue, id: id, now: now()),
            on: redis
        )
        switch reply.int {
        case 1: return
        case 0: throw QueueInspectorError.taskNotFound(queue: queue, id: id)
        case -1: throw QueueInspectorError.alreadyInState(id: id, state: .archived)
        case -2: throw QueueInspectorError.taskIsActive(id: id)
        default: throw QueueInspectorError.malformed("unexpected reply from Redis: \(reply)")
        }
    }

    /// Deletes a task that is not running (and releases its uniqueness lock).
    public func delete(_ queue: String, id: String) async throws {
        try await requireQueue(queue)
        let reply = try await QueueRedisScripts.run(
            QueueRedisScripts.deleteTask,
            QueueScripts.deleteTaskCall(queue: queue, id: id),
            on: redis
        )
        switch reply.int {
        case 1: return
        case 0: throw QueueInspectorError.taskNotFound(queue: queue, id: id)
        case -1: throw QueueInspectorError.taskIsActive(id: id)
        default: throw QueueInspectorError.malformed("unexpected reply from Redis: \(reply)")
        }
    }

    /// Stops servers from taking tasks from `queue` (running ones finish). Returns false when already paused.
    @discardableResult
    public func pause(_ queue: String) async throws -> Bool {
        try await requireQueue(queue)
        let reply = try await redis.command([
            "SETNX", RedisArgument(QueueKeys.paused(queue)), RedisArgument(Int(now().timeIntervalSince1970)),
        ])
        return reply.int == 1
    }

    /// Lets servers take tasks from `queue` again. Returns false when it was not paused.
    @discardableResult
    public func unpause(_ queue: String) async throws -> Bool {
        try await requireQueue(queue)
        return try await redis.command(["DEL", RedisArgument(QueueKeys.paused(queue))]).int == 1
    }
}
