import Foundation
import Synchronization
import Testing

@testable import KnockerKit

/// Runs `body` with a client on a fresh database, then shuts the client down and drops the database.
func withTestClient<T>(
    poolSize: Int = 4,
    acquireTimeout: Duration = .seconds(10),
    statementTimeout: Duration? = .seconds(30),
    _ body: (PostgresClient, TestDatabase) async throws -> T
) async throws -> T {
    let database = try await TestDatabase.create()
    let configuration = PostgresConfiguration(
        connectionString: database.url,
        poolSize: poolSize,
        acquireTimeout: acquireTimeout,
        statementTimeout: statementTimeout,
        applicationName: "knocker-tests"
    )
    let client = try PostgresClient(configuration: configuration, logger: Logger(level: .error))
    do {
        let result = try await body(client, database)
        await client.shutdown()
        try await database.drop()
        return result
    } catch {
        await client.shutdown()
        try? await database.drop()
        throw error
    }
}

/// Expects `body` to throw a ``PostgresError`` and returns it.
func expectPostgresError(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> PostgresError? {
    do {
        try await body()
        Issue.record("expected a PostgresError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as PostgresError {
        return error
    } catch {
        Issue.record("expected a PostgresError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Waits (awaiting, not blocking) until `condition` holds, failing after `timeout`.
func eventually(
    timeout: Duration = .seconds(10),
    sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while try await !condition() {
        guard clock.now < deadline else {
            Issue.record("condition not met within \(timeout)", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// A gate a pool thread blocks on until the test opens it (pool threads are ours, so blocking there is fine).
final class Gate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    func wait() { semaphore.wait() }
    func open() { semaphore.signal() }
}

/// A thread-safe list of strings.
final class Recorder: Sendable {
    private let entries = Mutex<[String]>([])
    func append(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
}
