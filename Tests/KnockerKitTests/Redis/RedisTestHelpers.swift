import Foundation
import Testing

@testable import KnockerKit

/// A random key prefix, so tests sharing the KNOCKER_TEST_REDIS_URL server never see each other's keys.
func redisTestPrefix(_ test: String = #function) -> String {
    "knocker-test:\(test.prefix { $0 != "(" }):\(UInt64.random(in: 0...UInt64.max)):"
}

/// Runs `body` with a client for `configuration` (the shared test server by default), then shuts it down.
func withRedisClient<T>(
    _ configuration: RedisConfiguration? = nil,
    _ body: (RedisClient) async throws -> T
) async throws -> T {
    let client = RedisClient(
        configuration: try configuration ?? TestServices.redisConfiguration(),
        logger: Logger(level: .critical)
    )
    do {
        let result = try await body(client)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}

/// Runs `body` with a server of its own, destroyed afterwards.
func withTemporaryRedisServer<T>(
    password: String? = nil,
    _ body: (TemporaryRedisServer) async throws -> T
) async throws -> T {
    let server = try await TemporaryRedisServer.start(password: password)
    defer { server.destroy() }
    return try await body(server)
}

/// Expects `body` to throw a ``RedisError`` and returns it.
func expectRedisError(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> RedisError? {
    do {
        try await body()
        Issue.record("expected a RedisError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as RedisError {
        return error
    } catch {
        Issue.record("expected a RedisError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
