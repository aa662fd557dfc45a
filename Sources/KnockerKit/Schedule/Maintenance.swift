import Foundation

/// The periodic upkeep of ping storage: create day partitions ahead, drop days past retention, refresh the
/// 30-minute rollup and prune old rollup rows. `knocker maintain` runs it once; the scheduler runs it
/// periodically. Only one process runs it at a time (advisory lock).
public struct Maintenance: Sendable {
    public struct Settings: Sendable, Equatable {
        public var retentionDays: Int
        public var partitionsAheadDays: Int
        public var rollupRetentionDays: Int
        /// How far behind the rollup watermark buckets are rebuilt, to count late pings.
        public var rollupLookbackSeconds: Int

        public init(
            retentionDays: Int,
            partitionsAheadDays: Int,
            rollupRetentionDays: Int,
            rollupLookbackSeconds: Int = 3600
        ) {
            self.retentionDays = retentionDays
            self.partitionsAheadDays = partitionsAheadDays
            self.rollupRetentionDays = rollupRetentionDays
            self.rollupLookbackSeconds = rollupLookbackSeconds
        }
    }

    /// What one run did.
    public struct Report: Sendable, Equatable, Codable {
        /// False when another process held the lock and this run did nothing.
        public var ran: Bool
        public var partitionsCreated: [String]
        public var partitionsDropped: [String]
        public var rollupRowsWritten: Int
        public var rollupRowsDeleted: Int

        enum CodingKeys: String, CodingKey {
            case ran
            case partitionsCreated = "partitions_created"
            case partitionsDropped = "partitions_dropped"
            case rollupRowsWritten = "rollup_rows_written"
            case rollupRowsDeleted = "rollup_rows_deleted"
        }
    }

    static let lockKey: Int64 = 0x4B6E_6F63_6B4D_6169

    public let client: PostgresClient
    public let settings: Settings
    public let logger: Logger
    private let now: @Sendable () -> Date

    public init(
        client: PostgresClient,
        settings: Settings,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.client = client
        self.settings = settings
        self.logger = logger
        self.now = now
    }

    /// The UTC days whose partitions should exist at `now`: yesterday through `aheadDays` from today.
    public static func partitionDays(now: Date, aheadDays: Int) -> [String] {
        (-1...max(0, aheadDays)).map { Timestamp.day(now.addingTimeInterval(Double($0) * 86_400)) }
    }

    /// Runs the upkeep once.
    /// - Parameter wait: wait for another process's run to finish (true), or skip when one is running (false).
    public func run(wait: Bool) async throws -> Report {
        let settings = settings
        let now = now()
        let report = try await client.withConnection { connection in
            guard try PingStorageStore.lock(connection, key: Self.lockKey, wait: wait) else {
                return Report(
                    ran: false,
                    partitionsCreated: [],
                    partitionsDropped: [],
                    rollupRowsWritten: 0,
                    rollupRowsDeleted: 0
                )
            }
            defer { PingStorageStore.unlock(connection, key: Self.lockKey) }
            var created: [String] = []
            for day in Self.partitionDays(now: now, aheadDays: settings.partitionsAheadDays) {
                if try PingStorageStore.ensurePartition(connection, day: day) {
                    created.append("pings_" + day.replacingOccurrences(of: "-", with: ""))
                }
            }
            let cutoff = now.addingTimeInterval(-Double(settings.retentionDays) * 86_400)
            let dropped = try PingStorageStore.dropPartitions(connection, before: cutoff)
            let written = try PingStorageStore.refreshRollup(
                connection,
                until: now,
                lookbackSeconds: settings.rollupLookbackSeconds
            )
            let rollupCutoff = now.addingTimeInterval(-Double(settings.rollupRetentionDays) * 86_400)
            let deleted = try PingStorageStore.deleteRollups(connection, before: rollupCutoff)
            return Report(
                ran: true,
                partitionsCreated: created,
                partitionsDropped: dropped,
                rollupRowsWritten: written,
                rollupRowsDeleted: deleted
            )
        }
        if report.ran {
            logger.info(
                "maintenance done",
                ("partitions_created", report.partitionsCreated.count),
                ("partitions_dropped", report.partitionsDropped.count),
                ("rollup_rows", report.rollupRowsWritten)
            )
        } else {
            logger.debug("maintenance skipped: another process is running it")
        }
        return report
    }
}
