import Foundation
import Testing

@testable import KnockerKit

extension ScheduleTests {
    @Suite("Scheduler (unit)")
    struct Unit {
        @Test func maxJitterIsThirtyPercentCappedAtFiveSeconds() {
            #expect(Scheduler.maxJitter(interval: 1) == 0.3)
            #expect(Scheduler.maxJitter(interval: 10) == 3)
            #expect(abs(Scheduler.maxJitter(interval: 16) - 4.8) < 1e-9)
            #expect(Scheduler.maxJitter(interval: 17) == 5)
            #expect(Scheduler.maxJitter(interval: 3600) == 5)
            #expect(Scheduler.maxJitter(interval: 0) == 0)
        }

        @Test(arguments: [1, 2, 7, 30, 60, 300, 86_400])
        func jitterStaysWithinBounds(interval: Int) {
            let upper = Scheduler.maxJitter(interval: interval)
            #expect(Scheduler.jitter(interval: interval, unit: 0) == 0)
            #expect(Scheduler.jitter(interval: interval, unit: 1) == upper)
            #expect(Scheduler.jitter(interval: interval, unit: 0.5) == upper / 2)
            // Out-of-range or broken random sources are clamped.
            #expect(Scheduler.jitter(interval: interval, unit: 7) == upper)
            #expect(Scheduler.jitter(interval: interval, unit: -1) == 0)
            #expect(Scheduler.jitter(interval: interval, unit: .nan) == 0)
            var generator = SeededGenerator(seed: UInt64(interval))
            for _ in 0..<1000 {
                let jitter = Scheduler.jitter(interval: interval, unit: Double.random(in: 0...1, using: &generator))
                #expect(jitter >= 0 && jitter <= upper)
            }
        }

        @Test func taskIDsEncodeMonitorRegionAndDueMilliseconds() {
            let due = Date(timeIntervalSince1970: 1_796_408_438.411_999)
            #expect(Scheduler.taskID(monitorID: 42, regionID: 7, due: due) == "ping:42:7:1796408438411")
            #expect(
                Scheduler.taskID(monitorID: 42, regionID: 7, due: due)
                    != Scheduler.taskID(monitorID: 42, regionID: 8, due: due)
            )
            #expect(
                Scheduler.taskID(monitorID: 42, regionID: 7, due: due.addingTimeInterval(0.001))
                    == "ping:42:7:1796408438412"
            )
            #expect(
                Scheduler.taskID(monitorID: 1, regionID: 2, due: Date(timeIntervalSince1970: 0)) == "ping:1:2:0"
            )
        }

        @Test func lagPercentilesOverTheWindow() {
            let recorder = SchedulerMetricsRecorder(window: .seconds(60))
            let start = Date(timeIntervalSince1970: 1_000_000)
            recorder.recordLags((1...100).map { Double($0) / 100 }, at: start)
            var metrics = recorder.snapshot(now: start)
            #expect(metrics.lagSamples == 100)
            #expect(metrics.lagP50 == .milliseconds(500))
            #expect(metrics.lagP99 == .milliseconds(990))
            #expect(metrics.lagMax == .seconds(1))
            recorder.recordLags([5], at: start.addingTimeInterval(30))
            // The first batch leaves the window; only the late sample is left.
            metrics = recorder.snapshot(now: start.addingTimeInterval(61))
            #expect(metrics.lagSamples == 1)
            #expect(metrics.lagP50 == .seconds(5))
            recorder.record { $0.claimed += 3 }
            #expect(recorder.snapshot(now: start.addingTimeInterval(200)).claimed == 3)
            #expect(recorder.snapshot(now: start.addingTimeInterval(200)).lagSamples == 0)
            #expect(recorder.snapshot(now: start.addingTimeInterval(200)).lagMax == .zero)
        }

        @Test func lagSamplesAreBounded() {
            let recorder = SchedulerMetricsRecorder(window: .seconds(60), maxSamples: 10)
            let now = Date(timeIntervalSince1970: 1_000_000)
            recorder.recordLags((1...25).map(Double.init), at: now)
            let metrics = recorder.snapshot(now: now)
            #expect(metrics.lagSamples == 10)
            #expect(metrics.lagMax == .seconds(25))
            #expect(metrics.lagP50 == .seconds(20))
        }

        @Test func regionArraysParse() throws {
            #expect(try MonitorStore.parseIDArray("{}") == [])
            #expect(try MonitorStore.parseIDArray("{7}") == [7])
            #expect(try MonitorStore.parseIDArray("{1,22,333}") == [1, 22, 333])
            #expect(throws: PostgresError.self) { try MonitorStore.parseIDArray("{1,x}") }
        }
    }
}
