import Foundation
import Testing

@testable import KnockerKit

extension PipelineTests {
    /// A webhook receiver that fails the first 3 deliveries: the notification goes out on a retry and is recorded
    /// as sent exactly once.
    @Suite("Pipeline: notification retries (binary)")
    struct NotificationRetries {
        static let monitor: Int64 = 30
        static let channel: Int64 = 40
        static let secret = "retry-secret"

        @Test func failingReceiverGetsTheNotificationOnARetryRecordedOnce() async throws {
            try await PipelineFixture.with(redisDatabase: 2) { fixture in
                let server = fixture.server
                server.setTarget(503)
                server.failHooks(3)
                let regions = try await fixture.insertRegions(["solo"])
                try await fixture.insertMonitor(id: Self.monitor, interval: 1, failureThreshold: 1, regions: regions)
                try await fixture.insertWebhook(id: Self.channel, secret: Self.secret, monitors: [Self.monitor])
                _ = try fixture.start(
                    "worker",
                    ["work", "--region", "solo"],
                    environment: [
                        "APP_MACHINE_ID": "11",
                        "NOTIFICATION_RETRY_DELAY": "1s",
                        "PING_FLUSH_INTERVAL": "200ms",
                        "WORKER_SHUTDOWN_GRACE": "2s",
                    ]
                )
                _ = try fixture.start(
                    "scheduler",
                    ["schedule", "--tick", "200ms"],
                    environment: ["APP_MACHINE_ID": "12"]
                )

                // Three answers of 500, then 200: retried by the queue (each retry waits for the forwarder).
                try await fixture.waitUntil("the notification was recorded as sent", timeout: .seconds(45)) {
                    try await fixture.count("SELECT count(*) FROM notification_deliveries") >= 1
                }
                // Well past the delivery: nothing more arrives, nothing is recorded twice.
                let delivered = Date()
                try await fixture.waitUntil("3 more failing checks were recorded", timeout: .seconds(20)) {
                    try await fixture.count(
                        "SELECT count(*) FROM pings WHERE monitor_id = \(Self.monitor) AND time > \(delivered)"
                    ) >= 3
                }

                #expect(server.hookAnswers == [500, 500, 500, 200])
                let requests = server.requests
                #expect(requests.count == 4)
                #expect(Set(requests.map(\.body)).count == 1, "every attempt sends the same body")
                #expect(requests.allSatisfy { $0.event == "monitor.down" })
                #expect(requests.allSatisfy { pipelineSignatureIsValid($0, secret: Self.secret) })

                #expect(try await fixture.count("SELECT count(*) FROM incidents") == 1)
                let incident = try await fixture.count("SELECT id FROM incidents")
                #expect(requests.first?.json["incident_id"] as? String == String(incident))
                #expect(
                    try await fixture.count(
                        """
                        SELECT count(*) FROM notification_deliveries
                         WHERE incident_id = \(incident) AND notification_id = \(Self.channel) AND kind = 'down'
                        """
                    ) == 1
                )
                #expect(try await fixture.count("SELECT count(*) FROM notification_deliveries") == 1)
                let events = try await fixture.eventTypes(incident: incident)
                #expect(events.filter { $0 == "notification_sent" }.count == 1, "\(events)")
                #expect(events.filter { $0 == "detected" }.count == 1, "\(events)")

                let results = try await fixture.stopAll()
                let log = results["worker"]?.standardError ?? ""
                #expect(log.components(separatedBy: "notification failed").count - 1 == 3, "\(log)")
                #expect(log.components(separatedBy: "notification sent").count - 1 == 1, "\(log)")
            }
        }
    }
}
