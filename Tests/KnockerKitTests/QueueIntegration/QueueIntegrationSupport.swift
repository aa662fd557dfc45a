import Foundation
import Testing

@testable import KnockerKit

/// A Redis client on the test server plus a fresh queue name, with the queue's keys removed afterwards.
struct QueueTestContext {
    let redis: RedisClient
    let queue: String

    static func with(_ body: (QueueTestContext) async throws -> Void) async throws {
        let redis = RedisClient(configuration: try TestServices.redisConfiguration(), logger: Logger(level: .warning))
        let context = QueueTestContext(redis: redis, queue: "test-" + UUID().uuidString.prefix(8).lowercased())
        do {
            try await body(context)
        } catch {
            await context.cleanUp()
            await redis.shutdown()
            throw error
        }
        await context.cleanUp()
        await redis.shutdown()
    }

    /// Deletes every key of this test's queue.
    func cleanUp() async {
        var cursor = "0"
        repeat {
            guard
                let reply = try? await redis.command([
                    "SCAN", RedisArgument(cursor), "MATCH", RedisArgument("asynq:{\(queue)}:*"), "COUNT", "1000",
                ]).array, reply.count == 2
            else { return }
            cursor = reply[0].string ?? "0"
            let keys = (reply[1].array ?? []).compactMap(\.bytes)
            if !keys.isEmpty { _ = try? await redis.command(["DEL"] + keys.map { RedisArgument($0) }) }
        } while cursor != "0"
        _ = try? await redis.command(["SREM", RedisArgument(QueueKeys.allQueues), RedisArgument(queue)])
    }

    func hash(_ id: String) async throws -> [String: [UInt8]] {
        let flat = try await redis.command(["HGETALL", RedisArgument(QueueKeys.task(queue, id: id))]).array ?? []
        var fields: [String: [UInt8]] = [:]
        for index in stride(from: 0, to: flat.count - 1, by: 2) {
            if let key = flat[index].string, let value = flat[index + 1].bytes { fields[key] = value }
        }
        return fields
    }

    func strings(_ arguments: [RedisArgument]) async throws -> [String] {
        (try await redis.command(arguments).array ?? []).compactMap(\.string)
    }

    func integer(_ arguments: [RedisArgument]) async throws -> Int64? {
        try await redis.command(arguments).int
    }
}

/// Runs a queue server for the duration of `body`, then shuts it down gracefully and waits for it.
func withQueueServer(
    redis: RedisClient,
    configuration: QueueServerConfiguration,
    mux: TaskMux,
    now: @escaping @Sendable () -> Date = { Date() },
    _ body: (QueueServer) async throws -> Void
) async throws {
    let server = try QueueServer(
        redis: redis,
        configuration: configuration,
        mux: mux,
        logger: Logger(level: .error),
        now: now
    )
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        do {
            try await body(server)
        } catch {
            server.shutdown()
            try await group.waitForAll()
            throw error
        }
        server.shutdown()
        try await group.waitForAll()
    }
}

/// Waits for `condition` to hold, checking every 20 ms, failing after `timeout`.
func eventually(
    _ what: String,
    timeout: Duration = .seconds(15),
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("timed out waiting until \(what)")
    throw CancellationError()
}

/// A fast server configuration for tests (short poll and background intervals).
func testServerConfiguration(
    queues: [String: Int],
    concurrency: Int = 10,
    retryDelay: @escaping @Sendable (Int, any Error, TaskMessage) -> Int = { _, _, _ in 60 }
) -> QueueServerConfiguration {
    QueueServerConfiguration(
        queues: queues,
        concurrency: concurrency,
        shutdownTimeout: .milliseconds(500),
        pollInterval: .milliseconds(20),
        heartbeatInterval: .milliseconds(200),
        forwardInterval: .milliseconds(100),
        recoverInterval: .seconds(60),
        janitorInterval: .milliseconds(200),
        retryDelay: retryDelay
    )
}

/// Records which tasks ran, in order.
final class RunLog: Sendable {
    private let entries = Locked<[String]>([])
    func append(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
    var count: Int { entries.withLock { $0.count } }
}
