import Foundation
import Testing

@testable import KnockerKit

/// How the server schedules, recovers and shuts down, against a real Redis.
@Suite("Queue server behaviour")
struct QueueServerBehaviourTests {
    @Test func pausedQueuesAreNotServed() async throws {
        try await QueueTestContext.with { context in
            let other = context.queue + "-b"
            let client = QueueClient(redis: context.redis)
            let held = try await client.enqueue(type: "job", payload: [], options: TaskOptions(queue: context.queue))
            let inspector = QueueInspector(redis: context.redis)
            #expect(try await inspector.pause(context.queue))
            #expect(try await inspector.pause(context.queue) == false)
            let log = RunLog()
            var mux = TaskMux()
            mux.handle("job") { task in log.append(task.queue) }
            let free = try await client.enqueue(type: "job", payload: [], options: TaskOptions(queue: other))
            try await withQueueServer(
                redis: context.redis,
                configuration: testServerConfiguration(queues: [context.queue: 5, other: 1]),
                mux: mux
            ) { _ in
                try await eventually("the unpaused queue's task ran") { log.all == [other] }
                #expect(try await context.hash(held.id)["state"] == Array("pending".utf8))
                #expect(try await inspector.unpause(context.queue))
                try await eventually("the paused queue's task ran after unpausing") { log.count == 2 }
            }
            _ = free
            let cleanup = QueueTestContext(redis: context.redis, queue: other)
            await cleanup.cleanUp()
        }
    }

    @Test func weightedQueuesAreServedInProportion() async throws {
        try await QueueTestContext.with { context in
            let light = context.queue
            let heavy = context.queue + "-heavy"
            let client = QueueClient(redis: context.redis)
            let tasks = (0..<300).flatMap { _ in
                [
                    NewTask(type: "job", payload: [], options: TaskOptions(queue: light)),
                    NewTask(type: "job", payload: [], options: TaskOptions(queue: heavy)),
                ]
            }
            _ = try await client.enqueue(tasks)
            let log = RunLog()
            var mux = TaskMux()
            mux.handle("job") { task in log.append(task.queue) }
            try await withQueueServer(
                redis: context.redis,
                configuration: testServerConfiguration(queues: [light: 1, heavy: 3], concurrency: 1),
                mux: mux
            ) { _ in
                try await eventually("200 tasks ran") { log.count >= 200 }
            }
            let first = log.all.prefix(200)
            let share = Double(first.filter { $0 == heavy }.count) / Double(first.count)
            #expect(share > 0.65 && share < 0.85, "heavy queue share \(share)")
            await QueueTestContext(redis: context.redis, queue: heavy).cleanUp()
        }
    }

    @Test func strictPriorityDrainsHigherQueuesFirst() async throws {
        try await QueueTestContext.with { context in
            let low = context.queue
            let high = context.queue + "-high"
            let tasks = (0..<20).flatMap { _ in
                [
                    NewTask(type: "job", payload: [], options: TaskOptions(queue: low)),
                    NewTask(type: "job", payload: [], options: TaskOptions(queue: high)),
                ]
            }
            _ = try await QueueClient(redis: context.redis).enqueue(tasks)
            let log = RunLog()
            var mux = TaskMux()
            mux.handle("job") { task in log.append(task.queue) }
            var configuration = testServerConfiguration(queues: [low: 1, high: 2], concurrency: 1)
            configuration.strictPriority = true
            try await withQueueServer(redis: context.redis, configuration: configuration, mux: mux) { _ in
                try await eventually("all tasks ran") { log.count == 40 }
            }
            #expect(log.all == Array(repeating: high, count: 20) + Array(repeating: low, count: 20))
            await QueueTestContext(redis: context.redis, queue: high).cleanUp()
        }
    }

    @Test func malformedTasksAreArchivedAndTheWorkerKeepsGoing() async throws {
        try await QueueTestContext.with { context in
            let q = context.queue
            _ = try await context.redis.command([
                "HSET", RedisArgument("asynq:{\(q)}:t:garbled"), "msg", RedisArgument([0xFF, 0xFF, 0xFF]), "state",
                "pending",
            ])
            _ = try await context.redis.command(["LPUSH", RedisArgument("asynq:{\(q)}:pending"), "garbled"])
            _ = try await context.redis.command(["LPUSH", RedisArgument("asynq:{\(q)}:pending"), "hashless"])
            let good = try await QueueClient(redis: context.redis).enqueue(
                type: "job",
                payload: [],
                options: TaskOptions(queue: q)
            )
            let log = RunLog()
            var mux = TaskMux()
            mux.handle("job") { task in log.append(task.id) }
            try await withQueueServer(
                redis: context.redis,
                configuration: testServerConfiguration(queues: [q: 1], concurrency: 1),
                mux: mux
            ) { _ in
                try await eventually("the good task ran") { log.all == [good.id] }
                try await eventually("both broken tasks are archived") {
                    Set(try await context.strings(["ZRANGE", RedisArgument("asynq:{\(q)}:archived"), "0", "-1"]))
                        == ["garbled", "hashless"]
                }
            }
            #expect(try await context.hash("garbled")["msg"] == [0xFF, 0xFF, 0xFF])
            #expect(try await context.hash("garbled")["state"] == Array("archived".utf8))
            #expect(try await context.integer(["LLEN", RedisArgument("asynq:{\(q)}:active")]) == 0)
        }
    }

    @Test func shutdownRequeuesTasksThatDidNotFinish() async throws {
        try await QueueTestContext.with { context in
            let q = context.queue
            let started = RunLog()
            var mux = TaskMux()
            mux.handle("slow") { task in
                started.append(task.id)
                try await Task.sleep(for: .seconds(3600))
            }
            let task = try await QueueClient(redis: context.redis).enqueue(
                type: "slow",
                payload: [],
                options: TaskOptions(queue: q)
            )
            try await withQueueServer(
                redis: context.redis,
                configuration: testServerConfiguration(queues: [q: 1]),
                mux: mux
            ) { _ in
                try await eventually("the task started") { started.count == 1 }
            }
            #expect(
                try await context.strings(["LRANGE", RedisArgument("asynq:{\(q)}:pending"), "0", "-1"]) == [task.id]
            )
            #expect(try await context.hash(task.id)["state"] == Array("pending".utf8))
            #expect(try await context.integer(["LLEN", RedisArgument("asynq:{\(q)}:active")]) == 0)
            #expect(try await context.integer(["ZCARD", RedisArgument("asynq:{\(q)}:lease")]) == 0)
        }
    }

    @Test func anIdleServerStopsWithoutWaitingForTheGracePeriod() async throws {
        try await QueueTestContext.with { context in
            var configuration = testServerConfiguration(queues: [context.queue: 1])
            configuration.shutdownTimeout = .seconds(60)
            let start = ContinuousClock.now
            try await withQueueServer(redis: context.redis, configuration: configuration, mux: TaskMux()) { _ in }
            #expect(ContinuousClock.now - start < .seconds(30))
        }
    }

    @Test func leasesAreExtendedWhileATaskRuns() async throws {
        try await QueueTestContext.with { context in
            let q = context.queue
            let release = StopSignal()
            let started = RunLog()
            var mux = TaskMux()
            mux.handle("job") { task in
                started.append(task.id)
                await release.wait()
            }
            // The server's clock runs 20 s ahead after the first lease, so the extension is visible in the score.
            let offset = Locked(0.0)
            let task = try await QueueClient(redis: context.redis).enqueue(
                type: "job",
                payload: [],
                options: TaskOptions(queue: q)
            )
            try await withQueueServer(
                redis: context.redis,
                configuration: testServerConfiguration(queues: [q: 1]),
                mux: mux,
                now: { Date().addingTimeInterval(offset.withLock { $0 }) }
            ) { _ in
                try await eventually("the task started") { started.count == 1 }
                let first =
                    Double(
                        try await context.redis.command([
                            "ZSCORE", RedisArgument("asynq:{\(q)}:lease"), RedisArgument(task.id),
                        ]).string ?? ""
                    ) ?? 0
                offset.withLock { $0 = 20 }
                try await eventually("the lease was extended") {
                    let now =
                        Double(
                            try await context.redis.command([
                                "ZSCORE", RedisArgument("asynq:{\(q)}:lease"), RedisArgument(task.id),
                            ]).string ?? ""
                        ) ?? 0
                    return now >= first + 19
                }
                release.stop()
                try await eventually("the task finished") { try await context.hash(task.id).isEmpty }
            }
        }
    }

    @Test func theDeadlineCancelsASlowHandler() async throws {
        try await QueueTestContext.with { context in
            var mux = TaskMux()
            mux.handle("job") { _ in try await Task.sleep(for: .seconds(3600)) }
            let task = try await QueueClient(redis: context.redis).enqueue(
                type: "job",
                payload: [],
                options: TaskOptions(queue: context.queue, timeout: .seconds(1))
            )
            try await withQueueServer(
                redis: context.redis,
                configuration: testServerConfiguration(queues: [context.queue: 1]),
                mux: mux
            ) { _ in
                try await eventually("the task is in retry") {
                    try await context.hash(task.id)["state"] == Array("retry".utf8)
                }
            }
            #expect(
                try TaskMessage(decoding: try await context.hash(task.id)["msg"] ?? []).errorMessage
                    == "context deadline exceeded"
            )
        }
    }

    /// Cancelled at its deadline while finishing its work (a ping task whose batch was committing), a handler that
    /// then succeeds has done the task: done, not retried to run twice.
    @Test func aHandlerThatSucceedsPastItsDeadlineIsDone() async throws {
        try await QueueTestContext.with { context in
            let runs = RunLog()
            var mux = TaskMux()
            mux.handle("job") { task in
                runs.append(task.id)
                // Waits for the cancellation, then finishes successfully anyway.
                try? await Task.sleep(for: .seconds(3600))
            }
            let task = try await QueueClient(redis: context.redis).enqueue(
                type: "job",
                payload: [],
                options: TaskOptions(queue: context.queue, timeout: .seconds(1))
            )
            try await withQueueServer(
                redis: context.redis,
                configuration: testServerConfiguration(queues: [context.queue: 1]),
                mux: mux
            ) { _ in
                try await eventually("the task is done") { try await context.hash(task.id).isEmpty }
            }
            #expect(runs.all == [task.id])
        }
    }

    /// With work slots, a task is taken from the queue only while one is free; a task that gives its slot back early
    /// (a ping task waiting for its write) lets the next one in while it goes on.
    @Test func workSlotsBoundTheTasksDoingWorkNotTheTasksHeld() async throws {
        try await QueueTestContext.with { context in
            // Permits the test hands out one at a time (each slot set starts with none free).
            let work = AsyncSlots(count: 1)
            let finish = AsyncSlots(count: 1)
            _ = await work.acquire()
            _ = await finish.acquire()
            let started = RunLog()
            let done = RunLog()
            var mux = TaskMux()
            mux.handle("job") { task in
                started.append(task.id)
                _ = await work.acquire()
                task.finishedWork()
                _ = await finish.acquire()
                done.append(task.id)
            }
            let client = QueueClient(redis: context.redis)
            for _ in 0..<3 {
                _ = try await client.enqueue(type: "job", payload: [], options: TaskOptions(queue: context.queue))
            }
            var configuration = testServerConfiguration(queues: [context.queue: 1], concurrency: 3)
            configuration.workConcurrency = 1
            try await withQueueServer(redis: context.redis, configuration: configuration, mux: mux) { _ in
                try await eventually("the first task started") { started.all.count == 1 }
                // Its work slot is held: the others stay in the queue (give the fetchers time to prove it).
                try await Task.sleep(for: .milliseconds(300))
                #expect(started.all.count == 1)
                #expect(
                    try await context.strings(["LRANGE", RedisArgument(QueueKeys.pending(context.queue)), "0", "-1"])
                        .count == 2
                )
                work.release()
                try await eventually("the second task started while the first is still held") { started.all.count == 2 }
                #expect(done.all.isEmpty)
                work.release()
                try await eventually("the third started") { started.all.count == 3 }
                work.release()
                finish.release()
                finish.release()
                finish.release()
                try await eventually("all done") { done.all.count == 3 }
            }
        }
    }

    @Test func aPublishedCancellationStopsTheTask() async throws {
        try await QueueTestContext.with { context in
            let started = RunLog()
            var mux = TaskMux()
            mux.handle("job") { task in
                started.append(task.id)
                try await Task.sleep(for: .seconds(3600))
            }
            let task = try await QueueClient(redis: context.redis).enqueue(
                type: "job",
                payload: [],
                options: TaskOptions(queue: context.queue)
            )
            try await withQueueServer(
                redis: context.redis,
                configuration: testServerConfiguration(queues: [context.queue: 1]),
                mux: mux
            ) { _ in
                try await eventually("the task started") { started.count == 1 }
                try await eventually("the cancellation arrived") {
                    _ = try await context.redis.publish(channel: QueueKeys.cancelChannel, message: Array(task.id.utf8))
                    return try await context.hash(task.id)["state"] == Array("retry".utf8)
                }
            }
            #expect(
                try TaskMessage(decoding: try await context.hash(task.id)["msg"] ?? []).errorMessage
                    == "context canceled"
            )
        }
    }

    @Test func expiredLeasesAreRecoveredAtStart() async throws {
        try await QueueTestContext.with { context in
            let q = context.queue
            var message = TaskMessage(type: "job", id: "orphan", queue: q, retry: 3, timeout: 60)
            message.retried = 1
            _ = try await context.redis.command([
                "HSET", RedisArgument("asynq:{\(q)}:t:orphan"), "msg", RedisArgument(message.encoded()), "state",
                "active",
            ])
            _ = try await context.redis.command(["LPUSH", RedisArgument("asynq:{\(q)}:active"), "orphan"])
            let expired = Int(Date().timeIntervalSince1970) - 120
            _ = try await context.redis.command([
                "ZADD", RedisArgument("asynq:{\(q)}:lease"), RedisArgument(expired), "orphan",
            ])
            _ = try await context.redis.command(["SADD", "asynq:queues", RedisArgument(q)])
            try await withQueueServer(
                redis: context.redis,
                configuration: testServerConfiguration(queues: [q: 1]),
                mux: TaskMux()
            ) { _ in
                try await eventually("the orphan is in retry") {
                    try await context.hash("orphan")["state"] == Array("retry".utf8)
                }
            }
            let recovered = try TaskMessage(decoding: try await context.hash("orphan")["msg"] ?? [])
            #expect(recovered.retried == 2)
            #expect(recovered.errorMessage == "asynq: task lease expired")
            #expect(try await context.integer(["LLEN", RedisArgument("asynq:{\(q)}:active")]) == 0)
        }
    }

    @Test func theServerHeartbeatIsVisibleToInspectors() async throws {
        try await QueueTestContext.with { context in
            let release = StopSignal()
            let started = RunLog()
            var mux = TaskMux()
            mux.handle("job") { task in
                started.append(task.id)
                await release.wait()
            }
            let task = try await QueueClient(redis: context.redis).enqueue(
                type: "job",
                payload: [9],
                options: TaskOptions(queue: context.queue)
            )
            try await withQueueServer(
                redis: context.redis,
                configuration: testServerConfiguration(queues: [context.queue: 2]),
                mux: mux
            ) { server in
                try await eventually("the task started") { started.count == 1 }
                let key = QueueKeys.serverInfo(
                    host: server.identity.host,
                    pid: server.identity.pid,
                    serverID: server.identity.serverID
                )
                let workersKey = QueueKeys.workers(
                    host: server.identity.host,
                    pid: server.identity.pid,
                    serverID: server.identity.serverID
                )
                try await eventually("the worker is listed") {
                    let workers = try await context.redis.command([
                        "HGET", RedisArgument(workersKey), RedisArgument(task.id),
                    ])
                    guard let bytes = workers.bytes, let worker = try? WorkerInfo(decoding: bytes) else { return false }
                    return worker.taskType == "job" && worker.taskPayload == [9]
                }
                let info = try ServerInfo(
                    decoding: try await context.redis.command(["GET", RedisArgument(key)]).bytes ?? []
                )
                #expect(info.queues == [context.queue: 1])
                #expect(info.status == "active")
                #expect(
                    try await context.redis.command(["ZSCORE", "asynq:servers", RedisArgument(key)]).isNull == false
                )
                release.stop()
                try await eventually("the task finished") { try await context.hash(task.id).isEmpty }
                _ = key
            }
        }
    }
}
