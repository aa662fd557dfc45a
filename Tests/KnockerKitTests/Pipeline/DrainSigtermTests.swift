import Foundation
import Testing

@testable import KnockerKit

extension DrainTests {
    /// `knocker work` (the built binary) stopped with SIGTERM while 200 checks are in flight against a server that
    /// holds every request: nothing is lost. Each task either has its ping in the database or is back in the queue.
    @Suite("knocker work: SIGTERM with 200 checks in flight")
    struct Sigterm {
        static let monitors: ClosedRange<Int64> = 1...200

        /// A grace long enough for the held checks: once the worker is draining the server answers; all 200 pings
        /// are written before the worker exits 0, and nothing is left in the queue.
        @Test func runningChecksFinishWithinTheGraceAndEveryPingIsWritten() async throws {
            let server = try #require(TestHoldingHTTPServer())
            defer { server.stop() }
            try await DrainFixture.with(redisDatabase: 6) { fixture in
                try await fixture.insertMonitors(Self.monitors, url: server.url)
                try await fixture.enqueuePings(Self.monitors, url: server.url)
                let worker = try KnockerProcess.start(
                    ["work", "--region", "r", "--concurrency", "500"],
                    environment: fixture.workerEnvironment(["WORKER_SHUTDOWN_GRACE": "30s"])
                )
                var exited = false
                defer { if !exited { kill(worker.process.processIdentifier, SIGKILL) } }

                #expect(await held(server, Self.monitors.count, worker: worker))
                #expect(try await fixture.pendingCount == 0)
                #expect(try await fixture.pingTotal() == 0)

                let signalled = ContinuousClock.now
                kill(worker.process.processIdentifier, SIGTERM)
                // Answer only once the worker has stopped taking tasks and waits for its running checks.
                try await waitForLog(worker.errorURL, containing: "waiting for running tasks")
                try await offPool { server.release() }
                let result = try await offPool { worker.wait() }
                exited = true

                #expect(result.status == 0, "\(result.standardError)")
                #expect(result.standardError.contains("count=200"), "\(result.standardError)")
                #expect(result.standardError.contains("pings=200"), "\(result.standardError)")
                #expect(!result.standardError.contains(" ERROR "), "\(result.standardError)")
                // It exits once its checks are done, not at the end of the grace.
                #expect(signalled.duration(to: .now) < .seconds(15))
                let counts = try await fixture.pingCounts()
                #expect(counts.count == Self.monitors.count)
                #expect(counts.values.allSatisfy { $0 == 1 })
                #expect(try await fixture.pendingCount == 0)
                #expect(try await fixture.activeCount == 0)
            }
        }

        /// A grace shorter than the held checks: the worker gives up on them, puts every one back in the queue and
        /// exits 0; a second worker (the server now answering) runs them all, so each monitor gets exactly one ping.
        @Test func checksStillRunningAfterTheGraceAreRequeuedAndRunAgain() async throws {
            let server = try #require(TestHoldingHTTPServer())
            defer { server.stop() }
            try await DrainFixture.with(redisDatabase: 7) { fixture in
                try await fixture.insertMonitors(Self.monitors, url: server.url)
                try await fixture.enqueuePings(Self.monitors, url: server.url)
                let environment = fixture.workerEnvironment(["WORKER_SHUTDOWN_GRACE": "500ms"])
                let first = try KnockerProcess.start(
                    ["work", "--region", "r", "--concurrency", "500"],
                    environment: environment
                )
                var firstExited = false
                defer { if !firstExited { kill(first.process.processIdentifier, SIGKILL) } }
                #expect(await held(server, Self.monitors.count, worker: first))

                kill(first.process.processIdentifier, SIGTERM)
                let stopped = try await offPool { first.wait() }
                firstExited = true
                #expect(stopped.status == 0, "\(stopped.standardError)")
                #expect(stopped.elapsed < .seconds(20))
                // None lost: every task whose ping is not stored is pending again.
                let written = try await fixture.pingCounts()
                let pending = try await fixture.pendingIDs()
                for id in Self.monitors {
                    let taskID = Scheduler.taskID(
                        monitorID: id,
                        regionID: fixture.region.id,
                        due: Date(timeIntervalSince1970: 0)
                    )
                    #expect((written[id] ?? 0) + (pending.contains(taskID) ? 1 : 0) == 1, "monitor \(id)")
                }
                #expect(try await fixture.activeCount == 0)
                #expect(pending.count == Self.monitors.count, "the held checks never finished, so all are requeued")

                try await offPool { server.release() }
                let second = try KnockerProcess.start(["work", "--region", "r"], environment: environment)
                var secondExited = false
                defer { if !secondExited { kill(second.process.processIdentifier, SIGKILL) } }
                try await waitForLog(second.errorURL, containing: "queue server started")
                try await eventually("every monitor has its ping", timeout: .seconds(20)) {
                    try await fixture.pingTotal() >= Self.monitors.count
                }
                try await eventually("the queue is empty", timeout: .seconds(10)) {
                    let pending = try await fixture.pendingCount
                    let active = try await fixture.activeCount
                    return pending == 0 && active == 0
                }
                kill(second.process.processIdentifier, SIGTERM)
                let result = try await offPool { second.wait() }
                secondExited = true
                #expect(result.status == 0, "\(result.standardError)")
                let counts = try await fixture.pingCounts()
                #expect(counts.count == Self.monitors.count)
                #expect(counts.values.allSatisfy { $0 == 1 })
            }
        }

        /// Waits until the server holds `count` requests; false (with the worker's log recorded, the server stopped)
        /// when the worker exits first or 20 s pass.
        func held(_ server: TestHoldingHTTPServer, _ count: Int, worker: KnockerProcess.Running) async -> Bool {
            let reached = await withTaskGroup(of: Bool.self) { group in
                group.addTask { await server.held(count) }
                group.addTask {
                    let deadline = ContinuousClock.now + .seconds(20)
                    while ContinuousClock.now < deadline && worker.process.isRunning {
                        // Cancelled: the server got the requests.
                        guard (try? await Task.sleep(for: .milliseconds(50))) != nil else { return false }
                    }
                    // Wakes the other child (held returns false once the server stops).
                    server.stop()
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            if !reached {
                let log = (try? String(contentsOf: worker.errorURL, encoding: .utf8)) ?? ""
                Issue.record("the server did not get \(count) requests in time; worker log:\n\(log)")
            }
            return reached
        }
    }
}
