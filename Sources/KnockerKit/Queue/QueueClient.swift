import Foundation
import Synchronization

/// Puts tasks into asynq queues, exactly as the Go asynq client does, so Go workers, the asynq CLI and asynqmon
/// see them.
public final class QueueClient: Sendable {
    private let redis: RedisClient
    private let now: @Sendable () -> Date
    /// Queues this process has already added to `asynq:queues` (asynq caches this per process too).
    private let registered = Mutex<Set<String>>([])

    public init(redis: RedisClient, now: @escaping @Sendable () -> Date = { Date() }) {
        self.redis = redis
        self.now = now
    }

    /// Enqueues one task.
    /// - Throws: ``EnqueueError`` for invalid tasks, duplicates and ID conflicts; ``RedisError`` when Redis fails.
    public func enqueue(_ task: NewTask) async throws -> EnqueuedTask {
        let results = try await enqueue([task])
        guard let result = results.first else { throw EnqueueError.invalid("nothing was enqueued") }
        return try result.get()
    }

    /// Enqueues one task.
    public func enqueue(
        type: String,
        payload: [UInt8],
        options: TaskOptions = TaskOptions()
    ) async throws
        -> EnqueuedTask
    {
        try await enqueue(NewTask(type: type, payload: payload, options: options))
    }

    /// Enqueues many tasks in as few round trips as possible: one per script kind (pipelined EVALSHAs).
    /// - Returns: one result per task, in order. A task that is invalid, a duplicate or an ID conflict fails
    ///   alone; a Redis failure throws.
    public func enqueue(_ tasks: [NewTask]) async throws -> [Result<EnqueuedTask, EnqueueError>] {
        let now = now()
        var results = [Result<EnqueuedTask, EnqueueError>?](repeating: nil, count: tasks.count)
        var plans: [ScriptKind: [(index: Int, call: QueueScriptArguments, task: EnqueuedTask)]] = [:]
        for (index, task) in tasks.enumerated() {
            do {
                let (kind, call, enqueued) = try Self.plan(task, now: now)
                plans[kind, default: []].append((index, call, enqueued))
            } catch {
                results[index] = .failure(error)
            }
        }
        try await register(Set(plans.values.flatMap { $0.map(\.task.queue) }))
        for (kind, group) in plans {
            let calls = group.map { QueueRedisScripts.arguments($0.call) }
            let replies = try await redis.runPipelined(
                kind.script,
                calls: calls.map { (keys: $0.keys, arguments: $0.arguments) }
            )
            for (entry, reply) in zip(group, replies) {
                results[entry.index] = Self.outcome(reply, task: entry.task, call: entry.call)
            }
        }
        return results.map { $0 ?? .failure(.invalid("no reply from Redis")) }
    }

    private enum ScriptKind: Hashable {
        case enqueue, enqueueUnique, schedule, scheduleUnique
        var script: RedisScript {
            switch self {
            case .enqueue: QueueRedisScripts.enqueue
            case .enqueueUnique: QueueRedisScripts.enqueueUnique
            case .schedule: QueueRedisScripts.schedule
            case .scheduleUnique: QueueRedisScripts.scheduleUnique
            }
        }
    }

    /// Which script enqueues `task`, with its arguments: scheduled when process-at is in the future, else pending.
    private static func plan(
        _ task: NewTask,
        now: Date
    ) throws(EnqueueError) -> (
        ScriptKind, QueueScriptArguments, EnqueuedTask
    ) {
        let message = try task.message(now: now) { TaskID.random() }
        let uniqueTTL = task.options.uniqueFor.map { max(1, $0.components.seconds) }
        do {
            if let processAt = task.options.processAt, QueueClock.seconds(processAt) > QueueClock.seconds(now) {
                let enqueued = EnqueuedTask(
                    id: message.id,
                    queue: message.queue,
                    state: .scheduled,
                    processAt: processAt
                )
                if let uniqueTTL {
                    let call = try QueueScripts.scheduleUniqueCall(
                        message: message,
                        processAt: processAt,
                        uniqueTTL: uniqueTTL,
                        now: now
                    )
                    return (.scheduleUnique, call, enqueued)
                }
                return (.schedule, QueueScripts.scheduleCall(message: message, processAt: processAt), enqueued)
            }
            let enqueued = EnqueuedTask(id: message.id, queue: message.queue, state: .pending, processAt: nil)
            if let uniqueTTL {
                let call = try QueueScripts.enqueueUniqueCall(message: message, lockTTL: uniqueTTL, now: now)
                return (.enqueueUnique, call, enqueued)
            }
            return (.enqueue, QueueScripts.enqueueCall(message: message, now: now), enqueued)
        } catch {
            throw .invalid(error.description)
        }
    }

    /// Maps a script's reply (1 written, 0 ID exists, −1 duplicate) to the task's result.
    private static func outcome(
        _ reply: RedisValue,
        task: EnqueuedTask,
        call: QueueScriptArguments
    )
        -> Result<EnqueuedTask, EnqueueError>
    {
        switch reply.int {
        case 1: .success(task)
        case 0: .failure(.taskIDConflict(id: task.id))
        case -1: .failure(.duplicateTask(uniqueKey: call.keys.first ?? ""))
        default: .failure(.invalid("unexpected reply from Redis: \(reply)"))
        }
    }

    /// `SADD asynq:queues q` once per queue per process, so inspectors know the queue.
    private func register(_ queues: Set<String>) async throws {
        let missing = registered.withLock { $0.isSuperset(of: queues) ? [] : queues.subtracting($0) }
        guard !missing.isEmpty else { return }
        _ = try await redis.command(
            [RedisArgument("SADD"), RedisArgument(QueueKeys.allQueues)] + missing.sorted().map { RedisArgument($0) }
        )
        registered.withLock { $0.formUnion(missing) }
    }
}
