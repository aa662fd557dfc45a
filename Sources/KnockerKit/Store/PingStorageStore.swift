import Foundation

/// SQL for the upkeep of ping storage: day partitions, retention and the 30-minute rollup. The heavy lifting is
/// in the SQL functions of migrations 0005 and 0006, so every caller does it the same way.
enum PingStorageStore {
    /// Creates the partition for `day` (`YYYY-MM-DD`, UTC) unless it exists; true when it was created.
    static func ensurePartition(_ connection: PostgresConnection, day: String) throws -> Bool {
        let rows = try connection.query("SELECT knocker_ensure_ping_partition(\(day)::date)")
        return try rows.first?.decode(Bool.self, at: 0) ?? false
    }

    /// Drops day partitions that end at or before `cutoff`; returns their names.
    static func dropPartitions(_ connection: PostgresConnection, before cutoff: Date) throws -> [String] {
        let rows = try connection.query("SELECT knocker_drop_ping_partitions(\(cutoff))")
        return try rows.map { try $0.decode(String.self, at: 0) }
    }

    /// The names of the existing day partitions, oldest first.
    static func partitions(_ connection: PostgresConnection) throws -> [String] {
        let rows = try connection.query(
            """
            SELECT c.relname FROM pg_inherits i
              JOIN pg_class c ON c.oid = i.inhrelid
              JOIN pg_class p ON p.oid = i.inhparent
             WHERE p.relname = 'pings' AND p.relnamespace = current_schema()::regnamespace
               AND c.relname ~ '^pings_[0-9]{8}$'
             ORDER BY c.relname
            """
        )
        return try rows.map { try $0.decode(String.self, at: 0) }
    }

    /// Rebuilds the rollup buckets from the watermark minus `lookbackSeconds` up to `until`; returns rows written.
    static func refreshRollup(_ connection: PostgresConnection, until: Date, lookbackSeconds: Int) throws -> Int {
        let rows = try connection.query(
            "SELECT knocker_refresh_ping_rollup(\(until), make_interval(secs => \(lookbackSeconds)))"
        )
        return Int(try rows.first?.decode(Int64.self, at: 0) ?? 0)
    }

    /// Deletes rollup buckets older than `cutoff`; returns how many.
    static func deleteRollups(_ connection: PostgresConnection, before cutoff: Date) throws -> Int {
        try connection.execute("DELETE FROM monitor_30min_summary WHERE bucket < \(cutoff)")
    }

    /// Takes the maintenance advisory lock for this session; waits for it when `wait`, else returns false if taken.
    static func lock(_ connection: PostgresConnection, key: Int64, wait: Bool) throws -> Bool {
        if wait {
            _ = try connection.query("SELECT pg_advisory_lock(\(key))")
            return true
        }
        let rows = try connection.query("SELECT pg_try_advisory_lock(\(key))")
        return try rows.first?.decode(Bool.self, at: 0) ?? false
    }

    static func unlock(_ connection: PostgresConnection, key: Int64) {
        _ = try? connection.query("SELECT pg_advisory_unlock(\(key))")
    }
}
