import Foundation
import Testing

@testable import KnockerKit

@Suite("Migration catalog and plan")
struct MigrationPlanTests {
    func migration(_ version: Int, _ name: String = "m", up: String = "SELECT 1") -> Migration {
        Migration(version: version, name: name, up: up, down: "SELECT 2")
    }

    func applied(_ migration: Migration, checksum: String? = nil) -> AppliedMigration {
        AppliedMigration(
            version: migration.version,
            name: migration.name,
            checksum: checksum ?? migration.checksum,
            appliedAt: Date(timeIntervalSince1970: 0)
        )
    }

    @Test func embeddedMigrationsArePairedAndOrdered() throws {
        let migrations = try MigrationCatalog.embedded()
        #expect(migrations.count >= 6)
        #expect(migrations.map(\.version) == migrations.map(\.version).sorted())
        #expect(migrations.first?.label == "0001_accounts_and_teams")
        #expect(migrations.allSatisfy { !$0.up.isEmpty && !$0.down.isEmpty && $0.checksum.count == 64 })
    }

    @Test func embeddedMigrationsMatchTheFilesInTheRepository() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("migrations").path
        #expect(try MigrationCatalog.load(directory: directory) == MigrationCatalog.embedded())
    }

    @Test func fileNamesAreParsedStrictly() {
        #expect(MigrationCatalog.parseFileName("0003_incidents.up.sql")! == (3, "incidents", "up"))
        #expect(MigrationCatalog.parseFileName("0012_add_x.down.sql")! == (12, "add_x", "down"))
        #expect(MigrationCatalog.parseFileName("3_incidents.up.sql") == nil)
        #expect(MigrationCatalog.parseFileName("0003_Incidents.up.sql") == nil)
        #expect(MigrationCatalog.parseFileName("0003_incidents.sql") == nil)
        #expect(MigrationCatalog.parseFileName("0000_zero.up.sql") == nil)
    }

    @Test func missingHalvesAndClashingVersionsAreRefused() {
        #expect(throws: MigrationCatalog.Failure.self) {
            try MigrationCatalog.assemble([("0001_a.up.sql", "x")], origin: "test")
        }
        #expect(throws: MigrationCatalog.Failure.self) {
            try MigrationCatalog.assemble(
                [("0001_a.up.sql", "x"), ("0001_a.down.sql", "y"), ("0001_b.up.sql", "z")],
                origin: "test"
            )
        }
        #expect(throws: MigrationCatalog.Failure.self) {
            try MigrationCatalog.assemble([("notes.txt.sql", "x")], origin: "test")
        }
    }

    @Test func noTransactionDirective() {
        #expect(
            migration(1, up: "-- knocker:no-transaction\nCREATE INDEX CONCURRENTLY x ON y (z)").runsInTransaction
                == false
        )
        #expect(migration(1).runsInTransaction)
    }

    @Test func upAppliesPendingInOrderUpToTheTarget() throws {
        let all = [migration(1), migration(2), migration(3), migration(4)]
        #expect(try MigrationPlan.up(migrations: all, applied: [], target: nil).map(\.version) == [1, 2, 3, 4])
        #expect(try MigrationPlan.up(migrations: all, applied: [applied(all[0])], target: 3).map(\.version) == [2, 3])
        #expect(try MigrationPlan.up(migrations: all, applied: all.map { applied($0) }, target: nil).isEmpty)
        #expect(throws: MigrationError.self) {
            try MigrationPlan.up(migrations: all, applied: [applied(all[2])], target: 2)
        }
        #expect(throws: MigrationError.self) { try MigrationPlan.up(migrations: all, applied: [], target: 9) }
    }

    @Test func upRefusesChangedUnknownAndOutOfOrder() {
        let all = [migration(1), migration(2), migration(3)]
        #expect {
            try MigrationPlan.up(migrations: all, applied: [applied(all[0], checksum: "old")], target: nil)
        } throws: { error in
            "\(error)".contains("0001_m") && "\(error)".contains("changed after being applied")
        }
        #expect {
            try MigrationPlan.up(migrations: all, applied: [applied(migration(7, "later"))], target: nil)
        } throws: { error in
            "\(error)".contains("0007_later") && "\(error)".contains("does not contain")
        }
        #expect {
            try MigrationPlan.up(migrations: all, applied: [applied(all[0]), applied(all[2])], target: nil)
        } throws: { error in
            "\(error)".contains("0002_m is pending but the later 0003_m")
        }
    }

    @Test func downRevertsNewestFirst() throws {
        let all = [migration(1), migration(2), migration(3)]
        let done = all.map { applied($0) }
        #expect(try MigrationPlan.down(migrations: all, applied: done, steps: 2).map(\.version) == [3, 2])
        #expect(try MigrationPlan.down(migrations: all, applied: done, steps: .max).map(\.version) == [3, 2, 1])
        #expect(try MigrationPlan.down(migrations: all, applied: [], steps: 1).isEmpty)
    }

    @Test func statusesMarkEachState() {
        let all = [migration(1), migration(2), migration(3)]
        let rows = Migrator.statuses(
            migrations: all,
            applied: [applied(all[0]), applied(all[1], checksum: "x"), applied(migration(5, "newer"))]
        )
        #expect(rows.map(\.state) == [.applied, .changed, .pending, .unknown])
    }
}
