import Foundation
import Testing

@testable import KnockerKit

extension PipelineTests {
    /// Two regions, two `knocker work` processes and one `knocker schedule`: a target goes down and recovers.
    @Suite("Pipeline: incident lifecycle (binary)")
    struct IncidentLifecycle {
        static let monitor: Int64 = 10
        static let channel: Int64 = 20
        static let secret = "pipeline-secret"

        @Test func targetDownThenUpOpensAndResolvesOneIncidentWithOneNotificationEach() async throws {
            try await PipelineFixture.with(redisDatabase: 1) { fixture in
                let server = fixture.server
                let regions = try await fixture.insertRegions(["a", "b"])
                try await fixture.insertMonitor(
                    id: Self.monitor,
                    interval: 1,
                    failureThreshold: 2,
                    recoveryThreshold: 2,
                    regions: regions
                )
                try await fixture.insertWebhook(id: Self.channel, secret: Self.secret, monitors: [Self.monitor])
                let worker = ["PING_FLUSH_INTERVAL": "200ms", "WORKER_SHUTDOWN_GRACE": "2s"]
                _ = try fixture.start(
                    "worker a",
                    ["work", "--region", "a"],
                    environment: worker.merging(["APP_MACHINE_ID": "1"]) { _, new in new }
                )
                _ = try fixture.start(
                    "worker b",
                    ["work", "--region", "b"],
                    environment: worker.merging(["APP_MACHINE_ID": "2"]) { _, new in new }
                )
                _ = try fixture.start(
                    "scheduler",
                    ["schedule", "--tick", "200ms"],
                    environment: ["APP_MACHINE_ID": "3"]
                )

                // Up: both regions check and record successful pings; nothing opens.
                try await fixture.waitUntil("both regions recorded 2 successful pings", timeout: .seconds(20)) {
                    try await successfulPings(fixture, regions: regions, after: nil) >= 2
                }
                #expect(try await fixture.count("SELECT count(*) FROM incidents") == 0)
                #expect(server.requests.isEmpty)

                // Down: one incident, its detected and notification_sent events, one "down" notification.
                server.setTarget(503)
                try await fixture.waitUntil("the down notification was recorded as sent", timeout: .seconds(20)) {
                    try await fixture.count(
                        "SELECT count(*) FROM event_timelines WHERE event_type = 'notification_sent'"
                    ) >= 1
                }
                let incident = try await openIncident(fixture)
                #expect(try await fixture.count("SELECT count(*) FROM incidents") == 1)
                #expect(
                    try await fixture.count(
                        "SELECT count(*) FROM incident_monitors WHERE monitor_id = \(Self.monitor) AND is_open"
                    ) == 1
                )
                #expect(
                    try await fixture.count(
                        "SELECT count(*) FROM monitors WHERE id = \(Self.monitor) AND status = 'down'"
                    ) == 1
                )
                let downRequests = server.requests
                #expect(downRequests.count == 1)
                if let down = downRequests.first {
                    check(down, event: "monitor.down", incident: incident)
                    #expect(down.json["status"] as? String == "down")
                }

                // Up again: resolved with an auto_resolved event, one "up" notification.
                server.setTarget(200)
                try await fixture.waitUntil("the up notification was recorded as sent", timeout: .seconds(20)) {
                    try await fixture.count(
                        "SELECT count(*) FROM event_timelines WHERE event_type = 'notification_sent'"
                    ) >= 2
                }
                #expect(
                    try await fixture.count(
                        """
                        SELECT count(*) FROM incidents
                         WHERE id = \(incident) AND status = 'resolved' AND resolved_at IS NOT NULL
                        """
                    ) == 1
                )

                // Settled: a few more check rounds in every region bring no more incidents or notifications.
                let settled = Date()
                try await fixture.waitUntil("both regions recorded 3 more successful pings", timeout: .seconds(20)) {
                    try await successfulPings(fixture, regions: regions, after: settled) >= 3
                }
                let requests = server.requests
                #expect(requests.count == 2, "webhook requests: \(requests.map(\.body))")
                #expect(server.hookAnswers.allSatisfy { $0 == 200 })
                if requests.count == 2 {
                    check(requests[1], event: "monitor.up", incident: incident)
                    #expect(requests[1].json["status"] as? String == "up")
                }
                #expect(try await fixture.count("SELECT count(*) FROM incidents") == 1)
                #expect(try await fixture.count("SELECT count(*) FROM incident_monitors WHERE is_open") == 0)
                #expect(
                    try await fixture.count(
                        "SELECT count(*) FROM monitors WHERE id = \(Self.monitor) AND status = 'up'"
                    ) == 1
                )
                let deliveries = try await fixture.postgres.query(
                    "SELECT incident_id, notification_id, kind FROM notification_deliveries ORDER BY kind"
                ).map { row in
                    "\(try row.decode(Int64.self, at: 0)) \(try row.decode(Int64.self, at: 1)) \(try row.decode(String.self, at: 2))"
                }
                #expect(deliveries == ["\(incident) \(Self.channel) down", "\(incident) \(Self.channel) up"])
                let events = try await fixture.eventTypes(incident: incident)
                #expect(events.first == "detected", "\(events)")
                #expect(events.filter { $0 == "detected" }.count == 1, "\(events)")
                #expect(events.filter { $0 == "auto_resolved" }.count == 1, "\(events)")
                #expect(events.filter { $0 == "notification_sent" }.count == 2, "\(events)")
                // The "up" notification is sent after the incident resolved.
                if let resolved = events.firstIndex(of: "auto_resolved") {
                    #expect(events[resolved...].filter { $0 == "notification_sent" }.count == 1, "\(events)")
                }

                let results = try await fixture.stopAll()
                for name in ["worker a", "worker b"] {
                    #expect(results[name]?.standardError.contains("worker stopped") == true)
                }
                #expect(results["scheduler"]?.standardError.contains("scheduler stopped") == true)
            }
        }

        /// The id of the monitor's open incident.
        func openIncident(_ fixture: PipelineFixture) async throws -> Int64 {
            let rows = try await fixture.postgres.query(
                "SELECT incident_id FROM incident_monitors WHERE monitor_id = \(Self.monitor) AND is_open"
            )
            let row = try #require(rows.first, "no open incident for the monitor")
            return try row.decode(Int64.self, at: 0)
        }

        /// A notification request's event header and field, monitor, incident and signature.
        func check(_ request: PipelineHTTPServer.Request, event: String, incident: Int64) {
            #expect(request.method == "POST")
            #expect(request.headers["content-type"] == "application/json")
            #expect(request.headers["x-knocker-event"] == event)
            #expect(request.event == event, "\(request.body)")
            #expect((request.json["monitor"] as? [String: Any])?["id"] as? String == String(Self.monitor))
            #expect(request.json["incident_id"] as? String == String(incident))
            #expect(pipelineSignatureIsValid(request, secret: Self.secret), "bad signature: \(request.headers)")
            #expect(!pipelineSignatureIsValid(request, secret: "another secret"))
        }

        /// The fewest successful pings any of `regions` recorded (after `after`, when given).
        func successfulPings(_ fixture: PipelineFixture, regions: [Int64], after: Date?) async throws -> Int64 {
            var fewest = Int64.max
            for region in regions {
                let count = try await fixture.count(
                    """
                    SELECT count(*) FROM pings
                     WHERE monitor_id = \(Self.monitor) AND region_id = \(region) AND status = 'successful'
                       AND time > \(after ?? Date(timeIntervalSince1970: 0))
                    """
                )
                fewest = min(fewest, count)
            }
            return fewest
        }
    }
}
