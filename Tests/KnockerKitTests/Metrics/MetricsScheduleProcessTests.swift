import Foundation
import Testing

@testable import KnockerKit

extension MetricsTests {
    /// `knocker schedule` with METRICS_LISTEN, as a process.
    @Suite("knocker schedule metrics endpoint (binary)")
    struct ScheduleProcess {
        @Test func scheduleServesItsLagAndCounters() async throws {
            try await ScheduleFixture.with(regions: 1) { fixture in
                try await fixture.insertMonitors(1...20, interval: 60, nextCheck: Date(), regions: fixture.regions)
                let redis = try TestServices.redisConfiguration()
                let scheduler = try KnockerProcess.start(
                    ["schedule", "--tick", "200ms"],
                    environment: [
                        "DATABASE_URL": fixture.database.url,
                        "REDIS_URL": "redis://\(redis.host):\(redis.port)/\(redis.database)",
                        "METRICS_LISTEN": "127.0.0.1:0",
                        "MAINTENANCE_INTERVAL": "0",
                    ]
                )
                var stopped = false
                defer { if !stopped { scheduler.process.terminate() } }

                // The port the kernel picked, from the start-up log line.
                var port: UInt16?
                try await eventually("the metrics endpoint is listening", timeout: .seconds(30)) {
                    let log = (try? String(contentsOf: scheduler.errorURL, encoding: .utf8)) ?? ""
                    port = Self.listeningPort(in: log)
                    return port != nil
                }
                guard let port else { return }
                var body = ""
                try await eventually("the 20 monitors are claimed", timeout: .seconds(30)) {
                    let response = try await offPool { try RawHTTP.request("GET", "/metrics", port: port) }
                    #expect(response.status == 200)
                    body = response.body
                    // The tick's counters and its end time are set one after another: wait for all of them.
                    return body.contains("\nknocker_scheduler_claimed_total 20\n")
                        && body.contains("\nknocker_scheduler_enqueued_total 20\n")
                        && body.contains("\nknocker_scheduler_lag_samples 20\n")
                        && body.contains("\nknocker_scheduler_last_tick_timestamp_seconds ")
                }
                #expect(body.contains("# TYPE knocker_scheduler_lag_seconds gauge\n"))
                #expect(body.contains(#"knocker_scheduler_lag_seconds{quantile="0.5"} "#))
                #expect(body.contains(#"knocker_scheduler_lag_seconds{quantile="0.99"} "#))
                #expect(body.contains("\nknocker_scheduler_lag_max_seconds "))
                #expect(body.contains("\nknocker_scheduler_enqueued_total 20\n"))
                #expect(body.contains("\nknocker_scheduler_lag_samples 20\n"))
                #expect(body.contains("\nknocker_scheduler_last_tick_timestamp_seconds "))
                let missing = try await offPool { try RawHTTP.request("GET", "/", port: port) }
                #expect(missing.status == 404)

                kill(scheduler.process.processIdentifier, SIGTERM)
                let result = try await offPool { scheduler.wait() }
                stopped = true
                #expect(result.status == 0, "\(result.standardError)")
                #expect(result.standardError.contains("metrics endpoint listening"))
            }
        }

        @Test func allServesSchedulerAndWorkerMetrics() async throws {
            try await ScheduleFixture.with(regions: 1) { fixture in
                let region = "r\(fixture.regions[0])"
                let redis = try TestServices.redisConfiguration()
                let all = try KnockerProcess.start(
                    ["all", "--region", region],
                    environment: [
                        "DATABASE_URL": fixture.database.url,
                        "REDIS_URL": "redis://\(redis.host):\(redis.port)/\(redis.database)",
                        "METRICS_LISTEN": "127.0.0.1:0",
                        "MAINTENANCE_INTERVAL": "0",
                    ]
                )
                var stopped = false
                defer { if !stopped { all.process.terminate() } }
                var port: UInt16?
                try await eventually("the metrics endpoint is listening", timeout: .seconds(30)) {
                    port = Self.listeningPort(in: (try? String(contentsOf: all.errorURL, encoding: .utf8)) ?? "")
                    return port != nil
                }
                guard let port else { return }
                // The worker's numbers appear once its queue server is built.
                var body = ""
                try await eventually("worker metrics are served", timeout: .seconds(30)) {
                    body = try await offPool { try RawHTTP.request("GET", "/metrics", port: port) }.body
                    return body.contains("knocker_worker_running_tasks{region=\"\(region)\"} 0\n")
                }
                #expect(body.contains("knocker_worker_pings_written_total{region=\"\(region)\"} 0\n"))
                #expect(body.contains("knocker_worker_pings_buffered{region=\"\(region)\"} 0\n"))
                #expect(body.contains(#"knocker_scheduler_lag_seconds{quantile="0.99"} "#))
                kill(all.process.processIdentifier, SIGTERM)
                let result = try await offPool { all.wait() }
                stopped = true
                #expect(result.status == 0, "\(result.standardError)")
            }
        }

        @Test func aTakenAddressStopsScheduleWithExitStatus1() async throws {
            let holder = MetricsServer()
            let taken = try holder.start(listen: "127.0.0.1:0")
            defer { holder.stop() }
            let result = try await KnockerProcess.run(
                ["schedule"],
                environment: [
                    "METRICS_LISTEN": taken.description,
                    "DATABASE_URL": "postgres://knocker@127.0.0.1:1/knocker",
                ]
            )
            #expect(result.status == 1)
            #expect(
                result.standardError.contains(
                    "Error: METRICS_LISTEN: cannot listen on \(taken): address already in use"
                ),
                "\(result.standardError)"
            )
        }

        static func listeningPort(in log: String) -> UInt16? {
            guard let line = log.split(separator: "\n").first(where: { $0.contains("metrics endpoint listening") }),
                let field = line.split(separator: " ").first(where: { $0.hasPrefix("address=127.0.0.1:") })
            else { return nil }
            return UInt16(field.dropFirst("address=127.0.0.1:".count))
        }
    }
}
