import Foundation
import Testing

@testable import KnockerKit

/// Migrations against a real Postgres: each test gets a fresh database.
@Suite("Migrations on Postgres")
struct MigrationIntegrationTests {
    let logger = Logger(level: .warning)

    func withDatabase(_ body: (PostgresClient) async throws -> Void) async throws {
        let database = try await TestDatabase.create(prefix: "knocker_migrate")
        let client = try PostgresClient(
            configuration: PostgresConfiguration(connectionString: database.url, poolSize: 4),
            logger: logger
        )
        do {
            try await body(client)
        } catch {
            await client.shutdown()
            try await database.drop()
            throw error
        }
        await client.shutdown()
        try await database.drop()
    }

    func tables(_ client: PostgresClient) async throws -> Set<String> {
        let rows = try await client.query(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'pings_%'"
        )
        return Set(try rows.map { try $0.decode(String.self, at: 0) })
    }

    func types(_ client: PostgresClient) async throws -> Set<String> {
        let rows = try await client.query(
            "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'"
        )
        return Set(try rows.map { try $0.decode(String.self, at: 0) })
    }

    @Test func upDownUpRoundTripOnAnEmptyDatabase() async throws {
        try await withDatabase { client in
            let migrator = Migrator(client: client, migrations: try MigrationCatalog.embedded(), logger: logger)
            let applied = try await migrator.up()
            #expect(applied.count == migrator.migrations.count)
            let expected: Set<String> = [
                "users", "accounts", "oauth_tokens", "refresh_tokens", "teams", "team_members", "team_invites",
                "regions", "monitors", "monitor_regions", "notifications", "monitor_notifications", "incidents",
                "incident_monitors", "event_timelines", "status_pages", "status_page_groups", "status_page_monitors",
                "pings", "monitor_30min_summary", "knocker_rollup_state", "knocker_schema_migrations",
                "monitor_region_states",
                "notification_deliveries", "notification_outbox",
            ]
            #expect(try await tables(client) == expected)
            #expect(
                try await types(client) == [
                    "auth_provider", "member_role", "monitor_type", "monitor_status", "notification_type",
                    "incident_status", "incident_severity", "event_type", "status_page_element_type", "ping_status",
                ]
            )
            #expect(try await migrator.status().allSatisfy { $0.state == .applied })
            #expect(try await migrator.up().isEmpty)

            let reverted = try await migrator.down(steps: .max)
            #expect(reverted.map(\.migration.version) == migrator.migrations.map(\.version).reversed())
            #expect(try await tables(client) == ["knocker_schema_migrations"])
            #expect(try await types(client).isEmpty)
            let functions = try await client.query(
                "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'"
            )
            #expect(try functions.first?.decode(Int64.self, at: 0) == 0)

            #expect(try await migrator.up().count == migrator.migrations.count)
            #expect(try await tables(client) == expected)
        }
    }

    @Test func upToAndDownSteps() async throws {
        try await withDatabase { client in
            let migrator = Migrator(client: client, migrations: try MigrationCatalog.embedded(), logger: logger)
            #expect(try await migrator.up(to: 2).map(\.migration.version) == [1, 2])
            #expect(try await migrator.status().map(\.state).prefix(3) == [.applied, .applied, .pending])
            #expect(try await migrator.down(steps: 1).map(\.migration.version) == [2])
            #expect(try await tables(client).contains("monitors") == false)
            #expect(try await tables(client).contains("users"))
        }
    }

    @Test func concurrentMigratorsWaitForEachOther() async throws {
        try await withDatabase { client in
            let migrations = try MigrationCatalog.embedded()
            let first = Migrator(client: client, migrations: migrations, logger: logger)
            let second = Migrator(client: client, migrations: migrations, logger: logger)
            async let a = first.up()
            async let b = second.up()
            let (ranA, ranB) = try await (a, b)
            #expect(ranA.count + ranB.count == migrations.count)
            #expect(ranA.isEmpty || ranB.isEmpty)
            let recorded = try await client.query("SELECT count(*) FROM knocker_schema_migrations")
            #expect(try recorded.first?.decode(Int64.self, at: 0) == Int64(migrations.count))
        }
    }

    @Test func aTamperedAppliedMigrationIsRefused() async throws {
        try await withDatabase { client in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "knocker-mig-\(UUID().uuidString)"
            )
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            func write(_ name: String, _ text: String) throws {
                try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
            try write("0001_widgets.up.sql", "CREATE TABLE widgets (id int);")
            try write("0001_widgets.down.sql", "DROP TABLE widgets;")
            let before = try MigrationCatalog.load(directory: folder.path)
            #expect(try await Migrator(client: client, migrations: before, logger: logger).up().count == 1)

            try write("0001_widgets.up.sql", "CREATE TABLE widgets (id bigint);")
            try write("0002_gadgets.up.sql", "CREATE TABLE gadgets (id int);")
            try write("0002_gadgets.down.sql", "DROP TABLE gadgets;")
            let after = Migrator(
                client: client,
                migrations: try MigrationCatalog.load(directory: folder.path),
                logger: logger
            )
            await #expect {
                try await after.up()
            } throws: { error in
                "\(error)".contains("0001_widgets changed after being applied")
            }
            #expect(try await after.status().map(\.state) == [.changed, .pending])
            #expect(try await tables(client).contains("gadgets") == false)
        }
    }

    @Test func aFailingMigrationRollsBackCompletely() async throws {
        try await withDatabase { (client: PostgresClient) async throws in
            let broken = [
                Migration(version: 1, name: "ok", up: "CREATE TABLE a (id int);", down: "DROP TABLE a;"),
                Migration(version: 2, name: "broken", up: "CREATE TABLE b (id int); SELECT * FROM nowhere;", down: ""),
            ]
            let migrator = Migrator(client: client, migrations: broken, logger: logger)
            do {
                _ = try await migrator.up()
                Issue.record("the broken migration was applied")
            } catch {
                #expect("\(error)".contains("migration 0002_broken (up) failed and was rolled back"))
                #expect("\(error)".contains("42P01"))
            }
            #expect(try await tables(client) == ["a", "knocker_schema_migrations"])
            #expect(try await migrator.status().map(\.state) == [.applied, .pending])
        }
    }

    @Test func partitionsExistForTodayAndAheadAndMaintenanceKeepsThem() async throws {
        try await withDatabase { client in
            _ = try await Migrator(client: client, migrations: try MigrationCatalog.embedded(), logger: logger).up()
            let now = Date()
            let partitions = try await client.withConnection { try PingStorageStore.partitions($0) }
            for offset in 0...2 {
                let day = Timestamp.day(now.addingTimeInterval(Double(offset) * 86_400))
                #expect(partitions.contains("pings_" + day.replacingOccurrences(of: "-", with: "")))
            }

            let maintenance = Maintenance(
                client: client,
                settings: .init(retentionDays: 3, partitionsAheadDays: 7, rollupRetentionDays: 30),
                logger: logger,
                now: { now }
            )
            let first = try await maintenance.run(wait: true)
            #expect(first.ran)
            #expect(first.partitionsCreated.count == 5)
            #expect(try await maintenance.run(wait: true).partitionsCreated.isEmpty)
            let all = try await client.withConnection { try PingStorageStore.partitions($0) }
            #expect(all.count == 9)
        }
    }

    @Test func maintenanceDropsExpiredDaysAndRollsUp() async throws {
        try await withDatabase { client in
            _ = try await Migrator(client: client, migrations: try MigrationCatalog.embedded(), logger: logger).up()
            let now = Date()
            let old = now.addingTimeInterval(-10 * 86_400)
            // An old day: its partition is created by maintenance at that time, then expires.
            let past = Maintenance(
                client: client,
                settings: .init(retentionDays: 90, partitionsAheadDays: 1, rollupRetentionDays: 400),
                logger: logger,
                now: { old }
            )
            _ = try await past.run(wait: true)
            let rows: [[String?]] = [
                [Timestamp.rfc3339(old), "1", "1", "10", "successful"],
                [Timestamp.rfc3339(now), "1", "1", "20", "successful"],
                [Timestamp.rfc3339(now), "1", "2", "0", "failed"],
                [Timestamp.rfc3339(now.addingTimeInterval(40 * 86_400)), "1", "1", "30", "successful"],
            ]
            #expect(
                try await client.copyIn(
                    table: "pings",
                    columns: ["time", "monitor_id", "region_id", "latency", "status"],
                    rows: rows
                ) == 4
            )
            let inDefault = try await client.query("SELECT count(*) FROM pings_default")
            #expect(try inDefault.first?.decode(Int64.self, at: 0) == 1)

            let maintenance = Maintenance(
                client: client,
                settings: .init(retentionDays: 5, partitionsAheadDays: 2, rollupRetentionDays: 400),
                logger: logger,
                now: { now }
            )
            let report = try await maintenance.run(wait: true)
            let oldName = "pings_" + Timestamp.day(old).replacingOccurrences(of: "-", with: "")
            #expect(report.partitionsDropped.contains(oldName))
            #expect(report.rollupRowsWritten == 2)
            let remaining = try await client.query("SELECT count(*) FROM pings")
            #expect(try remaining.first?.decode(Int64.self, at: 0) == 3)
            let summary = try await client.query(
                "SELECT region_id, total_count, good_count, p50_ms FROM monitor_30min_summary ORDER BY region_id"
            )
            #expect(summary.count == 2)
            #expect(try summary[0].decode(Int64.self, column: "good_count") == 1)
            #expect(try summary[0].decode(Double.self, column: "p50_ms") == 20)
            #expect(try summary[1].decode(Int64.self, column: "good_count") == 0)
            #expect(try summary[1].decodeOptional(Double.self, column: "p50_ms") == nil)
        }
    }

    @Test func theDatabaseAllowsOneOpenIncidentPerMonitor() async throws {
        try await withDatabase { client in
            _ = try await Migrator(client: client, migrations: try MigrationCatalog.embedded(), logger: logger).up()
            _ = try await client.execute("INSERT INTO teams (id, name) VALUES (1, 'team')")
            _ = try await client.execute(
                "INSERT INTO monitors (id, team_id, name, type, \"interval\") VALUES (10, 1, 'm', 'http', 60)"
            )
            _ = try await client.execute("INSERT INTO incidents (id) VALUES (100), (101)")
            _ = try await client.execute(
                "INSERT INTO incident_monitors (id, incident_id, monitor_id) VALUES (1, 100, 10)"
            )
            await #expect {
                _ = try await client.execute(
                    "INSERT INTO incident_monitors (id, incident_id, monitor_id) VALUES (2, 101, 10)"
                )
            } throws: { error in
                (error as? PostgresError)?.constraint == "incident_monitors_one_open_per_monitor"
            }
            _ = try await client.execute("UPDATE incidents SET status = 'resolved', resolved_at = now() WHERE id = 100")
            _ = try await client.execute(
                "INSERT INTO incident_monitors (id, incident_id, monitor_id) VALUES (2, 101, 10)"
            )
            // Re-opening the resolved one would make two open incidents: refused.
            await #expect(throws: PostgresError.self) {
                _ = try await client.execute(
                    "UPDATE incidents SET status = 'detected', resolved_at = NULL WHERE id = 100"
                )
            }
        }
    }

    @Test func checkTypesAndDegradedPingsRoundTrip() async throws {
        try await withDatabase { client in
            let migrator = Migrator(client: client, migrations: try MigrationCatalog.embedded(), logger: logger)
            _ = try await migrator.up(to: 8)
            _ = try await client.execute("INSERT INTO teams (id, name) VALUES (1, 'team')")
            _ = try await client.execute(
                """
                INSERT INTO monitors (id, team_id, name, type, "interval")
                VALUES (10, 1, 'web', 'http', 60), (11, 1, 'smtp', 'tcp', 60), (12, 1, 'zone', 'dns', 60)
                """
            )
            _ = try await client.execute(
                "INSERT INTO pings (time, monitor_id, region_id, latency, status) VALUES (now(), 10, 1, 900, 'degraded')"
            )
            let back = try await migrator.down(steps: 2)
            #expect(back.map(\.migration.version) == [8, 7])
            let kinds = try await client.query("SELECT type::text FROM monitors ORDER BY id")
            #expect(try kinds.map { try $0.decode(String.self, at: 0) } == ["http"])
            let statuses = try await client.query("SELECT status::text FROM pings")
            #expect(try statuses.map { try $0.decode(String.self, at: 0) } == ["successful"])
            let labels = try await client.query(
                "SELECT enum_range(NULL::ping_status)::text, enum_range(NULL::monitor_type)::text"
            )
            #expect(try labels.first?.decode(String.self, at: 0) == "{successful,failed,timeout}")
            #expect(try labels.first?.decode(String.self, at: 1) == "{http,ping}")
            #expect(try await migrator.up(to: 8).map(\.migration.version) == [7, 8])
        }
    }
}
