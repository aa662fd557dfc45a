import Foundation

/// SQL of the `pings` table.
enum PingStore {
    /// The columns COPY writes, in order.
    static let columns = ["time", "monitor_id", "region_id", "latency", "status", "message"]

    /// Appends `pings` with one COPY; returns the row count. A repeated (time, monitor, region) fails the COPY
    /// (unique violation): callers keep each ping once.
    static func copy(_ connection: PostgresConnection, _ pings: [RecordedPing]) throws -> Int {
        try connection.copyIn(
            table: "pings",
            columns: columns,
            rows: pings.lazy.map { ping in
                [
                    Timestamp.rfc3339Microseconds(ping.time), String(ping.monitorID), String(ping.regionID),
                    String(ping.latencyMs), ping.status.rawValue, ping.message,
                ]
            }
        )
    }

    /// Inserts `pings`, skipping any already stored (a retried batch whose first COPY did commit); returns the pings
    /// that were new.
    static func insertNew(_ connection: PostgresConnection, _ pings: [RecordedPing]) throws -> [RecordedPing] {
        let rows = try connection.query(
            """
            INSERT INTO pings (time, monitor_id, region_id, latency, status, message)
            SELECT * FROM unnest(
                \(PostgresArrayText.strings(pings.map { Timestamp.rfc3339Microseconds($0.time) }))::timestamptz[],
                \(PostgresArrayText.int64(pings.map(\.monitorID)))::bigint[],
                \(PostgresArrayText.int64(pings.map(\.regionID)))::bigint[],
                \(PostgresArrayText.int64(pings.map { Int64($0.latencyMs) }))::integer[],
                \(PostgresArrayText.strings(pings.map(\.status.rawValue)))::ping_status[],
                \(PostgresArrayText.strings(pings.map(\.message)))::text[])
            ON CONFLICT DO NOTHING
            RETURNING monitor_id, region_id, time
            """
        )
        var inserted = Set<String>()
        for row in rows {
            let key = "\(try row.decode(Int64.self, at: 0)):\(try row.decode(Int64.self, at: 1)):"
            inserted.insert(key + Timestamp.rfc3339Microseconds(try row.decode(Date.self, at: 2)))
        }
        return pings.filter {
            inserted.contains("\($0.monitorID):\($0.regionID):\(Timestamp.rfc3339Microseconds($0.time))")
        }
    }
}
