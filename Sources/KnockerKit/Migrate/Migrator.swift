import Foundation

/// Applies and reverts migrations, keeping a record in `knocker_schema_migrations`.
///
/// Every change holds a session advisory lock, so concurrent `knocker migrate` runs wait for each other instead of
/// colliding; each migration runs in its own transaction together with its bookkeeping row. An applied migration
/// whose SQL has changed since is refused.
public struct Migrator: Sendable {
    /// The advisory-lock key all Knocker migrators share (`'knocker.migrate'` hashed to 63 bits).
    static let lockKey: Int64 = 0x4B6E_6F63_6B4D_6967

    public let client: PostgresClient
    public let migrations: [Migration]
    public let logger: Logger

    public init(
        client: PostgresClient,
        migrations: [Migration],
        logger: Logger
    ) {
        self.client = client
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// Each known or recorded migration with its state.
    public func status() async throws -> [MigrationStatus] {
        let migrations = migrations
        return try await client.withConnection { connection in
            let applied = try Self.appliedMigrations(connection, createTable: false)
            return Self.statuses(migrations: migrations, applied: applied)
        }
    }

    /// Applies pending migrations in order, up to and including `target` (all when nil).
    /// - Returns: the migrations applied, with how long each took.
    public func up(to target: Int? = nil) async throws -> [MigrationRun] {
        let migrations = migrations
        let logger = logger
        return try await client.withConnection { connection in
            try Self.withLock(connection, logger: logger) {
                let applied = try Self.appliedMigrations(connection, createTable: true)
                let plan = try MigrationPlan.up(migrations: migrations, applied: applied, target: target)
                var runs: [MigrationRun] = []
                for migration in plan {
                    logger.info("applying migration", ("migration", migration.label))
                    let elapsed = try Self.run(connection, migration: migration, sql: migration.up, direction: "up") {
                        elapsed in
                        try connection.execute(
                            """
                            INSERT INTO knocker_schema_migrations (version, name, checksum, duration_ms)
                            VALUES (\(migration.version), \(migration.name), \(migration.checksum), \(elapsed.wholeMilliseconds))
                            """
                        )
                    }
                    runs.append(MigrationRun(migration: migration, direction: .up, duration: elapsed))
                }
                return runs
            }
        }
    }

    /// Reverts the `steps` most recently applied migrations, newest first.
    public func down(steps: Int) async throws -> [MigrationRun] {
        let migrations = migrations
        let logger = logger
        return try await client.withConnection { connection in
            try Self.withLock(connection, logger: logger) {
                let applied = try Self.appliedMigrations(connection, createTable: true)
                let plan = try MigrationPlan.down(migrations: migrations, applied: applied, steps: steps)
                var runs: [MigrationRun] = []
                for migration in plan {
                    logger.info("reverting migration", ("migration", migration.label))
                    let elapsed = try Self.run(connection, migration: migration, sql: migration.down, direction: "down")
                    {
                        _ in
                        try connection.execute(
                            "DELETE FROM knocker_schema_migrations WHERE version = \(migration.version)"
                        )
                    }
                    runs.append(MigrationRun(migration: migration, direction: .down, duration: elapsed))
                }
                return runs
            }
        }
    }

    // MARK: - Steps that run on the connection's thread

    private static func withLock<T>(
        _ connection: PostgresConnection,
        logger: Logger,
        _ body: () throws -> T
    ) throws -> T {
        let got = try connection.query("SELECT pg_try_advisory_lock(\(lockKey))")
        if try got.first?.decode(Bool.self, at: 0) != true {
            logger.notice("another knocker migrate is running; waiting for it to finish")
            _ = try connection.query("SELECT pg_advisory_lock(\(lockKey))")
        }
        defer { _ = try? connection.query("SELECT pg_advisory_unlock(\(lockKey))") }
        return try body()
    }

    /// Runs one migration's SQL and its bookkeeping (given the SQL's run time) in one transaction, unless the
    /// migration opts out of transactions. Returns how long the SQL took.
    private static func run(
        _ connection: PostgresConnection,
        migration: Migration,
        sql: String,
        direction: String,
        record: (Duration) throws -> Void
    ) throws -> Duration {
        do {
            return try withoutActuallyEscaping(record) { record in
                let work = { (connection: PostgresConnection) throws -> Duration in
                    let started = ContinuousClock.now
                    try connection.executeScript(sql)
                    let elapsed = ContinuousClock.now - started
                    try record(elapsed)
                    return elapsed
                }
                return migration.runsInTransaction ? try connection.transaction(work) : try work(connection)
            }
        } catch let error as PostgresError {
            throw MigrationError.failed(label: migration.label, direction: direction, error: error)
        }
    }

    static func appliedMigrations(_ connection: PostgresConnection, createTable: Bool) throws -> [AppliedMigration] {
        if createTable {
            try connection.executeScript(
                """
                CREATE TABLE IF NOT EXISTS knocker_schema_migrations (
                    version     bigint      PRIMARY KEY,
                    name        text        NOT NULL,
                    checksum    text        NOT NULL,
                    applied_at  timestamptz NOT NULL DEFAULT now(),
                    duration_ms integer     NOT NULL DEFAULT 0
                )
                """
            )
        } else {
            let exists = try connection.query("SELECT to_regclass('knocker_schema_migrations') IS NOT NULL")
            guard try exists.first?.decode(Bool.self, at: 0) == true else { return [] }
        }
        let rows = try connection.query(
            "SELECT version, name, checksum, applied_at FROM knocker_schema_migrations ORDER BY version"
        )
        return try rows.map { row in
            AppliedMigration(
                version: Int(try row.decode(Int64.self, column: "version")),
                name: try row.decode(String.self, column: "name"),
                checksum: try row.decode(String.self, column: "checksum"),
                appliedAt: try row.decode(Date.self, column: "applied_at")
            )
        }
    }

    static func statuses(migrations: [Migration], applied: [AppliedMigration]) -> [MigrationStatus] {
        let appliedByVersion = Dictionary(applied.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        var rows: [MigrationStatus] = migrations.map { migration in
            guard let record = appliedByVersion[migration.version] else {
                return MigrationStatus(
                    version: migration.version,
                    name: migration.name,
                    state: .pending,
                    appliedAt: nil
                )
            }
            let state: MigrationStatus.State = record.checksum == migration.checksum ? .applied : .changed
            return MigrationStatus(
                version: migration.version,
                name: migration.name,
                state: state,
                appliedAt: record.appliedAt
            )
        }
        let known = Set(migrations.map(\.version))
        for record in applied where !known.contains(record.version) {
            rows.append(
                MigrationStatus(
                    version: record.version,
                    name: record.name,
                    state: .unknown,
                    appliedAt: record.appliedAt
                )
            )
        }
        return rows.sorted { $0.version < $1.version }
    }
}
