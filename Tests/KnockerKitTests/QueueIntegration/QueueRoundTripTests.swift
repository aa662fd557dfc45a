import Foundation
import Testing

@testable import KnockerKit

/// The client and server against a real Redis, checking the asynq layout key by key.
@Suite("Queue on Redis")
struct QueueRoundTripTests {
    @Test func enqueueWritesTheAsynqLayout() async throws {
        try await QueueTestContext.with { context in
            let client = QueueClient(redis: context.redis)
            let before = Date()
            let task = try await client.enqueue(
                type: "monitor:ping:{region}",
                payload: Array(#"{"x":1}"#.utf8),
                options: TaskOptions(queue: context.queue, timeout: .seconds(120))
            )
            #expect(task.state == .pending)
            #expect(try await context.integer(["SISMEMBER", "asynq:queues", RedisArgument(context.queue)]) == 1)
            #expect(
                try await context.strings(["LRANGE", RedisArgument("asynq:{\(context.queue)}:pending"), "0", "-1"]) == [
                    task.id
                ]
            )

            let hash = try await context.hash(task.id)
            #expect(Set(hash.keys) == ["msg", "state", "pending_since"])
            #expect(hash["state"] == Array("pending".utf8))
            let message = try TaskMessage(decoding: hash["msg"] ?? [])
            #expect(message.type == "monitor:ping:{region}")
            #expect(message.payload == Array(#"{"x":1}"#.utf8))
            #expect(message.id == task.id)
            #expect(message.queue == context.queue)
            #expect(message.retry == 25)
            #expect(message.timeout == 120)
            #expect(message.deadline == 0)
            #expect(UUID(uuidString: task.id) != nil && task.id == task.id.lowercased())
            let since = Int64(String(decoding: hash["pending_since"] ?? [], as: UTF8.self)) ?? 0
            #expect(abs(Double(since) / 1e9 - before.timeIntervalSince1970) < 5)
        }
    }

    @Test func defaultsMatchAsynq() async throws {
        try await QueueTestContext.with { context in
            let task = try await QueueClient(redis: context.redis).enqueue(
                type: "notification:dispatch",
                payload: [],
                options: TaskOptions(queue: context.queue)
            )
            let message = try TaskMessage(decoding: try await context.hash(task.id)["msg"] ?? [])
            #expect(message.retry == 25)
            #expect(message.timeout == 1800)
        }
    }

    @Test func doneRemovesTheTaskAndCountsIt() async throws {
        try await QueueTestContext.with { context in
            let log = RunLog()
            var mux = TaskMux()
            mux.handle("job") { task in log.append(task.id) }
            let task = try await QueueClient(redis: context.redis).enqueue(
                type: "job",
                payload: [1],
                options: TaskOptions(queue: context.queue)
            )
            try await withQueueServer(
                redis: context.redis,
                configuration: testServerConfiguration(queues: [context.queue: 1]),
                mux: mux
            ) { _ in
                try await eventually("the task is done") { try await context.hash(task.id).isEmpty && log.count == 1 }
            }
            let q = context.queue
            #expect(try await context.integer(["LLEN", RedisArgument("asynq:{\(q)}:active")]) == 0)
            #expect(try await context.integer(["ZCARD", RedisArgument("asynq:{\(q)}:lease")]) == 0)
            let today = QueueKeys.processed(q, on: Date())
            #expect(try await context.redis.command(["GET", RedisArgument(today)]).int == 1)
            let ttl = try await context.integer(["TTL", RedisArgument(today)]) ?? 0
            #expect(ttl > 89 * 86_400 && ttl <= 90 * 86_400)
            #expect(try await context.redis.command(["GET", RedisArgument("asynq:{\(q)}:processed")]).int == 1)
            #expect(try await context.redis.command(["GET", RedisArgument("asynq:{\(q)}:failed")]).isNull)
        }
    }

    @Test func retainedTasksAreCompletedThenCleanedUp() async throws {
        try await QueueTestContext.with { context in
            let q = context.queue
            var mux = TaskMux()
            mux.handle("job") { _ in }
            let task = try await QueueClient(redis: context.redis).enqueue(
                type: "job",
                payload: [],
                options: TaskOptions(queue: q, retention: .seconds(60))
            )
            let start = Date()
            try await withQueueServer(
                redis: context.redis,
                configuration: testServerConfiguration(queues: [q: 1]),
                mux: mux
            ) { _ in
                try await eventually("the task is completed") {
                    try await context.hash(task.id)["state"] == Array("completed".utf8)
                }
            }
            // Between the start and the end of the run (whole seconds), however slow the machine is.
            let window = (start.timeIntervalSince1970.rounded(.down) - 1)...(Date().timeIntervalSince1970 + 1)
            let score = try await context.redis.command([
                "ZSCORE", RedisArgument("asynq:{\(q)}:completed"), RedisArgument(task.id),
            ])
            #expect(window.contains((Double(score.string ?? "") ?? 0) - 60))
            let message = try TaskMessage(decoding: try await context.hash(task.id)["msg"] ?? [])
            #expect(window.contains(Double(message.completedAt)))
            #expect(try await context.redis.command(["GET", RedisArgument("asynq:{\(q)}:processed")]).int == 1)

            // Two minutes later (the server's clock), the janitor deletes it.
            try await withQueueServer(
                redis: context.redis,
                configuration: testServerConfiguration(queues: [q: 1]),
                mux: mux,
                now: { Date().addingTimeInterval(120) }
            ) { _ in
                try await eventually("the janitor deleted the task") { try await context.hash(task.id).isEmpty }
            }
            #expect(try await context.integer(["ZCARD", RedisArgument("asynq:{\(q)}:completed")]) == 0)
        }
    }

    @Test func failuresAreRetriedWithTheBackoffFormula() async throws {
        try await QueueTestContext.with { context in
            var mux = TaskMux()
            mux.handle("job") { _ in throw HandlerFailure(message: "boom") }
            let task = try await QueueClient(redis: context.redis).enqueue(
                type: "job",
                payload: [],
                options: TaskOptions(queue: context.queue)
            )
            let configuration = testServerConfiguration(queues: [context.queue: 1]) { retried, _, _ in
                RetryBackoff.delay(retried: retried) { _ in 0 }
            }
            let start = Date()
            try await withQueueServer(redis: context.redis, configuration: configuration, mux: mux) { _ in
                try await eventually("the task is in retry") {
                    try await context.hash(task.id)["state"] == Array("retry".utf8)
                }
            }
            let window = (start.timeIntervalSince1970.rounded(.down) - 1)...(Date().timeIntervalSince1970 + 1)
            let q = context.queue
            let score = try await context.redis.command([
                "ZSCORE", RedisArgument("asynq:{\(q)}:retry"), RedisArgument(task.id),
            ])
            let retryAt = Double(score.string ?? "") ?? 0
            #expect(retryAt == retryAt.rounded())
            #expect(window.contains(retryAt - 15))
            let message = try TaskMessage(decoding: try await context.hash(task.id)["msg"] ?? [])
            #expect(message.retried == 1)
            #expect(message.errorMessage == "boom")
            #expect(window.contains(Double(message.lastFailedAt)))
            #expect(try await context.redis.command(["GET", RedisArgument(QueueKeys.failed(q, on: Date()))]).int == 1)
            #expect(try await context.redis.command(["GET", RedisArgument("asynq:{\(q)}:processed")]).int == 1)
        }
    }

    @Test func theBackoffGrowsWithEachRetry() {
        #expect((15...44).contains(RetryBackoff.delay(retried: 0)))
        #expect(RetryBackoff.delay(retried: 3) { _ in 0 } == 96)
        #expect(RetryBackoff.delay(retried: 3) { _ in 29 } == 212)
    }

    @Test func tasksOutOfRetriesAreArchived() async throws {
        try await QueueTestContext.with { context in
            var mux = TaskMux()
            mux.handle("job") { _ in throw HandlerFailure(message: "still broken") }
            let client = QueueClient(redis: context.redis)
            let last = try await client.enqueue(
                type: "job",
                payload: [],
                options: TaskOptions(queue: context.queue, maxRetry: 0)
            )
            let skip = try await client.enqueue(type: "skip", payload: [], options: TaskOptions(queue: context.queue))
            mux.handle("skip") { _ in throw TaskHandlingError.skipRetry("not worth retrying") }
            try await withQueueServer(
                redis: context.redis,
                configuration: testServerConfiguration(queues: [context.queue: 1]),
                mux: mux
            ) { _ in
                try await eventually("both are archived") {
                    let lastState = try await context.hash(last.id)["state"]
                    let skipState = try await context.hash(skip.id)["state"]
                    return lastState == Array("archived".utf8) && skipState == Array("archived".utf8)
                }
            }
            let archived = try await context.strings([
                "ZRANGE", RedisArgument("asynq:{\(context.queue)}:archived"), "0", "-1",
            ])
            #expect(Set(archived) == [last.id, skip.id])
            #expect(
                try TaskMessage(decoding: try await context.hash(last.id)["msg"] ?? []).errorMessage == "still broken"
            )
            #expect(
                try TaskMessage(decoding: try await context.hash(skip.id)["msg"] ?? []).errorMessage
                    == "not worth retrying"
            )
            #expect(
                try await context.redis.command(["GET", RedisArgument("asynq:{\(context.queue)}:failed")]).int == 2
            )
        }
    }

    @Test func uniqueTasksAreDeduplicated() async throws {
        try await QueueTestContext.with { context in
            let client = QueueClient(redis: context.redis)
            let options = TaskOptions(queue: context.queue, uniqueFor: .seconds(60))
            let first = try await client.enqueue(type: "job", payload: [7], options: options)
            await #expect(
                throws: EnqueueError.duplicateTask(
                    uniqueKey: QueueKeys.unique(context.queue, type: "job", payload: [7])
                )
            ) {
                _ = try await client.enqueue(type: "job", payload: [7], options: options)
            }
            _ = try await client.enqueue(type: "job", payload: [8], options: options)
            #expect(
                try await context.hash(first.id)["unique_key"]
                    == Array(QueueKeys.unique(context.queue, type: "job", payload: [7]).utf8)
            )
            let ttl =
                try await context.integer([
                    "TTL", RedisArgument(QueueKeys.unique(context.queue, type: "job", payload: [7])),
                ]) ?? 0
            #expect(ttl > 50 && ttl <= 60)
            await #expect(throws: EnqueueError.taskIDConflict(id: "fixed")) {
                _ = try await client.enqueue(
                    type: "a",
                    payload: [],
                    options: TaskOptions(queue: context.queue, taskID: "fixed")
                )
                _ = try await client.enqueue(
                    type: "b",
                    payload: [],
                    options: TaskOptions(queue: context.queue, taskID: "fixed")
                )
            }
        }
    }

    @Test func batchesReportEachTask() async throws {
        try await QueueTestContext.with { context in
            let client = QueueClient(redis: context.redis)
            let tasks =
                (0..<500).map {
                    NewTask(type: "job", payload: Array("\($0)".utf8), options: TaskOptions(queue: context.queue))
                }
                + [NewTask(type: "", payload: [], options: TaskOptions(queue: context.queue))]
            let results = try await client.enqueue(tasks)
            #expect(results.prefix(500).allSatisfy { (try? $0.get()) != nil })
            #expect(results.last.map { if case .failure(.invalid) = $0 { true } else { false } } == true)
            #expect(try await context.integer(["LLEN", RedisArgument("asynq:{\(context.queue)}:pending")]) == 500)
        }
    }

    @Test func scheduledTasksAreForwardedWhenDue() async throws {
        try await QueueTestContext.with { context in
            // The client's clock runs a minute behind, so "30 s from now" is already past for the server.
            let client = QueueClient(redis: context.redis, now: { Date().addingTimeInterval(-60) })
            let task = try await client.enqueue(
                type: "job",
                payload: [],
                options: TaskOptions(queue: context.queue, processAt: Date().addingTimeInterval(-30))
            )
            #expect(task.state == .scheduled)
            #expect(try await context.hash(task.id)["state"] == Array("scheduled".utf8))
            let log = RunLog()
            var mux = TaskMux()
            mux.handle("job") { task in log.append(task.id) }
            try await withQueueServer(
                redis: context.redis,
                configuration: testServerConfiguration(queues: [context.queue: 1]),
                mux: mux
            ) { _ in
                try await eventually("the scheduled task ran") { log.all == [task.id] }
            }
        }
    }
}

struct HandlerFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
