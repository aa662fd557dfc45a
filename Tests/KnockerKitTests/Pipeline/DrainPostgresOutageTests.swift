import Foundation
import Testing

@testable import KnockerKit

extension DrainTests {
    /// `knocker work` (the built binary) while its Postgres (a private cluster) is stopped.
    @Suite("knocker work: Postgres outages")
    struct PostgresOutage {
        static let capacity: Int64 = 2000

        /// Under a steady load (50 tasks/s) Postgres is stopped for 10 s: the worker keeps running and checking,
        /// holds the pings, and once Postgres is back writes each exactly once.
        @Test func noPingIsLostOrDoubledWhilePostgresIsDown() async throws {
            let server = try #require(TestHoldingHTTPServer())
            defer { server.stop() }
            try await offPool { server.release() }  // answers every request at once
            try await DrainFixture.with(redisDatabase: 8, ownCluster: true) { fixture in
                let cluster = try #require(fixture.cluster)
                try await fixture.insertMonitors(1...Self.capacity, url: server.url)
                let worker = try KnockerProcess.start(
                    ["work", "--region", "r"],
                    environment: fixture.workerEnvironment([
                        "WORKER_SHUTDOWN_GRACE": "5s",
                        "DB_CONNECT_TIMEOUT": "2s",
                        "DB_ACQUIRE_TIMEOUT": "2s",
                    ])
                )
                var exited = false
                defer { if !exited { kill(worker.process.processIdentifier, SIGKILL) } }
                try await waitForLog(worker.errorURL, containing: "queue server started")

                // One new monitor's task every 20 ms (50/s) until told to stop.
                let enqueued = Locked<Int64>(0)
                let stopLoad = Locked(false)
                let load = Task {
                    let clock = ContinuousClock()
                    var next = clock.now
                    while !stopLoad.withLock({ $0 }) {
                        let id = enqueued.withLock { $0 } + 1
                        guard id <= Self.capacity else { throw CancellationError() }
                        try await fixture.enqueuePings(id...id, url: server.url)
                        enqueued.withLock { $0 = id }
                        next += .milliseconds(20)
                        try await Task.sleep(until: next, clock: clock)
                    }
                }
                defer { load.cancel() }

                try await eventually("pings are written", timeout: .seconds(10)) {
                    (try? await fixture.pingTotal()) ?? 0 > 50
                }
                let stopped = ContinuousClock.now
                try await cluster.stop()
                let downFrom = enqueued.withLock { $0 }
                // 10 s down, checking every 100 ms that the worker keeps running and taking tasks.
                while ContinuousClock.now - stopped < .seconds(10) {
                    #expect(worker.process.isRunning, "the worker exited during the outage")
                    guard worker.process.isRunning else { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                let downTo = enqueued.withLock { $0 }
                #expect(downTo - downFrom >= 400, "enqueueing kept pace during the outage")
                // Checks ran during the outage (tasks were taken and completed), their pings held.
                #expect(try await fixture.pendingCount < 100)
                try await cluster.startAgain()
                try await Task.sleep(for: .seconds(1))  // keep loading a moment after the restart
                stopLoad.withLock { $0 = true }
                try await load.value
                let total = Int(enqueued.withLock { $0 })

                try await eventually("every enqueued task has its ping", timeout: .seconds(30)) {
                    (try? await fixture.pingTotal()) ?? 0 >= total
                }
                try await eventually("the queue is drained", timeout: .seconds(10)) {
                    let pending = try await fixture.pendingCount
                    let active = try await fixture.activeCount
                    return pending == 0 && active == 0
                }
                kill(worker.process.processIdentifier, SIGTERM)
                let result = try await offPool { worker.wait() }
                exited = true
                #expect(result.status == 0, "\(result.standardError)")
                #expect(result.standardError.contains("writing pings failed; keeping them and retrying"))
                #expect(result.standardError.contains("ping writes recovered"))
                #expect(result.standardError.contains("pings=\(total)"), "\(result.standardError)")

                let counts = try await fixture.pingCounts()
                #expect(counts.count == total, "one monitor per task: \(counts.count) of \(total) have pings")
                #expect(Set(counts.keys) == Set(1...Int64(total)))
                let doubled = counts.filter { $0.value != 1 }
                #expect(doubled.isEmpty, "monitors with more than one ping: \(doubled)")
            }
        }

        /// SIGTERM while Postgres is down and the worker holds pings it could not write: it stops taking tasks and,
        /// once the grace is over, puts every check whose ping is not written back in the queue (dropping those
        /// pings, so nothing is written twice) and exits 0 without waiting for Postgres. A worker started once
        /// Postgres is back runs them: one ping per monitor, none lost.
        @Test func sigtermDuringAnOutagePutsUnwrittenChecksBackAndExits() async throws {
            let server = try #require(TestHoldingHTTPServer())
            defer { server.stop() }
            try await offPool { server.release() }
            try await DrainFixture.with(redisDatabase: 6, ownCluster: true) { fixture in
                let cluster = try #require(fixture.cluster)
                let monitors: ClosedRange<Int64> = 1...100
                try await fixture.insertMonitors(monitors, url: server.url)
                let environment = fixture.workerEnvironment(["WORKER_SHUTDOWN_GRACE": "2s", "DB_CONNECT_TIMEOUT": "2s"])
                let worker = try KnockerProcess.start(["work", "--region", "r"], environment: environment)
                var exited = false
                defer { if !exited { kill(worker.process.processIdentifier, SIGKILL) } }
                try await waitForLog(worker.errorURL, containing: "queue server started")
                try await cluster.stop()
                try await fixture.enqueuePings(monitors, url: server.url)
                try await eventually("every check ran and waits for its ping's write", timeout: .seconds(15)) {
                    let pending = try await fixture.pendingCount
                    let active = try await fixture.activeCount
                    return pending == 0 && active == monitors.count
                }
                try await waitForLog(worker.errorURL, containing: "writing pings failed; keeping them and retrying")
                kill(worker.process.processIdentifier, SIGTERM)
                let result = try await offPool { worker.wait() }
                exited = true
                #expect(result.status == 0, "\(result.standardError)")
                #expect(result.elapsed < .seconds(30))
                #expect(result.standardError.contains("pings=0"), "\(result.standardError)")
                #expect(try await fixture.pendingCount == monitors.count, "every check is back in the queue")
                #expect(try await fixture.activeCount == 0)

                try await cluster.startAgain()
                let second = try KnockerProcess.start(["work", "--region", "r"], environment: environment)
                var secondExited = false
                defer { if !secondExited { kill(second.process.processIdentifier, SIGKILL) } }
                var counts: [Int64: Int] = [:]
                try await eventually("the second worker writes every ping", timeout: .seconds(30)) {
                    guard let read = try? await fixture.pingCounts() else { return false }
                    counts = read
                    return read.count == monitors.count
                }
                #expect(counts.values.allSatisfy { $0 == 1 }, "\(counts)")
                try await eventually("the queue is drained", timeout: .seconds(10)) {
                    let pending = try await fixture.pendingCount
                    let active = try await fixture.activeCount
                    return pending == 0 && active == 0
                }
                kill(second.process.processIdentifier, SIGTERM)
                let secondResult = try await offPool { second.wait() }
                secondExited = true
                #expect(secondResult.status == 0, "\(secondResult.standardError)")
            }
        }
    }
}
