import Foundation

/// A migration recorded as applied in the database.
public struct AppliedMigration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var checksum: String
    public var appliedAt: Date
}

/// One row of `knocker migrate status`.
public struct MigrationStatus: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Applied, and the SQL matches what was applied.
        case applied
        /// Not applied yet.
        case pending
        /// Applied, but the SQL in this binary differs from what was applied.
        case changed
        /// Applied by a newer Knocker: this binary does not know it.
        case unknown
    }
    public var version: Int
    public var name: String
    public var state: State
    public var appliedAt: Date?
}

/// A migration that was applied or reverted, and how long it took.
public struct MigrationRun: Sendable {
    public enum Direction: String, Sendable { case up, down }
    public var migration: Migration
    public var direction: Direction
    public var duration: Duration
}

/// Why migrating refused or failed. The messages say what to do.
public enum MigrationError: Error, Sendable, CustomStringConvertible {
    case changed([String])
    case unknown([String])
    case outOfOrder(pending: String, applied: String)
    case targetBelowApplied(target: Int, latest: String)
    case unknownTarget(Int)
    case cannotRevert(String)
    case failed(label: String, direction: String, error: PostgresError)

    public var description: String {
        switch self {
        case .changed(let labels):
            "applied migration\(labels.count == 1 ? "" : "s") \(labels.joined(separator: ", ")) changed after being "
                + "applied (checksum differs from the database's record); restore the original SQL and put the "
                + "change in a new migration"
        case .unknown(let labels):
            "the database has migration\(labels.count == 1 ? "" : "s") \(labels.joined(separator: ", ")) that this "
                + "knocker does not contain; run a knocker built from a newer version"
        case .outOfOrder(let pending, let applied):
            "migration \(pending) is pending but the later \(applied) is already applied; migrations run in order, "
                + "so renumber \(pending) after the latest applied one"
        case .targetBelowApplied(let target, let latest):
            "--to \(target) is below the latest applied migration \(latest); use `knocker migrate down` to go back"
        case .unknownTarget(let target):
            "there is no migration with version \(target)"
        case .cannotRevert(let label):
            "cannot revert \(label): this knocker does not contain its down migration"
        case .failed(let label, let direction, let error):
            "migration \(label) (\(direction)) failed and was rolled back: \(error.message)"
                + (error.sqlState.map { " (SQLSTATE \($0))" } ?? "")
        }
    }
}

/// Decides which migrations to run. Pure: no database access.
enum MigrationPlan {
    static func up(
        migrations: [Migration],
        applied: [AppliedMigration],
        target: Int?
    ) throws(MigrationError)
        -> [Migration]
    {
        try verify(migrations: migrations, applied: applied)
        let appliedVersions = Set(applied.map(\.version))
        if let target {
            guard migrations.contains(where: { $0.version == target }) || appliedVersions.contains(target) else {
                throw .unknownTarget(target)
            }
            if let latest = applied.max(by: { $0.version < $1.version }), latest.version > target {
                throw .targetBelowApplied(
                    target: target,
                    latest: MigrationCatalog.label(version: latest.version, name: latest.name)
                )
            }
        }
        let pending = migrations.filter { !appliedVersions.contains($0.version) && $0.version <= (target ?? .max) }
        if let first = pending.first, let latest = applied.max(by: { $0.version < $1.version }),
            latest.version > first.version
        {
            throw .outOfOrder(
                pending: first.label,
                applied: MigrationCatalog.label(version: latest.version, name: latest.name)
            )
        }
        return pending
    }

    static func down(
        migrations: [Migration],
        applied: [AppliedMigration],
        steps: Int
    ) throws(MigrationError)
        -> [Migration]
    {
        try verify(migrations: migrations, applied: applied, allowUnknown: false)
        let byVersion = Dictionary(migrations.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        var plan: [Migration] = []
        for record in applied.sorted(by: { $0.version > $1.version }).prefix(max(0, steps)) {
            guard let migration = byVersion[record.version] else {
                throw .cannotRevert(MigrationCatalog.label(version: record.version, name: record.name))
            }
            plan.append(migration)
        }
        return plan
    }

    static func verify(
        migrations: [Migration],
        applied: [AppliedMigration],
        allowUnknown: Bool = false
    )
        throws(MigrationError)
    {
        let statuses = Migrator.statuses(migrations: migrations, applied: applied)
        let changed = statuses.filter { $0.state == .changed }.map {
            MigrationCatalog.label(version: $0.version, name: $0.name)
        }
        if !changed.isEmpty { throw .changed(changed) }
        let unknown = statuses.filter { $0.state == .unknown }.map {
            MigrationCatalog.label(version: $0.version, name: $0.name)
        }
        if !unknown.isEmpty && !allowUnknown { throw .unknown(unknown) }
    }
}
