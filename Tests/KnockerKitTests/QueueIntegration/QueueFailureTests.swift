import Foundation
import Testing

@testable import KnockerKit

/// Crashes and outages: a worker killed with SIGKILL, and Redis restarting under a running server.
@Suite("Queue failures")
struct QueueFailureTests {
    /// The queue-test-worker executable, next to the knocker binary.
    static func workerPath() throws -> String {
        let knocker = try KnockerProcess.binaryPath()
        let path = (knocker as NSString).deletingLastPathComponent + "/queue-test-worker"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            Issue.record("queue-test-worker is not built at \(path); run scripts/test")
            throw CancellationError()
        }
        return path
    }

    @Test func aKilledWorkersTaskRunsAgainAfterItsLeaseExpires() async throws {
        try await QueueTestContext.with { context in
            let q = context.queue
            let marker = "knocker-test:" + q + ":runs"
            let configuration = try TestServices.redisConfiguration()
            let task = try await QueueClient(redis: context.redis).enqueue(
                type: "job",
                payload: [],
                options: TaskOptions(queue: q)
            )

            let worker = try SpawnedProcess(
                executable: try Self.workerPath(),
                arguments: [String(configuration.port), q, marker],
                environment: ProcessInfo.processInfo.environment,
                directory: FileManager.default.currentDirectoryPath,
                standardOutput: "/dev/null",
                standardError: "/dev/null"
            )
            try await eventually("the worker took the task") {
                try await context.strings(["LRANGE", RedisArgument(marker), "0", "-1"]) == ["start:" + task.id]
            }
            kill(worker.processIdentifier, SIGKILL)
            try await offPool { worker.waitUntilExit() }
            #expect(worker.terminationStatus == 128 + SIGKILL)
            // The task is still held: active, with a lease nobody extends.
            #expect(try await context.hash(task.id)["state"] == Array("active".utf8))

            // A second worker whose clock is 61 s ahead sees the lease (30 s) and the recovery grace (30 s) over.
            let runs = RunLog()
            var mux = TaskMux()
            mux.handle("job") { task in runs.append(task.id) }
            let config = testServerConfiguration(queues: [q: 1]) { _, _, _ in 0 }
            try await withQueueServer(
                redis: context.redis,
                configuration: config,
                mux: mux,
                now: { Date().addingTimeInterval(61) }
            ) { _ in
                try await eventually("the task ran again") { runs.all == [task.id] }
                try await eventually("the task is done") { try await context.hash(task.id).isEmpty }
            }
            #expect(runs.all == [task.id])
            _ = try await context.redis.command(["DEL", RedisArgument(marker)])
        }
    }

    @Test func theServerKeepsWorkingAcrossARedisRestart() async throws {
        let server = try await TemporaryRedisServer.start()
        defer { server.destroy() }
        let redis = RedisClient(configuration: server.configuration, logger: Logger(level: .critical))
        let runs = RunLog()
        var mux = TaskMux()
        mux.handle("job") { task in runs.append(task.id) }
        let client = QueueClient(redis: redis)
        do {
            try await withQueueServer(redis: redis, configuration: testServerConfiguration(queues: ["q": 1]), mux: mux)
            { _ in
                let before = try await client.enqueue(type: "job", payload: [], options: TaskOptions(queue: "q"))
                try await eventually("the first task ran") { runs.all == [before.id] }
                try await server.restart()
                var after: EnqueuedTask?
                try await eventually("enqueueing works again") {
                    after = try? await client.enqueue(type: "job", payload: [], options: TaskOptions(queue: "q"))
                    return after != nil
                }
                try await eventually("the server took the new task") { runs.count == 2 }
                #expect(runs.all.last == after?.id)
            }
        } catch {
            await redis.shutdown()
            throw error
        }
        await redis.shutdown()
    }
}
