import Foundation
import Synchronization
import Testing

@testable import KnockerKit

@Suite("Postgres client (needs KNOCKER_TEST_DATABASE_URL)")
struct PostgresClientTests {
    @Test func roundTripsEachTypeAndReportsNulls() async throws {
        try await withTestClient { client, _ in
            let date = Date(timeIntervalSince1970: 1_700_000_000.123456)
            let uuid = UUID()
            let bytes: [UInt8] = [0, 1, 254, 255]
            let rows = try await client.query(
                """
                SELECT \(42)::int8 AS i, \(Int32(-7))::int4 AS i32, \(Int16(3))::int2 AS i16, \(2.5)::float8 AS d,
                       \(true)::bool AS b, \(date)::timestamptz AS ts, \(bytes)::bytea AS raw, \(uuid)::uuid AS id,
                       \("héllo ✓")::text AS s, \(Data([9]))::bytea AS data, NULL::text AS missing
                """
            )
            let row = try #require(rows.first)
            #expect(rows.columnNames.first == "i")
            #expect(try row.decode(Int.self, column: "i") == 42)
            #expect(try row.decode(Int64.self, column: "i") == 42)
            #expect(try row.decode(Int32.self, column: "i32") == -7)
            #expect(try row.decode(Int16.self, column: "i16") == 3)
            #expect(try row.decode(Double.self, column: "d") == 2.5)
            #expect(try row.decode(Bool.self, column: "b") == true)
            let decodedDate = try row.decode(Date.self, column: "ts")
            #expect(abs(decodedDate.timeIntervalSince1970 - date.timeIntervalSince1970) < 1e-6)
            #expect(try row.decode([UInt8].self, column: "raw") == bytes)
            #expect(try row.decode(UUID.self, column: "id") == uuid)
            #expect(try row.decode(String.self, column: "s") == "héllo ✓")
            #expect(try row.decode(Data.self, column: "data") == Data([9]))
            #expect(try row.decodeOptional(String.self, column: "missing") == nil)
            #expect(row[10] == nil)
            let nullError = #expect(throws: PostgresError.self) { try row.decode(String.self, column: "missing") }
            #expect(nullError?.code == .decoding)
            #expect(nullError?.message.contains("missing") == true)
            let typeError = #expect(throws: PostgresError.self) { try row.decode(Int.self, column: "s") }
            #expect(typeError?.code == .decoding)
            #expect(throws: PostgresError.self) { try row.decode(Int.self, column: "nope") }
        }
    }

    @Test func bindsBinaryArraysOfEachType() async throws {
        try await withTestClient { client, _ in
            let times = [Date(timeIntervalSince1970: 1_700_000_000.123456), Date(timeIntervalSince1970: -0.5)]
            let rows = try await client.query(
                """
                SELECT \(PostgresBinaryValue.int64Array([1, -2, .max, .min]))::text,
                       \(PostgresBinaryValue.int32Array([3, -4, 1 << 40]))::text,
                       \(PostgresBinaryValue.textArray(["a", nil, "é\u{0}x", "", "q\"uote"]))::text,
                       (SELECT array_agg(extract(epoch FROM t)::text ORDER BY o)
                          FROM unnest(\(PostgresBinaryValue.timestampArray(times))) WITH ORDINALITY AS u (t, o))::text,
                       cardinality(\(PostgresBinaryValue.int64Array([])))
                """
            )
            #expect(try rows[0].decode(String.self, at: 0) == "{1,-2,9223372036854775807,-9223372036854775808}")
            #expect(try rows[0].decode(String.self, at: 1) == "{3,-4,2147483647}", "clamped to integer")
            #expect(try rows[0].decode(String.self, at: 2) == #"{a,NULL,é\#u{FFFD}x,"","q\"uote"}"#, "NUL replaced")
            #expect(try rows[0].decode(String.self, at: 3) == "{1700000000.123456,-0.500000}")
            #expect(try rows[0].decode(Int.self, at: 4) == 0)
        }
    }

    @Test func decodesTimestamptzInAnotherSessionTimeZone() async throws {
        try await withTestClient { client, _ in
            let text = try await client.withConnection { connection in
                try connection.executeScript("SET TIME ZONE 'Asia/Kolkata'")
                let rows = try connection.query("SELECT '2023-11-14 22:13:20.5+00'::timestamptz AS ts")
                return try rows[0].decode(String.self, column: "ts")
            }
            #expect(text == "2023-11-15 03:43:20.5+05:30")
            #expect(try Date(postgresText: text).timeIntervalSince1970 == 1_700_000_000.5)
        }
    }

    @Test func poolExhaustionTimesOutThenServesWaitersFIFO() async throws {
        try await withTestClient(poolSize: 2, acquireTimeout: .milliseconds(300)) { client, _ in
            let gates = [Gate(), Gate()]
            let (held, heldContinuation) = AsyncStream.makeStream(of: Int.self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<2 {
                    group.addTask {
                        try await client.withConnection { _ in
                            heldContinuation.yield(index)
                            gates[index].wait()
                        }
                    }
                }
                var iterator = held.makeAsyncIterator()
                _ = await iterator.next()
                _ = await iterator.next()
                #expect(client.statistics.inUse == 2)

                let clock = ContinuousClock()
                let start = clock.now
                let error = await expectPostgresError { try await client.execute("SELECT 1") }
                let elapsed = clock.now - start
                #expect(error?.code == .poolTimeout)
                #expect(error?.message == "no database connection free within 300ms (pool size 2)")
                #expect(elapsed >= .milliseconds(250) && elapsed < .seconds(5))
                #expect(client.statistics.waiting == 0)
                gates[0].open()
                gates[1].open()
                try await group.waitForAll()
            }
        }
        try await withTestClient(poolSize: 1, acquireTimeout: .seconds(30)) { client, _ in
            let gate = Gate()
            let order = Recorder()
            let (held, heldContinuation) = AsyncStream.makeStream(of: Void.self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await client.withConnection { _ in
                        heldContinuation.yield()
                        gate.wait()
                    }
                }
                var iterator = held.makeAsyncIterator()
                _ = await iterator.next()
                for (index, name) in ["first", "second", "third"].enumerated() {
                    group.addTask {
                        try await client.withConnection { _ in order.append(name) }
                    }
                    try await eventually { client.statistics.waiting == index + 1 }
                }
                gate.open()
                try await group.waitForAll()
            }
            #expect(order.all == ["first", "second", "third"])
            #expect(client.statistics == PostgresPoolStatistics(open: 1, idle: 1, inUse: 0, waiting: 0))
        }
    }

    @Test func cancellingAWaitingAcquireRemovesTheWaiter() async throws {
        try await withTestClient(poolSize: 1, acquireTimeout: .seconds(30)) { client, _ in
            let gate = Gate()
            let (held, heldContinuation) = AsyncStream.makeStream(of: Void.self)
            async let holder: Void = client.withConnection { _ in
                heldContinuation.yield()
                gate.wait()
            }
            var iterator = held.makeAsyncIterator()
            _ = await iterator.next()
            let waiter = Task { try await client.execute("SELECT 1") }
            try await eventually { client.statistics.waiting == 1 }
            waiter.cancel()
            let result = await waiter.result
            #expect(postgresError(result)?.code == .cancelled)
            #expect(client.statistics.waiting == 0)
            gate.open()
            try await holder
            #expect(try await client.execute("SELECT 1") == 1)
        }
    }

    @Test func transactionRollsBackOnThrownAndSQLErrors() async throws {
        struct Boom: Error {}
        try await withTestClient { client, _ in
            try await client.withConnection { try $0.executeScript("CREATE TABLE t (id int PRIMARY KEY)") }
            await #expect(throws: Boom.self) {
                try await client.transaction { connection in
                    try connection.execute("INSERT INTO t VALUES (\(1))")
                    throw Boom()
                }
            }
            let sqlError = await expectPostgresError {
                try await client.transaction { connection in
                    try connection.execute("INSERT INTO t VALUES (\(2))")
                    try connection.execute("INSERT INTO t VALUES (\(2))")
                }
            }
            #expect(sqlError?.isUniqueViolation == true)
            let swallowed = await expectPostgresError {
                try await client.transaction { connection in
                    try connection.execute("INSERT INTO t VALUES (\(3))")
                    _ = try? connection.execute("SELECT 1/0")
                }
            }
            #expect(swallowed?.sqlState == "25P02")
            _ = try await client.transaction { try $0.execute("INSERT INTO t VALUES (\(4))") }
            let ids = try await client.query("SELECT id FROM t ORDER BY id").map { try $0.decode(Int.self, at: 0) }
            #expect(ids == [4])
        }
    }

    @Test func mapsSQLStates() async throws {
        try await withTestClient { client, _ in
            try await client.withConnection { connection in
                try connection.executeScript(
                    """
                    CREATE TABLE parent (id int PRIMARY KEY);
                    CREATE TABLE child (id int PRIMARY KEY, parent_id int CONSTRAINT child_parent_fk REFERENCES parent);
                    INSERT INTO parent VALUES (1);
                    """
                )
            }
            let unique = await expectPostgresError { try await client.execute("INSERT INTO parent VALUES (\(1))") }
            #expect(unique?.code == .server)
            #expect(unique?.isUniqueViolation == true)
            #expect(unique?.constraint == "parent_pkey")
            #expect(unique?.table == "parent")
            #expect(unique?.detail == "Key (id)=(1) already exists.")
            #expect(unique?.debugDescription.contains("INSERT INTO parent") == true)
            #expect(unique?.description.contains("INSERT") == false)
            let foreign = await expectPostgresError { try await client.execute("INSERT INTO child VALUES (1, \(99))") }
            #expect(foreign?.isForeignKeyViolation == true)
            #expect(foreign?.constraint == "child_parent_fk")
            let syntax = await expectPostgresError { try await client.execute("SELEC 1") }
            #expect(syntax?.sqlState == "42601")
            #expect(syntax?.message.contains("syntax error") == true)
            #expect(try await client.execute("SELECT 1") == 1)
        }
    }

    @Test func copiesAHundredThousandRows() async throws {
        try await withTestClient { client, _ in
            try await client.withConnection { try $0.executeScript("CREATE TABLE \"Copy Target\" (n int, label text)") }
            let special = ["tab\there", "line\nbreak", "back\\slash", "ünïcødé ✓ 🐘", "\\N", "cr\rlf"]
            var rows: [[String?]] = []
            rows.reserveCapacity(100_000)
            for n in 0..<100_000 {
                let label: String? = n % 10 == 0 ? nil : (n < special.count ? special[n] : "row \(n)")
                rows.append([String(n), label])
            }
            let copied = try await client.copyIn(table: "Copy Target", columns: ["n", "label"], rows: rows)
            #expect(copied == 100_000)
            let count = try await client.query("SELECT count(*), count(label) FROM \"Copy Target\"")
            #expect(try count[0].decode(Int.self, at: 0) == 100_000)
            #expect(try count[0].decode(Int.self, at: 1) == 90_000)
            let sample = try await client.query(
                """
                SELECT n, label FROM "Copy Target" WHERE n < \(special.count) OR n IN (\(54_321), \(99_999)) ORDER BY n
                """
            )
            let labels = sample.map { $0[1] }
            #expect(labels == [nil] + special.dropFirst().map { Optional($0) } + ["row 54321", "row 99999"])
            let short = await expectPostgresError {
                _ = try await client.copyIn(table: "Copy Target", columns: ["n", "label"], rows: [["1"]])
            }
            #expect(short?.code == .copyFailed)
            let bad = await expectPostgresError {
                _ = try await client.copyIn(table: "Copy Target", columns: ["n", "label"], rows: [["x", "y"]])
            }
            #expect(bad?.code == .server)
            #expect(bad?.sqlState == "22P02")
            #expect(try await client.query("SELECT count(*) FROM \"Copy Target\"")[0][0] == "100000")
        }
    }

    @Test func statementTimeoutCancelsTheQuery() async throws {
        try await withTestClient(statementTimeout: .milliseconds(200)) { client, _ in
            let clock = ContinuousClock()
            let start = clock.now
            let error = await expectPostgresError { try await client.execute("SELECT pg_sleep(5)") }
            #expect(error?.isQueryCanceled == true)
            #expect(error?.code == .server)
            #expect(clock.now - start < .seconds(3))
            let after = try await client.execute("SELECT 1")
            #expect(after == 1)
        }
    }

    @Test func taskCancellationCancelsARunningStatement() async throws {
        try await withTestClient { client, _ in
            let marker = "cancel-me-\(UUID().uuidString)"
            let clock = ContinuousClock()
            let start = clock.now
            let sleeper = Task { try await client.execute("SELECT pg_sleep(20), \(marker)::text") }
            try await eventually {
                let rows = try await client.query(
                    """
                    SELECT count(*) FROM pg_stat_activity
                    WHERE state = 'active' AND pid <> pg_backend_pid() AND query LIKE '%pg_sleep(20)%'
                    """
                )
                return try rows[0].decode(Int.self, at: 0) == 1
            }
            sleeper.cancel()
            let result = await sleeper.result
            let error = try #require(postgresError(result))
            #expect(error.code == .cancelled)
            #expect(error.isQueryCanceled)
            #expect(clock.now - start < .seconds(10))
            #expect(try await client.execute("SELECT 1") == 1)
        }
    }

    @Test func brokenConnectionIsDiscardedNotPooled() async throws {
        try await withTestClient(poolSize: 2) { client, _ in
            let error = await expectPostgresError {
                try await client.withConnection { connection in
                    _ = try connection.query("SELECT pg_terminate_backend(pg_backend_pid())")
                }
            }
            #expect(error?.code == .connectionLost)
            #expect(error?.message.isEmpty == false)
            #expect(client.statistics == PostgresPoolStatistics(open: 0, idle: 0, inUse: 0, waiting: 0))
            let result = try await client.execute("SELECT 1")
            #expect(result == 1)
        }
    }

    @Test func unreachableServerFailsQuickly() async throws {
        // A refused connection must fail at once, not after the connect timeout (20 s here); the bound is half of
        // it so a loaded machine running the whole suite in parallel cannot make this flaky.
        let configuration = PostgresConfiguration(
            connectionString: "postgres://knocker:hunter2@127.0.0.1:1/x",
            connectTimeout: .seconds(20)
        )
        let client = try PostgresClient(configuration: configuration, logger: Logger(level: .error))
        let clock = ContinuousClock()
        let start = clock.now
        let error = await expectPostgresError { try await client.execute("SELECT 1") }
        await client.shutdown()
        #expect(error?.code == .connectionFailed)
        #expect(error?.message.contains("127.0.0.1") == true)
        #expect(error?.message.contains("Connection refused") == true)
        #expect(error?.message.contains("hunter2") == false)
        #expect(clock.now - start < .seconds(10))
        #expect(client.statistics == PostgresPoolStatistics(open: 0, idle: 0, inUse: 0, waiting: 0))
    }

    @Test func shutdownFailsLaterCalls() async throws {
        let url = try TestServices.databaseURL()
        let client = try PostgresClient(configuration: .init(connectionString: url, poolSize: 2), logger: Logger())
        #expect(try await client.execute("SELECT 1") == 1)
        let serverVersion = try await client.withConnection { $0.serverVersion }
        #expect(serverVersion >= 150_000)
        await client.shutdown()
        let error = await expectPostgresError { try await client.execute("SELECT 1") }
        #expect(error?.code == .poolClosed)
    }
}

/// The PostgresError a task failed with, if any.
func postgresError<T>(_ result: Result<T, any Error>) -> PostgresError? {
    if case .failure(let error) = result { return error as? PostgresError }
    return nil
}
