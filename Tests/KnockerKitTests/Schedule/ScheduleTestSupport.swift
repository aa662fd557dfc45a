import Foundation
import Testing

@testable import KnockerKit

/// The scheduler's tests: unit tests, in-process integration and the binary end to end.
enum ScheduleTests {}

/// A migrated test database, a Redis client and regions with fresh random ids (so their queues are this test's
/// own); the queues' keys and the database are removed afterwards.
struct ScheduleFixture {
    let database: TestDatabase
    let postgres: PostgresClient
    let redis: RedisClient
    let regions: [Int64]
    let teamID: Int64 = 1

    static func with(regions count: Int, _ body: (ScheduleFixture) async throws -> Void) async throws {
        let database = try await TestDatabase.create(prefix: "knocker_schedule")
        let logger = Logger(level: .warning)
        let postgres = try PostgresClient(
            configuration: PostgresConfiguration(connectionString: database.url, poolSize: 4),
            logger: logger
        )
        let redis = RedisClient(configuration: try TestServices.redisConfiguration(), logger: logger)
        let regions = (0..<count).map { _ in Int64.random(in: 1_000_000_000_000...9_000_000_000_000) }
        let fixture = ScheduleFixture(database: database, postgres: postgres, redis: redis, regions: regions)
        do {
            _ = try await Migrator(client: postgres, migrations: try MigrationCatalog.embedded(), logger: logger).up()
            try await fixture.setUp()
            try await body(fixture)
        } catch {
            await fixture.tearDown()
            throw error
        }
        await fixture.tearDown()
    }

    private func setUp() async throws {
        try await postgres.execute("INSERT INTO teams (id, name) VALUES (\(teamID), 'team')")
        for region in regions {
            try await postgres.execute(
                "INSERT INTO regions (id, name, display_name) VALUES (\(region), \("r\(region)"), \("R \(region)"))"
            )
        }
    }

    private func tearDown() async {
        for region in regions { await deleteQueue(String(region)) }
        await redis.shutdown()
        await postgres.shutdown()
        try? await database.drop()
    }

    /// Inserts monitors `ids` due at `nextCheck`, checked from `regions`.
    func insertMonitors(
        _ ids: ClosedRange<Int64>,
        interval: Int,
        nextCheck: Date,
        regions: [Int64],
        paused: Bool = false
    ) async throws {
        let pausedAt: Date? = paused ? nextCheck : nil
        try await postgres.execute(
            """
            INSERT INTO monitors (id, team_id, name, type, "interval", config, next_check, paused_at)
            SELECT g, \(teamID), 'monitor ' || g, 'http', \(interval), '{"url": "http://127.0.0.1:1/"}',
                   \(nextCheck), \(pausedAt)
              FROM generate_series(\(ids.lowerBound)::bigint, \(ids.upperBound)::bigint) AS g
            """
        )
        for region in regions {
            try await postgres.execute(
                """
                INSERT INTO monitor_regions (id, monitor_id, region_id)
                SELECT g * 1000 + \(regions.firstIndex(of: region) ?? 0), g, \(region)
                  FROM generate_series(\(ids.lowerBound)::bigint, \(ids.upperBound)::bigint) AS g
                """
            )
        }
    }

    /// (last_checked, next_check) of a monitor.
    func schedule(of id: Int64) async throws -> (lastChecked: Date?, nextCheck: Date) {
        let rows = try await postgres.query("SELECT last_checked, next_check FROM monitors WHERE id = \(id)")
        guard let row = rows.first else { throw PostgresError(code: .decoding, message: "no monitor \(id)") }
        return (try row.decodeOptional(Date.self, at: 0), try row.decode(Date.self, at: 1))
    }

    /// Every pending task of a region's queue.
    func pendingTasks(region: Int64) async throws -> [TaskMessage] {
        let inspector = QueueInspector(redis: redis)
        guard try await inspector.queues().contains(String(region)) else { return [] }
        var result: [TaskMessage] = []
        while true {
            let page = try await inspector.tasks(String(region), state: .pending, offset: result.count, limit: 1000)
            result += page.map(\.message)
            if page.count < 1000 { return result }
        }
    }

    /// How many tasks are pending in a region's queue.
    func pendingCount(region: Int64) async throws -> Int {
        Int(try await redis.command(["LLEN", RedisArgument(QueueKeys.pending(String(region)))]).int ?? 0)
    }

    private func deleteQueue(_ queue: String) async {
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
}

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let current: Locked<Date>
    init(_ start: Date) { current = Locked(start) }
    var now: Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
}

/// A whole-millisecond time a little in the past, so due times round-trip through Postgres exactly.
func roundedNow(minus seconds: Double = 0) -> Date {
    let milliseconds = ((Date().timeIntervalSince1970 - seconds) * 1000).rounded(.down)
    return Date(timeIntervalSince1970: milliseconds / 1000)
}
