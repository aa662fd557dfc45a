import Foundation

/// What the incident engine needs of one monitor, loaded (and locked) in the flush transaction.
struct MonitorEvaluationContext: Sendable, Equatable {
    var monitorID: Int64
    var teamID: Int64
    var name: String
    var rules: IncidentRules
    var notificationIDs: [Int64]
    var state: MonitorIncidentState
}

/// SQL of the incident engine: loading and locking per monitor × region state, and writing incidents, events and
/// monitor status. Runs inside the ping flush transaction (blocking calls on a pool connection).
enum IncidentStore {
    /// The first key of the evaluation's advisory locks (the second is the monitor id modulo 2³¹−1).
    static let advisoryClass: Int32 = 0x4B4E_4945  // "KNIE"

    /// Takes each monitor's evaluation lock, creates missing state rows for every region of the given monitors, then
    /// locks every state row of them in (monitor, region) order, so concurrent workers queue up instead of
    /// deadlocking, and only then reads the
    /// monitors and their open incidents, as the worker before it left them. Monitors that no longer exist are left
    /// out.
    static func loadForEvaluation(
        _ connection: PostgresConnection,
        pairs: [(monitorID: Int64, regionID: Int64)]
    ) throws -> [Int64: MonitorEvaluationContext] {
        let sorted = Set(pairs.map { Pair(monitorID: $0.monitorID, regionID: $0.regionID) }).sorted()
        guard !sorted.isEmpty else { return [:] }
        let monitorList = PostgresArrayText.int64(Array(Set(sorted.map(\.monitorID))).sorted())
        // One evaluation per monitor at a time, brand-new state rows included (row locks cannot cover rows another
        // transaction has not committed yet). Transaction-scoped advisory locks, taken in key order so two workers
        // never wait on each other in a cycle; they leave the monitors rows alone, which the scheduler locks.
        _ = try connection.query(
            """
            SELECT pg_advisory_xact_lock(\(Self.advisoryClass), k.key)
              FROM (SELECT DISTINCT (id % 2147483647)::integer AS key
                      FROM unnest(\(monitorList)::bigint[]) AS id) k
             ORDER BY k.key
            """
        )
        // Every region of each monitor gets its row (not only the batch's regions): a worker of another region
        // creating the same rows at the same moment then waits for this transaction instead of evaluating without
        // seeing this region's state.
        _ = try connection.execute(
            """
            INSERT INTO monitor_region_states (monitor_id, region_id)
            SELECT mr.monitor_id, mr.region_id
              FROM monitor_regions mr
             WHERE mr.monitor_id = ANY(\(monitorList)::bigint[])
             ORDER BY mr.monitor_id, mr.region_id
            ON CONFLICT DO NOTHING
            """
        )
        // Lock the state rows before reading anything else: a worker that waited here for another region's worker
        // then reads the status and open incident that worker committed, not what it saw before waiting.
        let stateRows = try connection.query(
            """
            SELECT monitor_id, region_id, history, samples, is_down, last_message, last_time
              FROM monitor_region_states
             WHERE monitor_id = ANY(\(monitorList)::bigint[])
             ORDER BY monitor_id, region_id
               FOR UPDATE
            """
        )
        let monitorRows = try connection.query(
            """
            SELECT m.id, m.team_id, m.name, m.status::text, m.failure_threshold, m.recovery_threshold, m.region_quorum,
                   coalesce((SELECT array_agg(mr.region_id ORDER BY mr.region_id)::text FROM monitor_regions mr
                              WHERE mr.monitor_id = m.id), '{}'),
                   coalesce((SELECT array_agg(mn.notification_id ORDER BY mn.notification_id)::text
                               FROM monitor_notifications mn WHERE mn.monitor_id = m.id), '{}')
              FROM monitors m
             WHERE m.id = ANY(\(monitorList)::bigint[])
             ORDER BY m.id
            """
        )
        var contexts: [Int64: MonitorEvaluationContext] = [:]
        for row in monitorRows {
            let id = try row.decode(Int64.self, at: 0)
            contexts[id] = MonitorEvaluationContext(
                monitorID: id,
                teamID: try row.decode(Int64.self, at: 1),
                name: try row.decode(String.self, at: 2),
                rules: IncidentRules(
                    failureThreshold: Int(try row.decode(Int16.self, at: 4)),
                    recoveryThreshold: Int(try row.decode(Int16.self, at: 5)),
                    regionQuorum: Int(try row.decode(Int16.self, at: 6)),
                    regionIDs: PostgresArrayText.parseInt64(try row.decode(String.self, at: 7))
                ),
                notificationIDs: PostgresArrayText.parseInt64(try row.decode(String.self, at: 8)),
                state: MonitorIncidentState(status: MonitorStatus(rawValue: try row.decode(String.self, at: 3)) ?? .up)
            )
        }
        for row in stateRows {
            let monitorID = try row.decode(Int64.self, at: 0)
            guard contexts[monitorID] != nil else { continue }
            let region = RegionIncidentState(
                history: CheckHistory(
                    bits: UInt64(bitPattern: try row.decode(Int64.self, at: 2)),
                    samples: Int(try row.decode(Int16.self, at: 3))
                ),
                isDown: try row.decode(Bool.self, at: 4),
                lastMessage: try row.decodeOptional(String.self, at: 5),
                lastTime: try row.decodeOptional(Date.self, at: 6)
            )
            contexts[monitorID]?.state.regions[try row.decode(Int64.self, at: 1)] = region
        }
        let openRows = try connection.query(
            """
            SELECT im.monitor_id, i.id, i.auto_resolve,
                   (SELECT e.message FROM event_timelines e
                     WHERE e.event_id = i.id AND e.event_type IN ('detected', 'update')
                     ORDER BY e.created_at DESC, e.id DESC LIMIT 1)
              FROM incident_monitors im
              JOIN incidents i ON i.id = im.incident_id
             WHERE im.is_open AND im.monitor_id = ANY(\(monitorList)::bigint[])
            """
        )
        for row in openRows {
            let monitorID = try row.decode(Int64.self, at: 0)
            contexts[monitorID]?.state.openIncident = OpenIncident(
                id: try row.decode(Int64.self, at: 1),
                autoResolve: try row.decode(Bool.self, at: 2),
                lastMessage: try row.decodeOptional(String.self, at: 3)
            )
        }
        return contexts
    }

    /// Writes one action of the engine for `monitorID`. `eventID` gives ids for new event rows.
    static func apply(
        _ action: IncidentAction,
        monitorID: Int64,
        _ connection: PostgresConnection,
        newID: () throws -> Int64
    ) throws {
        switch action {
        case .open(let incidentID, let startedAt, let message):
            _ = try connection.execute(
                """
                INSERT INTO incidents (id, status, severity, is_public, auto_resolve, started_at)
                VALUES (\(incidentID), 'detected', 'major', false, true, \(startedAt))
                """
            )
            _ = try connection.execute(
                "INSERT INTO incident_monitors (id, incident_id, monitor_id) VALUES (\(try newID()), \(incidentID), \(monitorID))"
            )
            try addEvent(
                connection,
                id: try newID(),
                incidentID: incidentID,
                type: "detected",
                message: message,
                at: startedAt
            )
        case .update(let incidentID, let message):
            try addEvent(
                connection,
                id: try newID(),
                incidentID: incidentID,
                type: "update",
                message: message,
                at: Date()
            )
        case .resolve(let incidentID, let resolvedAt, let message):
            _ = try connection.execute(
                """
                UPDATE incidents SET status = 'resolved', resolved_at = \(resolvedAt), updated_at = now()
                 WHERE id = \(incidentID) AND status <> 'resolved'
                """
            )
            try addEvent(
                connection,
                id: try newID(),
                incidentID: incidentID,
                type: "auto_resolved",
                message: message,
                at: resolvedAt
            )
        case .setStatus(let status):
            _ = try connection.execute(
                "UPDATE monitors SET status = \(status.rawValue)::monitor_status WHERE id = \(monitorID)"
            )
        }
    }

    /// Writes the region states of `contexts` back, one statement.
    static func saveStates(_ connection: PostgresConnection, _ contexts: [MonitorEvaluationContext]) throws {
        var monitors: [Int64] = []
        var regions: [Int64] = []
        var histories: [Int64] = []
        var samples: [Int64] = []
        var downs: [String] = []
        var messages: [String?] = []
        var times: [Date?] = []
        for context in contexts {
            for (regionID, region) in context.state.regions.sorted(by: { $0.key < $1.key }) {
                monitors.append(context.monitorID)
                regions.append(regionID)
                histories.append(Int64(bitPattern: region.history.bits))
                samples.append(Int64(region.history.samples))
                downs.append(region.isDown ? "t" : "f")
                messages.append(region.lastMessage)
                times.append(region.lastTime)
            }
        }
        guard !monitors.isEmpty else { return }
        _ = try connection.execute(
            """
            UPDATE monitor_region_states s
               SET history = u.history, samples = u.samples, is_down = u.is_down, last_message = u.last_message,
                   last_time = u.last_time, updated_at = now()
              FROM unnest(\(PostgresArrayText.int64(monitors))::bigint[], \(PostgresArrayText.int64(regions))::bigint[],
                          \(PostgresArrayText.int64(histories))::bigint[], \(PostgresArrayText.int64(samples))::smallint[],
                          \(PostgresArrayText.strings(downs))::boolean[], \(PostgresArrayText.strings(messages))::text[],
                          \(PostgresArrayText.strings(times.map { $0.map(Timestamp.rfc3339Microseconds) }))::timestamptz[])
                   AS u (monitor_id, region_id, history, samples, is_down, last_message, last_time)
             WHERE s.monitor_id = u.monitor_id AND s.region_id = u.region_id
            """
        )
    }

    private static func addEvent(
        _ connection: PostgresConnection,
        id: Int64,
        incidentID: Int64,
        type: String,
        message: String,
        at time: Date
    ) throws {
        _ = try connection.execute(
            """
            INSERT INTO event_timelines (id, event_id, message, event_type, created_at, updated_at)
            VALUES (\(id), \(incidentID), \(message), \(type)::event_type, \(time), \(time))
            """
        )
    }

    private struct Pair: Hashable, Comparable {
        var monitorID: Int64
        var regionID: Int64

        static func < (a: Pair, b: Pair) -> Bool {
            (a.monitorID, a.regionID) < (b.monitorID, b.regionID)
        }
    }
}

extension IncidentStore {
    /// The fast path for healthy monitors: for each (monitor, region) whose checks in the batch all succeeded
    /// (`successes` of them, the last at `lastTime`), where the region is up, the monitor is up and no incident is
    /// open, the incident engine could only shift successes into the history: do that in SQL. A row whose history is
    /// all successes and as long as the rules look (the failure window and the recovery run) is not written at all:
    /// more successes change nothing the rules can see. Returns the pairs handled, each with whether its state is now
    /// settled (all successes, as long as the rules look); the others need the engine.
    static func applyHealthySuccesses(
        _ connection: PostgresConnection,
        _ pairs: [(monitorID: Int64, regionID: Int64, successes: Int, lastTime: Date)]
    ) throws -> [MonitorRegion: Bool] {
        guard !pairs.isEmpty else { return [:] }
        let sorted = pairs.sorted { ($0.monitorID, $0.regionID) < ($1.monitorID, $1.regionID) }
        let full = CheckHistory.capacity
        let rows = try connection.query(
            """
            WITH u AS (
                SELECT * FROM unnest(\(PostgresBinaryValue.int64Array(sorted.map(\.monitorID))),
                                     \(PostgresBinaryValue.int64Array(sorted.map(\.regionID))),
                                     \(PostgresBinaryValue.int32Array(sorted.map(\.successes))),
                                     \(PostgresBinaryValue.timestampArray(sorted.map(\.lastTime))))
                       AS u (monitor_id, region_id, n, last_time)
            ), clean AS (
                SELECT s.monitor_id, s.region_id, s.history, s.samples, u.n, u.last_time,
                       -- what the rules read: the failure window and the recovery run (see IncidentRules)
                       least(greatest((3 * m.failure_threshold + 1) / 2, m.recovery_threshold), \(full)) AS needed
                  FROM u
                  JOIN monitor_region_states s ON s.monitor_id = u.monitor_id AND s.region_id = u.region_id
                  JOIN monitors m ON m.id = u.monitor_id
                 WHERE NOT s.is_down AND m.status = 'up'
                   AND NOT EXISTS (SELECT 1 FROM incident_monitors im WHERE im.monitor_id = u.monitor_id AND im.is_open)
            ), shifted AS (
                UPDATE monitor_region_states s
                   SET history = CASE WHEN c.n >= \(full) THEN 0
                                      ELSE (s.history << c.n) & 9223372036854775807 END,
                       samples = least(s.samples + c.n, \(full)),
                       last_time = c.last_time,
                       updated_at = now()
                  FROM clean c
                 WHERE s.monitor_id = c.monitor_id AND s.region_id = c.region_id AND NOT s.is_down
                   AND NOT (c.history = 0 AND c.samples >= c.needed)
                RETURNING s.monitor_id, s.region_id, s.history = 0 AND s.samples >= c.needed AS settled
            )
            SELECT monitor_id, region_id, true FROM clean WHERE history = 0 AND samples >= needed
            UNION ALL
            SELECT monitor_id, region_id, settled FROM shifted
            """
        )
        var handled: [MonitorRegion: Bool] = [:]
        for row in rows {
            let pair = MonitorRegion(
                monitorID: try row.decode(Int64.self, at: 0),
                regionID: try row.decode(Int64.self, at: 1)
            )
            handled[pair] = try row.decode(Bool.self, at: 2)
        }
        return handled
    }
}

/// A monitor in a region.
struct MonitorRegion: Hashable, Sendable {
    var monitorID: Int64
    var regionID: Int64

    /// One word hashed, not two: pairs are hashed for every ping of every batch.
    func hash(into hasher: inout Hasher) {
        hasher.combine(UInt64(bitPattern: monitorID) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: regionID))
    }
}
