import Foundation
import Testing

@testable import KnockerKit

extension DrainTests {
    /// `knocker work` (the built binary) killed with SIGKILL while its pings wait in the recorder for their batch:
    /// no task is acknowledged before its ping is in Postgres, so every check whose ping died with the process is
    /// still held in Redis (active, its lease running out), and another worker's recoverer runs it again, once.
    @Suite("knocker work: SIGKILL with pings waiting to be written")
    struct Sigkill {
        static let monitors: ClosedRange<Int64> = 1...50

        @Test func noTaskIsAcknowledgedBeforeItsPingIsWritten() async throws {
            let server = try #require(TestHTTPServer.shared)
            let url = server.url("/status/200")
            try await DrainFixture.with(redisDatabase: 11) { fixture in
                try await fixture.insertMonitors(Self.monitors, url: url)
                try await fixture.enqueuePings(Self.monitors, url: url)
                // Batches far larger than the checks and a minute's flush interval: every ping stays in the buffer.
                let worker = try KnockerProcess.start(
                    ["work", "--region", "r"],
                    environment: fixture.workerEnvironment([
                        "PING_FLUSH_INTERVAL": "60s", "METRICS_LISTEN": "127.0.0.1:0",
                    ])
                )
                var exited = false
                defer { if !exited { kill(worker.process.processIdentifier, SIGKILL) } }
                var port: UInt16?
                try await eventually("the metrics endpoint is listening", timeout: .seconds(30)) {
                    let log = (try? String(contentsOf: worker.errorURL, encoding: .utf8)) ?? ""
                    port = MetricsTests.ScheduleProcess.listeningPort(in: log)
                    return port != nil
                }
                let metricsPort = try #require(port)
                try await eventually("all 50 checks ran and wait for their write", timeout: .seconds(30)) {
                    let response = try await offPool { try RawHTTP.request("GET", "/metrics", port: metricsPort) }
                    return response.body.contains("\nknocker_worker_pings_buffered{region=\"r\"} 50\n")
                }

                kill(worker.process.processIdentifier, SIGKILL)
                let result = try await offPool { worker.wait() }
                exited = true
                #expect(result.status == 128 + SIGKILL)

                #expect(try await fixture.pingTotal() == 0)
                #expect(try await fixture.activeCount == Self.monitors.count, "every task is still held, none done")
                #expect(try await fixture.pendingCount == 0)

                // The leases run out (30 s, then asynq's 30 s cutoff): aged here rather than waited for. Another
                // worker's recoverer (every 10 s) runs each held check again at once, one ping each.
                let lease = QueueKeys.lease(fixture.region.queueName)
                let expired = Int(Date().timeIntervalSince1970) - 120
                let held = try await fixture.redis.command(["ZRANGE", RedisArgument(lease), "0", "-1"])
                let members = (held.array ?? []).compactMap(\.string)
                #expect(members.count == Self.monitors.count)
                for member in members {
                    _ = try await fixture.redis.command([
                        "ZADD", RedisArgument(lease), "\(expired)", RedisArgument(member),
                    ])
                }
                let rescuer = try KnockerProcess.start(
                    ["work", "--region", "r"],
                    environment: fixture.workerEnvironment()
                )
                var rescuerExited = false
                defer { if !rescuerExited { kill(rescuer.process.processIdentifier, SIGKILL) } }
                try await eventually("every killed check ran again", timeout: .seconds(40)) {
                    try await fixture.pingTotal() >= Self.monitors.count
                }
                try await eventually("the queue is drained", timeout: .seconds(10)) {
                    let active = try await fixture.activeCount
                    let pending = try await fixture.pendingCount
                    return active == 0 && pending == 0
                }
                kill(rescuer.process.processIdentifier, SIGTERM)
                let rescued = try await offPool { rescuer.wait() }
                rescuerExited = true
                #expect(rescued.status == 0, "\(rescued.standardError)")
                let counts = try await fixture.pingCounts()
                #expect(Set(counts.keys) == Set(Self.monitors))
                #expect(counts.values.allSatisfy { $0 == 1 }, "one ping per killed check: \(counts)")
            }
        }
    }
}
