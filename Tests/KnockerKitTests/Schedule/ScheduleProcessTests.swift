import Foundation
import Testing

@testable import KnockerKit

extension ScheduleTests {
    /// `knocker schedule` as processes: the issue's "three schedulers for 500 monitors for a minute" end to end.
    @Suite("knocker schedule (binary)")
    struct Processes {
        static let monitors: Int64 = 500
        static let interval = 2
        /// How long the three schedulers run.
        static let duration = Duration.seconds(60)
        /// Due times each monitor must reach in every region by then: a minute at 2 s + up to 0.6 s jitter gives
        /// about 23 (and 20 leaves room for the claims' lag on a busy machine).
        static let rounds = 20

        @Test func threeSchedulersEnqueueEveryMonitorOncePerDueTime() async throws {
            try await ScheduleFixture.with(regions: 2) { fixture in
                let start = roundedNow().addingTimeInterval(1)
                try await fixture.insertMonitors(
                    1...Self.monitors,
                    interval: Self.interval,
                    nextCheck: start,
                    regions: fixture.regions
                )
                let redis = try TestServices.redisConfiguration()
                let environment = [
                    "DATABASE_URL": fixture.database.url,
                    "REDIS_URL": "redis://\(redis.host):\(redis.port)/\(redis.database)",
                    "LOG_LEVEL": "info",
                ]
                let schedulers = try (0..<3).map { _ in
                    try KnockerProcess.start(
                        ["schedule", "--tick", "200ms", "--batch", "100"],
                        environment: environment
                    )
                }
                var stopped = false
                defer { if !stopped { for scheduler in schedulers { scheduler.process.terminate() } } }

                // The minute the issue asks for (the test's length, not a wait for something to happen).
                try await Task.sleep(for: Self.duration)
                let wanted = Int(Self.monitors) * Self.rounds
                try await eventually("every scheduler round reached", timeout: .seconds(20)) {
                    for region in fixture.regions {
                        guard try await fixture.pendingCount(region: region) >= wanted,
                            try await fewestDueTimes(fixture, region: region) >= Self.rounds
                        else { return false }
                    }
                    return true
                }
                for scheduler in schedulers { kill(scheduler.process.processIdentifier, SIGTERM) }
                var results: [KnockerProcess.Result] = []
                for scheduler in schedulers { results.append(try await offPool { scheduler.wait() }) }
                stopped = true
                for result in results {
                    #expect(result.status == 0, "\(result.standardError)")
                    #expect(result.standardError.contains("scheduler stopped"))
                    // No scheduler ever claimed a due time another had already enqueued.
                    #expect(result.standardError.contains("already_enqueued=0"), "\(result.standardError)")
                    #expect(result.standardError.contains("failed_ticks=0"), "\(result.standardError)")
                    #expect(!result.standardError.contains(" ERROR "), "\(result.standardError)")
                }

                try await verify(fixture, start: start)
            }
        }

        /// The fewest tasks any monitor has in a region's queue (task IDs are `ping:<monitor>:<region>:<due>`).
        func fewestDueTimes(_ fixture: ScheduleFixture, region: Int64) async throws -> Int {
            let reply = try await fixture.redis.command([
                "LRANGE", RedisArgument(QueueKeys.pending(String(region))), "0", "-1",
            ])
            var counts: [Substring: Int] = [:]
            for id in (reply.array ?? []).compactMap(\.string) {
                let parts = id.split(separator: ":")
                if parts.count == 4 { counts[parts[1], default: 0] += 1 }
            }
            guard counts.count == Int(Self.monitors) else { return 0 }
            return counts.values.min() ?? 0
        }

        /// Per monitor, the tasks form one unbroken chain of due times: the first is the inserted next_check; each
        /// next one was set by the claim of the previous (its payload's last_checked is that claim's time, at or
        /// after the previous due time and less than an interval later, so no claim between them went without a
        /// task) to that claim's time + interval + jitter; and the database's row continues the chain.
        func verify(_ fixture: ScheduleFixture, start: Date) async throws {
            var chains: [Int64: [String]] = [:]
            for region in fixture.regions {
                let tasks = try await fixture.pendingTasks(region: region)
                #expect(Set(tasks.map(\.id)).count == tasks.count, "duplicate task IDs in \(region)")
                var byMonitor: [Int64: [PingTask]] = [:]
                for task in tasks {
                    let ping = try PingTask(payload: task.payload)
                    #expect(ping.regionID == region)
                    #expect(
                        task.id
                            == Scheduler.taskID(
                                monitorID: ping.monitor.id,
                                regionID: region,
                                due: ping.monitor.nextCheck
                            )
                    )
                    byMonitor[ping.monitor.id, default: []].append(ping)
                }
                #expect(byMonitor.count == Int(Self.monitors))
                let maxJitter = Scheduler.maxJitter(interval: Self.interval)
                let slack = 0.000_5  // timestamps are stored in microseconds
                for (id, pings) in byMonitor {
                    let chain = pings.sorted { $0.monitor.nextCheck < $1.monitor.nextCheck }
                    #expect(chain.count >= Self.rounds)
                    #expect(abs(chain[0].monitor.nextCheck.timeIntervalSince(start)) < slack, "monitor \(id)")
                    #expect(chain[0].monitor.lastChecked == nil, "monitor \(id)")
                    for (previous, next) in zip(chain, chain.dropFirst()) {
                        let due = previous.monitor.nextCheck
                        guard let claimed = next.monitor.lastChecked else {
                            Issue.record("monitor \(id): a task after the first has no last_checked")
                            continue
                        }
                        let lag = claimed.timeIntervalSince(due)
                        #expect(lag >= -slack && lag < Double(Self.interval), "monitor \(id): lag \(lag)")
                        let gap = next.monitor.nextCheck.timeIntervalSince(claimed) - Double(Self.interval)
                        #expect(gap >= -slack && gap <= maxJitter + slack, "monitor \(id): jitter \(gap)")
                    }
                    let row = try await fixture.schedule(of: id)
                    let last = chain[chain.count - 1].monitor.nextCheck
                    if let lastChecked = row.lastChecked {
                        // The last claim is the one that enqueued the newest due time, or none happened since.
                        let lag = lastChecked.timeIntervalSince(last)
                        #expect(lag >= -slack && lag < Double(Self.interval), "monitor \(id): final lag \(lag)")
                    }
                    #expect(row.nextCheck > last, "monitor \(id)")
                    chains[id, default: []].append(
                        chain.map { Scheduler.taskID(monitorID: id, regionID: 0, due: $0.monitor.nextCheck) }.joined(
                            separator: ","
                        )
                    )
                }
            }
            // Both regions got the same due times for every monitor.
            #expect(chains.values.allSatisfy { $0.count == 2 && $0[0] == $0[1] })
        }
    }
}
