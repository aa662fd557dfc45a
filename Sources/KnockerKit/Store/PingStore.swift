import Foundation

/// SQL of the `pings` table. ``append(_:_:)`` is also exposed to `bench/PipelineBench` as SPI, to measure the insert
/// alone.
@_spi(Benchmarks) public enum PingStore {
    /// Appends `pings` with one INSERT of binary arrays, one per column; returns the row count. A repeated (time,
    /// monitor, region) fails it (unique violation): callers keep each ping once.
    ///
    /// Measured here against COPY for batches of 1,000 (`bench/pipeline.sh`): binary arrays spare the server the text
    /// parsing of every value (timestamps above all) and beat text COPY by about a quarter, binary COPY by a tenth.
    @_spi(Benchmarks) public static func append(_ connection: PostgresConnection, _ pings: [RecordedPing]) throws -> Int
    {
        try connection.execute(insert(pings, suffix: ""))
    }

    /// Inserts `pings`, skipping any already stored (a retried batch whose first write did commit); returns the pings
    /// that were new.
    static func insertNew(_ connection: PostgresConnection, _ pings: [RecordedPing]) throws -> [RecordedPing] {
        let rows = try connection.query(
            insert(pings, suffix: " ON CONFLICT DO NOTHING RETURNING monitor_id, region_id, time")
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

extension PingStore {
    /// `INSERT INTO pings … SELECT * FROM unnest(<one binary array per column>)` followed by `suffix`.
    private static func insert(_ pings: [RecordedPing], suffix: String) -> PostgresQuery {
        PostgresQuery(
            unsafeSQL: """
                INSERT INTO pings (time, monitor_id, region_id, latency, status, message)
                SELECT * FROM unnest($1, $2, $3, $4, $5::ping_status[], $6)
                """ + suffix,
            parameters: [
                .binary(.timestampArray(pings.map(\.time))),
                .binary(.int64Array(pings.map(\.monitorID))),
                .binary(.int64Array(pings.map(\.regionID))),
                .binary(.int32Array(pings.map(\.latencyMs))),
                .binary(.textArray(pings.map(\.status.rawValue))),
                .binary(.textArray(pings.map(\.message))),
            ]
        )
    }
}

/// A stored ping with its monitor's and region's names, for `knocker tail-pings`.
struct PingListing: Sendable, Equatable {
    var ping: RecordedPing
    var monitorName: String?
    var regionName: String?
}

extension PingStore {
    /// Pings since `since`, oldest first, at most `limit` (the newest ones when there are more), filtered by monitor,
    /// region and status when given.
    static func recent(
        _ connection: PostgresConnection,
        since: Date,
        monitorID: Int64?,
        regionID: Int64?,
        status: CheckStatus?,
        limit: Int
    ) throws -> [PingListing] {
        let rows = try connection.query(
            """
            SELECT * FROM (
                SELECT p.time, p.monitor_id, p.region_id, p.latency, p.status::text, p.message, m.name, r.name
                  FROM pings p
                  LEFT JOIN monitors m ON m.id = p.monitor_id
                  LEFT JOIN regions r ON r.id = p.region_id
                 WHERE p.time >= \(since)
                   AND (\(monitorID)::bigint IS NULL OR p.monitor_id = \(monitorID))
                   AND (\(regionID)::bigint IS NULL OR p.region_id = \(regionID))
                   AND (\(status?.rawValue)::text IS NULL OR p.status::text = \(status?.rawValue))
                 ORDER BY p.time DESC
                 LIMIT \(limit)
            ) recent ORDER BY 1
            """
        )
        return try rows.map { row in
            PingListing(
                ping: RecordedPing(
                    time: try row.decode(Date.self, at: 0),
                    monitorID: try row.decode(Int64.self, at: 1),
                    regionID: try row.decode(Int64.self, at: 2),
                    latencyMs: Int(try row.decode(Int32.self, at: 3)),
                    status: CheckStatus(rawValue: try row.decode(String.self, at: 4)) ?? .failed,
                    message: try row.decodeOptional(String.self, at: 5)
                ),
                monitorName: try row.decodeOptional(String.self, at: 6),
                regionName: try row.decodeOptional(String.self, at: 7)
            )
        }
    }
}
