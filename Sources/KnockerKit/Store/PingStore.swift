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
}
