import Foundation
import Testing

@testable import KnockerKit

extension PipelineTests {
    /// `knocker notification test`, `knocker all` and `knocker work`'s region check, as processes.
    @Suite("Pipeline: commands (binary)")
    struct Commands {
        @Test func notificationTestReportsTheChannelsAnswer() async throws {
            try await PipelineFixture.with(redisDatabase: 3) { fixture in
                let server = fixture.server
                try await fixture.insertWebhook(id: 7, secret: "test-secret")
                let environment = fixture.environment()

                let delivered = try await KnockerProcess.run(["notification", "test", "7"], environment: environment)
                #expect(delivered.status == 0, "\(delivered.standardError)")
                #expect(
                    delivered.standardOutput == "delivered: hook 7 (webhook): the server answered HTTP 200: ok\n",
                    "\(delivered.standardOutput)"
                )
                let request = try #require(server.requests.first)
                #expect(server.requests.count == 1)
                #expect(request.event == "test", "\(request.body)")
                #expect(request.headers["x-knocker-event"] == "test")
                #expect(pipelineSignatureIsValid(request, secret: "test-secret"))

                let json = try await KnockerProcess.run(
                    ["notification", "test", "7", "--json"],
                    environment: environment
                )
                #expect(json.status == 0, "\(json.standardError)")
                let report =
                    (try? JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8))) as? [String: Any] ?? [:]
                #expect(report["id"] as? String == "7", "\(json.standardOutput)")
                #expect(report["delivered"] as? Bool == true, "\(json.standardOutput)")
                #expect(report["answer"] as? String == "the server answered HTTP 200: ok", "\(json.standardOutput)")

                server.failHooks(1)
                let refused = try await KnockerProcess.run(["notification", "test", "7"], environment: environment)
                #expect(refused.status == 1, "\(refused.standardOutput)\(refused.standardError)")
                #expect(
                    refused.standardOutput
                        == "not delivered: hook 7 (webhook): the server answered HTTP 500: failing on purpose\n",
                    "\(refused.standardOutput)"
                )
                #expect(server.requests.count == 3)

                let unknown = try await KnockerProcess.run(["notification", "test", "999"], environment: environment)
                #expect(unknown.status == 1)
                #expect(
                    unknown.standardError.contains("notification channel 999 does not exist"),
                    "\(unknown.standardError)"
                )
                #expect(unknown.standardOutput.isEmpty)

                for bad in ["abc", "0", "-5"] {
                    let usage = try await KnockerProcess.run(["notification", "test", bad], environment: environment)
                    #expect(usage.status == 64, "\(bad): \(usage.standardError)")
                    #expect(usage.standardError.contains("Error:"), "\(bad): \(usage.standardError)")
                    #expect(usage.standardError.contains("Usage:"), "\(bad): \(usage.standardError)")
                }
                #expect(server.requests.count == 3)
            }
        }

        @Test func allOnAnEmptyDatabaseCreatesTheLocalRegionAndChecksItsMonitors() async throws {
            try await PipelineFixture.with(redisDatabase: 4) { fixture in
                #expect(try await fixture.count("SELECT count(*) FROM regions") == 0)
                _ = try fixture.start(
                    "all",
                    ["all"],
                    environment: [
                        "APP_MACHINE_ID": "21", "PING_FLUSH_INTERVAL": "200ms", "WORKER_SHUTDOWN_GRACE": "2s",
                        "SCHEDULER_TICK": "200ms",
                    ]
                )
                try await fixture.waitUntil("the local region exists", timeout: .seconds(15)) {
                    try await fixture.count("SELECT count(*) FROM regions WHERE name = 'local'") == 1
                }
                let region = try await fixture.count("SELECT id FROM regions WHERE name = 'local'")
                #expect(try await fixture.count("SELECT count(*) FROM regions") == 1)
                try await fixture.insertMonitor(id: 50, interval: 1, regions: [region])
                try await fixture.waitUntil("a ping of the monitor was recorded", timeout: .seconds(15)) {
                    try await fixture.count(
                        """
                        SELECT count(*) FROM pings
                         WHERE monitor_id = 50 AND region_id = \(region) AND status = 'successful'
                        """
                    ) >= 1
                }
                #expect(fixture.server.targetHits >= 1)
                let results = try await fixture.stopAll()
                let log = results["all"]?.standardError ?? ""
                #expect(log.contains("created region"), "\(log)")
                #expect(log.contains("worker stopped"), "\(log)")

                // A second start finds the region and creates nothing.
                _ = try fixture.start("all again", ["all"], environment: ["APP_MACHINE_ID": "22"])
                try await fixture.waitUntil("knocker all is running again", timeout: .seconds(15)) {
                    await fixture.logs().contains("knocker all running")
                }
                let again = try await fixture.stopAll()
                #expect(again["all again"]?.standardError.contains("created region") == false)
                #expect(try await fixture.count("SELECT count(*) FROM regions") == 1)
            }
        }

        @Test func workWithAnUnknownRegionListsTheKnownOnes() async throws {
            try await PipelineFixture.with(redisDatabase: 5) { fixture in
                let environment = fixture.environment()
                let none = try await KnockerProcess.run(["work", "--region", "nope"], environment: environment)
                #expect(none.status == 1)
                #expect(
                    none.standardError.contains("unknown region \"nope\"; known regions: none yet"),
                    "\(none.standardError)"
                )

                _ = try await fixture.insertRegions(["eu", "us"])
                let result = try await KnockerProcess.run(["work", "--region", "nope"], environment: environment)
                #expect(result.status == 1)
                #expect(
                    result.standardError.contains("unknown region \"nope\"; known regions: eu, us"),
                    "\(result.standardError)"
                )
                #expect(!result.standardError.contains("worker starting"))
            }
        }

        @Test func moreWritersThanPooledConnectionsAreRefused() async throws {
            // Checked before anything connects: no database or Redis needed.
            let environment = [
                "DATABASE_URL": "postgres://knocker@127.0.0.1:1/none", "REDIS_URL": "redis://127.0.0.1:1/0",
                "PING_WRITERS": "4", "DB_POOL_SIZE": "4",
            ]
            for command in [["work", "--region", "eu"], ["all"]] {
                let result = try await KnockerProcess.run(command, environment: environment)
                #expect(result.status == 1, "\(command)")
                #expect(
                    result.standardError.contains("PING_WRITERS (4) must be less than DB_POOL_SIZE (4)"),
                    "\(result.standardError)"
                )
            }
        }

        @Test func anUnmigratedDatabaseSaysToMigrate() async throws {
            let database = try await TestDatabase.create(prefix: "knocker_unmigrated")
            let environment = ["DATABASE_URL": database.url, "REDIS_URL": "redis://127.0.0.1:1/0"]
            let commands = [
                ["work", "--region", "eu"], ["all"], ["schedule"], ["tail-pings"], ["tail-pings", "--follow"],
                ["maintain"], ["notification", "test", "1"],
            ]
            for command in commands {
                let result = try await KnockerProcess.run(command, environment: environment)
                #expect(result.status == 1, "\(command): \(result.standardError)")
                #expect(
                    result.standardError.contains(
                        "Error: the database has no Knocker tables yet (relation \"regions\" does not exist); "
                            + "run `knocker migrate up`"
                    ),
                    "\(command): \(result.standardError)"
                )
                #expect(result.elapsed < .seconds(10), "\(command)")
            }
            try await database.drop()
        }

        /// A database migrated by an older Knocker (the newest migration not applied): the roles refuse to start.
        @Test func aDatabaseBehindTheBinarySaysToMigrate() async throws {
            let database = try await TestDatabase.create(prefix: "knocker_behind")
            let environment = ["DATABASE_URL": database.url, "REDIS_URL": "redis://127.0.0.1:1/0"]
            for step in [["migrate", "up"], ["migrate", "down"]] {
                let result = try await KnockerProcess.run(step, environment: environment)
                try #require(result.status == 0, "\(step): \(result.standardError)")
            }
            let newest = try MigrationCatalog.embedded().map {
                MigrationCatalog.label(version: $0.version, name: $0.name)
            }
            .max()
            for command in [["work", "--region", "eu"], ["all"], ["schedule"], ["maintain"]] {
                let result = try await KnockerProcess.run(command, environment: environment)
                #expect(result.status == 1, "\(command): \(result.standardError)")
                #expect(
                    result.standardError.contains(
                        "Error: the database lacks a migration this knocker needs (\(newest ?? "?")); "
                            + "run `knocker migrate up`"
                    ),
                    "\(command): \(result.standardError)"
                )
            }
            try await database.drop()
        }

        /// Redis unreachable at start-up fails the long-running roles at once; outages after a start are retried.
        @Test func unreachableRedisFailsAtStart() async throws {
            let database = try await TestDatabase.create(prefix: "knocker_noredis")
            let environment = ["DATABASE_URL": database.url, "REDIS_URL": "redis://127.0.0.1:1/0"]
            let migrated = try await KnockerProcess.run(["migrate", "up"], environment: environment)
            try #require(migrated.status == 0, "\(migrated.standardError)")
            let client = try PostgresClient(
                configuration: PostgresConfiguration(connectionString: database.url, poolSize: 1),
                logger: Logger(level: .error)
            )
            _ = try await client.execute("INSERT INTO regions (id, name, display_name) VALUES (1, 'eu', 'EU')")
            await client.shutdown()
            for command in [
                ["work", "--region", "eu"], ["all", "--region", "eu"], ["schedule"], ["tail-pings", "-f"],
            ] {
                let result = try await KnockerProcess.run(command, environment: environment)
                #expect(result.status == 1, "\(command): \(result.standardError)")
                #expect(
                    result.standardError.contains("Error: cannot reach Redis at 127.0.0.1:1: Connection refused"),
                    "\(command): \(result.standardError)"
                )
                #expect(!result.standardError.contains("worker starting"), "\(command)")
                #expect(result.elapsed < .seconds(10), "\(command)")
            }
            try await database.drop()
        }
    }
}
