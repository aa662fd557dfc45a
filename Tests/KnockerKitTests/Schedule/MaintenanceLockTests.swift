import Foundation
import Testing

@testable import KnockerKit

extension ScheduleTests {
    /// The storage upkeep runs in one process at a time: schedulers skip it while another holds its advisory lock.
    @Suite("Maintenance: one process at a time")
    struct MaintenanceLock {
        @Test func aRunIsSkippedWhileAnotherProcessHoldsTheLockAndRunsOnceItIsFree() async throws {
            let logger = Logger(level: .error)
            try await withTestClient(poolSize: 3) { client, _ in
                _ = try await Migrator(client: client, migrations: try MigrationCatalog.embedded(), logger: logger)
                    .up()
                let maintenance = Maintenance(
                    client: client,
                    settings: .init(retentionDays: 3, partitionsAheadDays: 2, rollupRetentionDays: 30),
                    logger: logger
                )
                // Another process's run, as a session holding the lock.
                try await client.withSession { other in
                    let locked = try await other.run { connection in
                        try connection.query("SELECT pg_try_advisory_lock(\(Maintenance.lockKey))")[0]
                            .decode(Bool.self, at: 0)
                    }
                    #expect(locked)
                    let skipped = try await maintenance.run(wait: false)
                    #expect(!skipped.ran, "the scheduler's periodic run skips while another runs")
                    _ = try await other.run { connection in
                        try connection.query("SELECT pg_advisory_unlock(\(Maintenance.lockKey))")
                    }
                }
                #expect(try await maintenance.run(wait: false).ran, "free again: it runs")
            }
        }
    }
}
