import Foundation

/// SQL for the scheduler's side of `monitors`: claiming due monitors under row locks and advancing their schedule.
///
/// A claim is a transaction the caller drives on one connection (``PostgresClient/withSession(_:)``):
/// ``begin(_:)``, ``claimDue(_:now:limit:)`` (locks the rows, skipping rows another scheduler holds), work outside
/// the database while the rows stay locked, ``advance(_:ids:jitterSeconds:now:)``, ``commit(_:)``.
enum MonitorStore {
    /// Starts the claim transaction.
    static func begin(_ connection: PostgresConnection) throws {
        _ = try connection.query("BEGIN")
    }

    /// Commits it; a transaction the server had already aborted throws (SQLSTATE 25P02), nothing was written.
    static func commit(_ connection: PostgresConnection) throws {
        let rows = try connection.query("COMMIT")
        if rows.commandTag == "ROLLBACK" {
            throw PostgresError(
                code: .server,
                message: "the claim transaction was aborted and has been rolled back",
                sqlState: "25P02",
                query: "COMMIT"
            )
        }
    }

    /// Locks and returns up to `limit` unpaused monitors due at `now` (next_check ≤ now), oldest due first, with
    /// their region ids; rows locked by another transaction are skipped. Must run inside a transaction.
    static func claimDue(_ connection: PostgresConnection, now: Date, limit: Int) throws -> [Monitor] {
        let rows = try connection.query(
            """
            SELECT m.id, m.team_id, m.name, m.type::text, m."interval", m.config::text, m.last_checked,
                   m.next_check, m.status::text, m.failure_threshold, m.recovery_threshold, m.region_quorum,
                   m.created_at, m.updated_at,
                   COALESCE((SELECT array_agg(r.region_id ORDER BY r.region_id)
                               FROM monitor_regions r WHERE r.monitor_id = m.id), '{}')::text
              FROM monitors m
             WHERE m.paused_at IS NULL AND m.next_check <= \(now)
             ORDER BY m.next_check
             LIMIT \(limit)
               FOR UPDATE OF m SKIP LOCKED
            """
        )
        return try rows.map { row in
            let typeName = try row.decode(String.self, at: 3)
            guard let type = MonitorType(rawValue: typeName) else {
                throw PostgresError(code: .decoding, message: "unknown monitor type \(typeName)")
            }
            let statusName = try row.decode(String.self, at: 8)
            return Monitor(
                id: try row.decode(Int64.self, at: 0),
                teamID: try row.decode(Int64.self, at: 1),
                name: try row.decode(String.self, at: 2),
                type: type,
                interval: try row.decode(Int.self, at: 4),
                configJSON: try row.decode(String.self, at: 5),
                lastChecked: try row.decodeOptional(Date.self, at: 6),
                nextCheck: try row.decode(Date.self, at: 7),
                status: MonitorStatus(rawValue: statusName) ?? .up,
                failureThreshold: try row.decode(Int.self, at: 9),
                recoveryThreshold: try row.decode(Int.self, at: 10),
                regionQuorum: try row.decode(Int.self, at: 11),
                pausedAt: nil,
                regionIDs: try parseIDArray(try row.decode(String.self, at: 14)),
                createdAt: try row.decode(Date.self, at: 12),
                updatedAt: try row.decode(Date.self, at: 13)
            )
        }
    }

    /// Sets last_checked = `now` and next_check = `now` + interval + jitter for each claimed monitor, in one
    /// statement; returns the rows updated. `ids` and `jitterSeconds` pair up by position.
    @discardableResult
    static func advance(
        _ connection: PostgresConnection,
        ids: [Int64],
        jitterSeconds: [Double],
        now: Date
    ) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let idText = "{" + ids.map(String.init).joined(separator: ",") + "}"
        let jitterText = "{" + jitterSeconds.map { String(format: "%.6f", max(0, $0)) }.joined(separator: ",") + "}"
        return try connection.execute(
            """
            UPDATE monitors m
               SET last_checked = \(now),
                   next_check = \(now)::timestamptz + make_interval(secs => m."interval" + u.jitter)
              FROM unnest(\(idText)::bigint[], \(jitterText)::float8[]) AS u(id, jitter)
             WHERE m.id = u.id
            """
        )
    }

    /// `{1,2,3}` → [1, 2, 3].
    static func parseIDArray(_ text: String) throws(PostgresError) -> [Int64] {
        let inner = text.trimmingCharacters(in: CharacterSet(charactersIn: "{}"))
        guard !inner.isEmpty else { return [] }
        var ids: [Int64] = []
        for part in inner.split(separator: ",") {
            guard let id = Int64(part) else {
                throw PostgresError(code: .decoding, message: "not an id array: \(text)")
            }
            ids.append(id)
        }
        return ids
    }
}
