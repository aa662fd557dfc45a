import Foundation
import Testing

@testable import KnockerKit

/// The pipeline's failure tests: SIGTERM drain, Postgres outages, concurrent regions. One at a time: each runs
/// processes or servers of its own, and together they load the machine enough to upset other suites' timing.
@Suite(.serialized) enum DrainTests {}

/// A migrated database (on the shared test server, or a ``TemporaryPostgresCluster`` of the test's own), a team, one
/// region and a Redis client on a Redis database index 6–11 (another suite uses 1–5), flushed before and after:
/// workers share the `default` and `critical` queue names, so no two tests running at once may share an index (this
/// suite runs one test at a time).
struct DrainFixture {
    let databaseURL: String
    let redisURL: String
    let postgres: PostgresClient
    let redis: RedisClient
    let region: Region
    /// The private Postgres server holding the database, when the test asked for one.
    let cluster: TemporaryPostgresCluster?
    let teamID: Int64 = 1

    /// Runs `body` with a fresh fixture. With `ownCluster` the database lives in a ``TemporaryPostgresCluster`` of
    /// the test's own (which it may stop and start), not on the shared server.
    static func with(
        redisDatabase: Int,
        ownCluster: Bool = false,
        _ body: (DrainFixture) async throws -> Void
    ) async throws {
        precondition((6...11).contains(redisDatabase), "Redis databases 6–11 are this suite's")
        let cluster = ownCluster ? try await TemporaryPostgresCluster.start() : nil
        let database: TestDatabase?
        do {
            database = cluster == nil ? try await TestDatabase.create(prefix: "knocker_drain") : nil
        } catch {
            if let cluster { try? await offPool { cluster.destroy() } }
            throw error
        }
        let databaseURL = cluster?.url ?? database?.url ?? ""
        let logger = Logger(level: .error)
        var redisConfiguration = try TestServices.redisConfiguration()
        redisConfiguration.database = redisDatabase
        let redisURL = "redis://\(redisConfiguration.host):\(redisConfiguration.port)/\(redisDatabase)"
        let postgres = try PostgresClient(
            configuration: PostgresConfiguration(connectionString: databaseURL, poolSize: 4),
            logger: logger
        )
        let redis = RedisClient(configuration: redisConfiguration, logger: logger)
        let region = Region(id: Int64.random(in: 1_000_000_000_000...9_000_000_000_000), name: "r", displayName: "R")
        let fixture = DrainFixture(
            databaseURL: databaseURL,
            redisURL: redisURL,
            postgres: postgres,
            redis: redis,
            region: region,
            cluster: cluster
        )
        func tearDown() async {
            _ = try? await redis.command(["FLUSHDB"])
            await redis.shutdown()
            await postgres.shutdown()
            try? await database?.drop()
            // pg_ctl blocks: off the cooperative pool.
            if let cluster { try? await offPool { cluster.destroy() } }
        }
        do {
            _ = try await redis.command(["FLUSHDB"])
            _ = try await Migrator(client: postgres, migrations: try MigrationCatalog.embedded(), logger: logger).up()
            try await postgres.execute("INSERT INTO teams (id, name) VALUES (\(fixture.teamID), 'team')")
            try await fixture.insertRegion(region)
            try await body(fixture)
        } catch {
            await tearDown()
            throw error
        }
        await tearDown()
    }

    func insertRegion(_ region: Region) async throws {
        try await postgres.execute(
            "INSERT INTO regions (id, name, display_name) VALUES (\(region.id), \(region.name), \(region.displayName))"
        )
    }

    /// Inserts HTTP monitors `ids` checking `url` from `regions` (default: the fixture's region).
    func insertMonitors(
        _ ids: ClosedRange<Int64>,
        url: String,
        regions: [Int64]? = nil,
        failureThreshold: Int = 3,
        regionQuorum: Int = 1
    ) async throws {
        let config = "{\"url\": \"\(url)\"}"
        try await postgres.execute(
            """
            INSERT INTO monitors (id, team_id, name, type, "interval", config, next_check, failure_threshold,
                                  region_quorum)
            SELECT g, \(teamID), 'monitor ' || g, 'http', 60, \(config)::jsonb, now(), \(failureThreshold),
                   \(regionQuorum)
              FROM generate_series(\(ids.lowerBound)::bigint, \(ids.upperBound)::bigint) AS g
            """
        )
        for (index, region) in (regions ?? [self.region.id]).enumerated() {
            try await postgres.execute(
                """
                INSERT INTO monitor_regions (id, monitor_id, region_id)
                SELECT g * 100 + \(index), g, \(region)
                  FROM generate_series(\(ids.lowerBound)::bigint, \(ids.upperBound)::bigint) AS g
                """
            )
        }
    }

    /// The ping task of monitor `id` checking `url`, as the scheduler enqueues it (task ID `ping:<id>:<region>:0`).
    func pingTask(monitor id: Int64, url: String) -> NewTask {
        let epoch = Date(timeIntervalSince1970: 0)
        let monitor = Monitor(
            id: id,
            teamID: teamID,
            name: "monitor \(id)",
            type: .http,
            interval: 60,
            configJSON: "{\"url\":\"\(url)\"}",
            nextCheck: epoch,
            regionIDs: [region.id],
            createdAt: epoch,
            updatedAt: epoch
        )
        return NewTask(
            type: PingTask.type,
            payload: PingTask(monitor: monitor, regionID: region.id).payload(),
            options: TaskOptions(
                queue: region.queueName,
                timeout: PingTask.timeout,
                taskID: Scheduler.taskID(monitorID: id, regionID: region.id, due: epoch)
            )
        )
    }

    /// Enqueues one ping task per monitor in `ids`; every one must be accepted.
    func enqueuePings(_ ids: ClosedRange<Int64>, url: String) async throws {
        let results = try await QueueClient(redis: redis).enqueue(ids.map { pingTask(monitor: $0, url: url) })
        for result in results {
            if case .failure(let error) = result { Issue.record("enqueue failed: \(error)") }
        }
    }

    /// The environment of a `knocker work` process for this fixture.
    func workerEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = [
            "DATABASE_URL": databaseURL,
            "REDIS_URL": redisURL,
            "LOG_LEVEL": "info",
            "PING_FLUSH_INTERVAL": "200ms",
            "APP_MACHINE_ID": "4242",
        ]
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// How many tasks of the region's queue are in `state`'s list (pending, active).
    func count(_ key: String) async throws -> Int {
        Int(try await redis.command(["LLEN", RedisArgument(key)]).int ?? 0)
    }

    var pendingCount: Int { get async throws { try await count(QueueKeys.pending(region.queueName)) } }
    var activeCount: Int { get async throws { try await count(QueueKeys.active(region.queueName)) } }

    /// The task IDs pending in the region's queue.
    func pendingIDs() async throws -> Set<String> {
        let reply = try await redis.command(["LRANGE", RedisArgument(QueueKeys.pending(region.queueName)), "0", "-1"])
        return Set((reply.array ?? []).compactMap(\.string))
    }

    /// Ping rows per monitor.
    func pingCounts() async throws -> [Int64: Int] {
        var counts: [Int64: Int] = [:]
        for row in try await postgres.query("SELECT monitor_id, count(*)::bigint FROM pings GROUP BY monitor_id") {
            counts[try row.decode(Int64.self, at: 0)] = Int(try row.decode(Int64.self, at: 1))
        }
        return counts
    }

    /// All ping rows.
    func pingTotal() async throws -> Int {
        let rows = try await postgres.query("SELECT count(*)::bigint FROM pings")
        return Int(try rows.first.map { try $0.decode(Int64.self, at: 0) } ?? 0)
    }
}

/// Waits until `path` (a process's captured stderr) contains `text`.
func waitForLog(_ path: URL, containing text: String, timeout: Duration = .seconds(20)) async throws {
    try await eventually("the log contains \"\(text)\"", timeout: timeout) {
        ((try? String(contentsOf: path, encoding: .utf8)) ?? "").contains(text)
    }
}
