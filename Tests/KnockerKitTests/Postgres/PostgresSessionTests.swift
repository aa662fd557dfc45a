import Foundation
import Testing

@testable import KnockerKit

/// ``PostgresClient/withSession(_:)``: one connection held across awaits.
@Suite("Postgres sessions")
struct PostgresSessionTests {
    @Test func aTransactionSpansAwaitsOnOneConnection() async throws {
        try await withTestClient(poolSize: 2) { client, _ in
            try await client.execute("CREATE TABLE t (n int)")
            let pids = try await client.withSession { session in
                let first = try await session.run { connection -> Int32 in
                    _ = try connection.query("BEGIN")
                    try connection.execute("INSERT INTO t VALUES (1)")
                    return connection.backendProcessID
                }
                try await Task.sleep(for: .milliseconds(1))  // any async work between statements
                // Not committed yet: another connection does not see the row.
                #expect(try await client.query("SELECT count(*) FROM t").first?.decode(Int64.self, at: 0) == 0)
                let second = try await session.run { connection -> Int32 in
                    _ = try connection.query("COMMIT")
                    return connection.backendProcessID
                }
                return [first, second]
            }
            #expect(pids[0] == pids[1])
            #expect(try await client.query("SELECT count(*) FROM t").first?.decode(Int64.self, at: 0) == 1)
        }
    }

    @Test func anOpenTransactionIsRolledBackWhenTheSessionEnds() async throws {
        try await withTestClient(poolSize: 1) { client, _ in
            try await client.execute("CREATE TABLE t (n int)")
            struct Stop: Error {}
            await #expect(throws: Stop.self) {
                try await client.withSession { session in
                    try await session.run { connection in
                        _ = try connection.query("BEGIN")
                        try connection.execute("INSERT INTO t VALUES (1)")
                    }
                    throw Stop()
                }
            }
            // The only pooled connection is back, idle and usable.
            #expect(try await client.query("SELECT count(*) FROM t").first?.decode(Int64.self, at: 0) == 0)
            #expect(client.statistics.open == 1)
            #expect(client.statistics.idle == 1)
        }
    }

    @Test func anUnusedSessionReturnsItsSlot() async throws {
        try await withTestClient(poolSize: 1) { client, _ in
            try await client.withSession { _ in }
            #expect(try await client.query("SELECT 1").count == 1)
        }
    }
}
