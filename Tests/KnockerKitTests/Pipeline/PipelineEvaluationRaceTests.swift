import Foundation
import Testing

@testable import KnockerKit

extension PipelineTests {
    /// Two workers evaluating one monitor at once: the second waits for the first's row locks and must then decide
    /// from what the first committed, the monitor's status included.
    @Suite("Pipeline: concurrent evaluation")
    struct EvaluationRace {
        @Test func evaluationWaitingForAnotherRegionsLockReadsTheStatusItCommitted() async throws {
            try await PipelineTests.withMigratedDatabase(prefix: "knocker_pipeline_race", poolSize: 3) {
                postgres,
                logger in
                try await run(postgres, logger: logger)
            }
        }

        func run(_ postgres: PostgresClient, logger: Logger) async throws {
            // Monitor 10, checked from a (101) and b (102), threshold 1: b is down, a is up, incident 500 is open.
            try await postgres.withConnection { connection in
                try connection.executeScript(
                    """
                    INSERT INTO teams (id, name) VALUES (1, 'team');
                    INSERT INTO regions (id, name, display_name) VALUES (101, 'a', 'A'), (102, 'b', 'B');
                    INSERT INTO monitors (id, team_id, name, type, "interval", config, status, failure_threshold,
                                          recovery_threshold)
                    VALUES (10, 1, 'api', 'http', 60, '{"url": "http://127.0.0.1:1/"}', 'down', 1, 1);
                    INSERT INTO monitor_regions (id, monitor_id, region_id) VALUES (1, 10, 101), (2, 10, 102);
                    INSERT INTO monitor_region_states (monitor_id, region_id, history, samples, is_down)
                    VALUES (10, 101, 0, 5, false), (10, 102, 1, 5, true);
                    INSERT INTO incidents (id, status, auto_resolve) VALUES (500, 'detected', true);
                    INSERT INTO incident_monitors (id, incident_id, monitor_id) VALUES (501, 500, 10);
                    INSERT INTO event_timelines (id, event_id, message, event_type)
                    VALUES (502, 500, 'b: unexpected status 503', 'detected');
                    """
                )
            }

            // Region b's worker: holds the state locks, then resolves the incident and sets the monitor up.
            let locked = Gate()
            let release = Gate()
            let regionB = Task {
                try await postgres.withConnection { connection in
                    try connection.executeScript("BEGIN")
                    _ = try connection.query(
                        "SELECT 1 FROM monitor_region_states WHERE monitor_id = 10 ORDER BY region_id FOR UPDATE"
                    )
                    locked.open()
                    release.wait()
                    try connection.executeScript(
                        """
                        UPDATE monitor_region_states SET history = 0, is_down = false WHERE region_id = 102;
                        UPDATE incidents SET status = 'resolved', resolved_at = now() WHERE id = 500;
                        UPDATE monitors SET status = 'up' WHERE id = 10;
                        COMMIT;
                        """
                    )
                }
            }
            try await offPool { locked.wait() }

            // Region a's worker: a failing check; its evaluation waits for b's locks.
            let ping = RecordedPing(
                time: Date(),
                monitorID: 10,
                regionID: 101,
                latencyMs: 3,
                status: .failed,
                message: "unexpected status 503"
            )
            let ids = IDGenerator(machineID: 7)
            let regionA = Task {
                try await postgres.transaction { connection in
                    try IncidentEvaluation.run(connection, pings: [ping], ids: ids)
                }
            }
            var waiting = false
            let deadline = ContinuousClock.now + .seconds(10)
            while !waiting, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
                waiting =
                    try await postgres.withConnection { connection in
                        try connection.query(
                            """
                            SELECT count(*) FROM pg_stat_activity
                             WHERE datname = current_database() AND wait_event_type = 'Lock'
                            """
                        ).first?.decode(Int64.self, at: 0)
                    } ?? 0 > 0
            }
            release.open()
            try await regionB.value
            #expect(waiting, "region a's evaluation never waited for region b's locks")
            let notifications = try await regionA.value

            // Region a went down after b's incident resolved: a new incident, the monitor down again.
            let open = try await postgres.query(
                "SELECT incident_id FROM incident_monitors WHERE monitor_id = 10 AND is_open"
            ).map { try $0.decode(Int64.self, at: 0) }
            #expect(open.count == 1 && open.first != 500, "open incidents: \(open)")
            #expect(notifications.map(\.kind) == [])  // the monitor has no channels
            let status = try await postgres.query("SELECT status::text FROM monitors WHERE id = 10").first?.decode(
                String.self,
                at: 0
            )
            #expect(status == "down", "the monitor has an open incident but its status is \(status ?? "missing")")
        }
    }
}
