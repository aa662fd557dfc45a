import Foundation
import Testing

@testable import KnockerKit

extension ScheduleTests {
    /// A scheduler in this process against real Postgres and Redis, with a hand-moved clock.
    @Suite("Scheduler on Postgres and Redis")
    struct Integration {
        func scheduler(
            _ fixture: ScheduleFixture,
            clock: ManualClock,
            batch: Int = 1000,
            unit: Double = 1
        ) -> Scheduler {
            Scheduler(
                postgres: fixture.postgres,
                queue: QueueClient(redis: fixture.redis),
                settings: Scheduler.Settings(batch: batch, maintenanceInterval: nil, random: { unit }),
                logger: Logger(level: .error),
                now: { clock.now }
            )
        }

        @Test func dueMonitorsGoToEachRegionsQueueAndAdvance() async throws {
            try await ScheduleFixture.with(regions: 2) { fixture in
                let due = roundedNow(minus: 3)
                let now = roundedNow()
                let (r1, r2) = (fixture.regions[0], fixture.regions[1])
                try await fixture.insertMonitors(1...1, interval: 10, nextCheck: due, regions: [r1, r2])
                try await fixture.insertMonitors(2...2, interval: 10, nextCheck: due, regions: [r1], paused: true)
                let later = now.addingTimeInterval(1)
                try await fixture.insertMonitors(3...3, interval: 10, nextCheck: later, regions: [r1])
                try await fixture.insertMonitors(4...4, interval: 60, nextCheck: due, regions: [])
                let clock = ManualClock(now)
                let scheduler = scheduler(fixture, clock: clock, unit: 1)

                #expect(try await scheduler.tick() == 2)  // 1 and 4; 2 is paused, 3 is not due

                for region in [r1, r2] {
                    let tasks = try await fixture.pendingTasks(region: region)
                    #expect(tasks.count == 1)
                    let task = try #require(tasks.first)
                    #expect(task.id == Scheduler.taskID(monitorID: 1, regionID: region, due: due))
                    #expect(task.type == "monitor:ping:{region}")
                    #expect(task.queue == String(region))
                    #expect(task.timeout == 120)
                    #expect(task.retention == 60)
                    let ping = try PingTask(payload: task.payload)
                    #expect(ping.regionID == region)
                    #expect(ping.monitor.id == 1)
                    #expect(ping.monitor.teamID == fixture.teamID)
                    #expect(ping.monitor.name == "monitor 1")
                    #expect(ping.monitor.type == .http)
                    #expect(ping.monitor.interval == 10)
                    #expect(ping.monitor.regionIDs == [r1, r2].sorted())
                    #expect(ping.monitor.nextCheck == due)
                    #expect(ping.monitor.lastChecked == nil)
                    #expect(ping.monitor.configJSON.contains("http://127.0.0.1:1/"))
                }

                let first = try await fixture.schedule(of: 1)
                #expect(first.lastChecked == now)
                // unit 1 → the largest jitter: min(30% of 10 s, 5 s) = 3 s.
                #expect(abs(first.nextCheck.timeIntervalSince(now) - 13) < 0.000_01)
                let paused = try await fixture.schedule(of: 2)
                #expect(paused.lastChecked == nil && paused.nextCheck == due)
                let notDue = try await fixture.schedule(of: 3)
                #expect(notDue.lastChecked == nil && notDue.nextCheck == later)
                let noRegions = try await fixture.schedule(of: 4)
                #expect(noRegions.lastChecked == now)
                #expect(abs(noRegions.nextCheck.timeIntervalSince(now) - 65) < 0.000_01)

                let metrics = scheduler.metrics
                #expect(metrics.claimed == 2)
                #expect(metrics.enqueued == 2)
                #expect(metrics.withoutRegions == 1)
                #expect(metrics.alreadyEnqueued == 0)
                #expect(metrics.lagSamples == 2)
                #expect(metrics.lagMax == .seconds(3))
                #expect(metrics.lastTick == now)

                // Nothing is due any more at the same time; once 3 is due, only it is claimed.
                #expect(try await scheduler.tick() == 0)
                clock.set(later)
                #expect(try await scheduler.tick() == 1)
                #expect(try await fixture.pendingCount(region: r1) == 2)
                #expect(try await fixture.pendingCount(region: r2) == 1)
            }
        }

        @Test func aReclaimOfTheSameDueTimeIsNotEnqueuedAgain() async throws {
            try await ScheduleFixture.with(regions: 2) { fixture in
                let due = roundedNow(minus: 1)
                try await fixture.insertMonitors(1...5, interval: 30, nextCheck: due, regions: fixture.regions)
                let clock = ManualClock(roundedNow())
                let scheduler = scheduler(fixture, clock: clock)
                #expect(try await scheduler.tick() == 5)
                // As if the commit had failed after the enqueue: the rows are due again at the same due time.
                try await fixture.postgres.execute(
                    "UPDATE monitors SET next_check = \(due), last_checked = NULL"
                )
                #expect(try await scheduler.tick() == 5)
                let metrics = scheduler.metrics
                #expect(metrics.enqueued == 10)
                #expect(metrics.alreadyEnqueued == 10)
                for region in fixture.regions {
                    #expect(try await fixture.pendingCount(region: region) == 5)
                }
            }
        }

        @Test func aTickDrainsTheBacklogInBatchesWithoutJitterWhenRandomIsZero() async throws {
            try await ScheduleFixture.with(regions: 1) { fixture in
                let region = fixture.regions[0]
                let now = roundedNow()
                let start = now.addingTimeInterval(-60)
                try await fixture.insertMonitors(1...25, interval: 5, nextCheck: start, regions: [region])
                let scheduler = scheduler(fixture, clock: ManualClock(now), batch: 10, unit: 0)
                #expect(try await scheduler.tick() == 25)
                #expect(try await fixture.pendingCount(region: region) == 25)
                for id in [Int64(1), 13, 25] {
                    let schedule = try await fixture.schedule(of: id)
                    #expect(schedule.nextCheck == now.addingTimeInterval(5))
                }
                #expect(scheduler.metrics.lagP50 == .seconds(60))
            }
        }

        @Test func lockedRowsAreSkippedNotWaitedFor() async throws {
            try await ScheduleFixture.with(regions: 1) { fixture in
                let region = fixture.regions[0]
                let due = roundedNow(minus: 1)
                try await fixture.insertMonitors(1...4, interval: 30, nextCheck: due, regions: [region])
                let now = roundedNow()
                let other = scheduler(fixture, clock: ManualClock(now))
                // Another scheduler's claim transaction holds rows 1 and 2 (claimed with limit 2, in due order
                // then… any order among equal due times): only the other two are claimed meanwhile.
                let held = try await fixture.postgres.withSession { session in
                    let locked = try await session.run { connection in
                        try MonitorStore.begin(connection)
                        return try MonitorStore.claimDue(connection, now: now, limit: 2).map(\.id)
                    }
                    #expect(try await other.tick() == 2)
                    return locked
                }
                #expect(held.count == 2)
                // The session ended without COMMIT: its rows were rolled back and are still due.
                for id in held {
                    #expect(try await fixture.schedule(of: id).lastChecked == nil)
                }
                #expect(try await other.tick() == 2)
                #expect(try await fixture.pendingCount(region: region) == 4)
            }
        }
    }
}
