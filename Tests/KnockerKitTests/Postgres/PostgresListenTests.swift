import Foundation
import Synchronization
import Testing

@testable import KnockerKit

@Suite("Postgres LISTEN/NOTIFY (needs KNOCKER_TEST_DATABASE_URL)")
struct PostgresListenTests {
    @Test func notificationFromAnotherConnectionArrives() async throws {
        try await withTestClient { client, _ in
            let (subscribed, subscribedContinuation) = AsyncStream.makeStream(of: Void.self)
            let stream = client.listen(channel: "Monitor Events", onSubscribed: { subscribedContinuation.yield() })
            var events = subscribed.makeAsyncIterator()
            _ = await events.next()
            try await client.notify(channel: "Monitor Events", payload: "hello ✓")
            try await client.notify(channel: "other", payload: "ignored")
            try await client.notify(channel: "Monitor Events", payload: "")
            var iterator = stream.makeAsyncIterator()
            let first = try await iterator.next()
            let second = try await iterator.next()
            #expect(first?.channel == "Monitor Events")
            #expect(first?.payload == "hello ✓")
            #expect(first.map { $0.processID > 0 } == true)
            #expect(second?.payload == "")
        }
    }

    @Test func streamEndsOnShutdown() async throws {
        let url = try TestServices.databaseURL()
        let client = try PostgresClient(configuration: .init(connectionString: url, poolSize: 1), logger: Logger())
        let (subscribed, subscribedContinuation) = AsyncStream.makeStream(of: Void.self)
        let stream = client.listen(channel: "ends", onSubscribed: { subscribedContinuation.yield() })
        var events = subscribed.makeAsyncIterator()
        _ = await events.next()
        await client.shutdown()
        var iterator = stream.makeAsyncIterator()
        #expect(try await iterator.next() == nil)
        let after = client.listen(channel: "ends")
        await #expect(throws: PostgresError.self) {
            for try await _ in after {}
        }
    }
}

@Suite("Postgres server restarts (starts its own cluster)", .serialized)
struct PostgresRestartTests {
    @Test func poolReconnectsAfterServerRestart() async throws {
        let cluster = try await TemporaryPostgresCluster.start()
        defer { cluster.destroy() }
        let configuration = PostgresConfiguration(connectionString: cluster.url, poolSize: 2)
        let client = try PostgresClient(configuration: configuration, logger: Logger(level: .error))
        do {
            let before = try await client.withConnection { $0.backendProcessID }
            #expect(try await client.execute("SELECT 1") == 1)
            try await cluster.restart()
            let after = try await client.withConnection { $0.backendProcessID }
            #expect(after != before)
            #expect(try await client.execute("SELECT 1") == 1)
            #expect(client.statistics.open == 1)
            try await cluster.stop()
            let down = await expectPostgresError { try await client.execute("SELECT 1") }
            #expect(down?.code == .connectionFailed)
            try await cluster.startAgain()
            #expect(try await client.execute("SELECT 1") == 1)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }

    @Test func listenSurvivesServerRestart() async throws {
        let cluster = try await TemporaryPostgresCluster.start()
        defer { cluster.destroy() }
        let configuration = PostgresConfiguration(connectionString: cluster.url, poolSize: 2)
        let client = try PostgresClient(configuration: configuration, logger: Logger(level: .critical))
        do {
            let (subscribed, subscribedContinuation) = AsyncStream.makeStream(of: Void.self)
            let stream = client.listen(channel: "events", onSubscribed: { subscribedContinuation.yield() })
            var subscriptions = subscribed.makeAsyncIterator()
            var iterator = stream.makeAsyncIterator()
            _ = await subscriptions.next()
            try await client.notify(channel: "events", payload: "before")
            #expect(try await iterator.next()?.payload == "before")
            try await cluster.restart()
            _ = await subscriptions.next()
            try await client.notify(channel: "events", payload: "after")
            #expect(try await iterator.next()?.payload == "after")
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }
}
