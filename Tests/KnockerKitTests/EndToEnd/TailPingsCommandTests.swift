import Foundation
import Testing

@testable import KnockerKit

/// `knocker tail-pings` as a process against a real Postgres and Redis.
@Suite("knocker tail-pings (binary)")
struct TailPingsCommandTests {
    /// A migrated database with two monitors, two regions and a few pings.
    func seeded() async throws -> (TestDatabase, [String: String]) {
        let database = try await TestDatabase.create(prefix: "knocker_tail")
        let redis = try TestServices.redisConfiguration()
        let env = [
            "DATABASE_URL": database.url,
            "REDIS_URL": "redis://\(redis.host):\(redis.port)/\(redis.database)",
        ]
        let migrated = try await KnockerProcess.run(["migrate", "up"], environment: env)
        #expect(migrated.status == 0, "\(migrated.standardError)")
        let client = try PostgresClient(
            configuration: PostgresConfiguration(connectionString: database.url, poolSize: 1),
            logger: Logger(level: .error)
        )
        _ = try await client.execute(
            """
            INSERT INTO teams (id, name) VALUES (1, 'team');
            """
        )
        _ = try await client.execute(
            "INSERT INTO regions (id, name, display_name) VALUES (1, 'eu', 'EU'), (2, 'us', 'US')"
        )
        _ = try await client.execute(
            "INSERT INTO monitors (id, team_id, name, type, \"interval\") VALUES (10, 1, 'web', 'http', 60), (11, 1, 'db', 'tcp', 60)"
        )
        _ = try await client.execute(
            """
            INSERT INTO pings (time, monitor_id, region_id, latency, status, message) VALUES
              (now() - interval '3 minutes', 10, 1, 120, 'successful', NULL),
              (now() - interval '2 minutes', 10, 2, 0, 'failed', 'connection refused'),
              (now() - interval '1 minute', 11, 1, 4, 'successful', NULL),
              (now() - interval '2 hours', 10, 1, 99, 'successful', NULL)
            """
        )
        await client.shutdown()
        return (database, env)
    }

    @Test func printsRecentPingsWithFilters() async throws {
        let (database, env) = try await seeded()
        let all = try await KnockerProcess.run(["tail-pings"], environment: env)
        #expect(all.status == 0, "\(all.standardError)")
        let lines = all.standardOutput.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.first?.contains("  web (10)  eu  SUCCESSFUL  120 ms") == true)
        #expect(lines[1].hasSuffix("  web (10)  us  FAILED  0 ms  connection refused"))

        let failed = try await KnockerProcess.run(["tail-pings", "--status", "failed", "--json"], environment: env)
        let objects = try failed.standardOutput.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(objects.count == 1)
        #expect(objects.first??["region"] as? String == "us")
        #expect(objects.first??["message"] as? String == "connection refused")

        let monitor = try await KnockerProcess.run(["tail-pings", "-m", "11", "--since", "1d"], environment: env)
        #expect(monitor.standardOutput.split(separator: "\n").count == 1)
        let older = try await KnockerProcess.run(["tail-pings", "--since", "1d", "-r", "eu"], environment: env)
        #expect(older.standardOutput.split(separator: "\n").count == 3)
        let limited = try await KnockerProcess.run(["tail-pings", "-n", "1"], environment: env)
        #expect(limited.standardOutput.contains("db (11)"))

        let unknown = try await KnockerProcess.run(["tail-pings", "--region", "mars"], environment: env)
        #expect(unknown.status == 1)
        #expect(unknown.standardError.contains("unknown region \"mars\"; known regions: eu, us"))
        let badSince = try await KnockerProcess.run(["tail-pings", "--since", "soon"], environment: env)
        #expect(badSince.status == 64)
        try await database.drop()
    }

    @Test func followsLivePingsUntilStopped() async throws {
        let (database, env) = try await seeded()
        let running = try KnockerProcess.start(
            ["tail-pings", "--follow", "--json", "--monitor", "10", "--since", "0s"],
            environment: env
        )
        let redis = RedisClient(configuration: try TestServices.redisConfiguration(), logger: Logger(level: .error))
        let encoder = JSONEncoder()
        var published = 0
        // Publish until the follower shows one (it may not have subscribed yet); pings of monitor 11 are filtered.
        try await eventually(timeout: .seconds(15)) {
            published += 1
            for monitor in [Int64(11), 10] {
                let ping = RecordedPing(
                    time: Date(),
                    monitorID: monitor,
                    regionID: 1,
                    latencyMs: published,
                    status: .successful,
                    message: nil
                )
                _ = try await redis.publish(
                    channel: PingBatchWriter.channel(database: redis.configuration.database),
                    message: Array(try encoder.encode(ping))
                )
            }
            let output = (try? String(contentsOf: running.outputURL, encoding: .utf8)) ?? ""
            return !output.isEmpty
        }
        kill(running.process.processIdentifier, SIGTERM)
        let result = try await offPool { running.wait() }
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["monitor_id"] as? String == "10")
            #expect(object?["monitor"] as? String == "web")
            #expect(object?["region"] as? String == "eu")
        }
        await redis.shutdown()
        try await database.drop()
    }
}
