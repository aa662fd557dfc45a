import Foundation
import Testing

@testable import KnockerKit

extension DrainTests {
    /// `knocker work` (the built binary) stopped with SIGTERM while its notification deliveries hang on a webhook
    /// that never answers, with a notification timeout far longer than the grace: the deliveries are aborted when
    /// the grace runs out, the worker exits right after, and every notification is back in the queue, neither
    /// recorded as sent nor archived.
    @Suite("knocker work: SIGTERM with notification deliveries hanging")
    struct HangingNotifications {
        /// More deliveries than the sender's threads: some run (and hang), the rest wait for a thread.
        static let threads = NotificationSender.defaultThreads
        static let monitors: ClosedRange<Int64> = 1...Int64(threads + 6)
        static let channel: Int64 = 77
        static let grace: Duration = .seconds(1)

        @Test func hangingDeliveriesAreAbortedAtTheGraceAndRequeued() async throws {
            let receiver = try #require(NotifyReceiver.shared, "the test receiver could not listen")
            let path = "/hang/drain-\(UUID().uuidString)"
            try await DrainFixture.with(redisDatabase: 7) { fixture in
                try await fixture.insertMonitors(Self.monitors, url: receiver.url("/unused"))
                let config = "{\"url\": \"\(receiver.url(path))\"}"
                try await fixture.postgres.execute(
                    """
                    INSERT INTO notifications (id, team_id, type, name, config)
                    VALUES (\(Self.channel), \(fixture.teamID), 'webhook', 'hanging hook', \(config)::jsonb)
                    """
                )
                let tasks = Self.monitors.map { notificationTask(monitor: $0, fixture: fixture) }
                for result in try await QueueClient(redis: fixture.redis).enqueue(tasks) {
                    if case .failure(let error) = result { Issue.record("enqueue failed: \(error)") }
                }

                let worker = try KnockerProcess.start(
                    ["work", "--region", "r"],
                    environment: fixture.workerEnvironment([
                        "WORKER_SHUTDOWN_GRACE": "1s", "NOTIFICATION_TIMEOUT": "50s",
                    ])
                )
                var exited = false
                defer { if !exited { kill(worker.process.processIdentifier, SIGKILL) } }
                // Each of the sender's threads holds a delivery the receiver never answers; the other 6 wait for one.
                try await eventually("a delivery per sender thread reaches the receiver", timeout: .seconds(20)) {
                    receiver.requests(at: path).count >= Self.threads
                }

                let signalled = ContinuousClock.now
                kill(worker.process.processIdentifier, SIGTERM)
                let result = try await offPool { worker.wait() }
                exited = true
                let took = signalled.duration(to: .now)

                let log = result.standardError
                #expect(result.status == 0, "\(log)")
                #expect(took < Self.grace + .seconds(2), "exited \(took) after SIGTERM:\n\(log)")
                #expect(!log.contains(" ERROR "), "\(log)")
                #expect(log.contains("notification cancelled before the server answered"), "\(log)")
                #expect(!log.contains("notification failed"), "\(log)")
                // Handlers are cancelled one after another: a waiting delivery may take a thread another's abort just freed
                // before its own cancellation arrives (then it is aborted too); none is recorded as sent (below).
                #expect(receiver.requests(at: path).count <= Self.monitors.count)

                // Every task is pending again: none recorded, retried, archived or left active.
                let queue = NotificationTask.queue
                #expect(try await fixture.count(QueueKeys.pending(queue)) == Self.monitors.count)
                #expect(try await fixture.count(QueueKeys.active(queue)) == 0)
                let retried = try await fixture.redis.command(["ZCARD", RedisArgument(QueueKeys.retry(queue))]).int
                let archived = try await fixture.redis.command(
                    ["ZCARD", RedisArgument(QueueKeys.archived(queue))]
                ).int
                #expect(retried == 0)
                #expect(archived == 0)
                let delivered = try await fixture.postgres.query("SELECT count(*) FROM notification_deliveries")
                #expect(try delivered.first?.decode(Int64.self, at: 0) == 0)
            }
        }

        /// The `notification:dispatch` task of a "down" incident of `monitor`, as the engine's outbox enqueues it.
        func notificationTask(monitor: Int64, fixture: DrainFixture) -> NewTask {
            let ping = RecordedPing(
                time: Date(),
                monitorID: monitor,
                regionID: fixture.region.id,
                latencyMs: 0,
                status: .failed,
                message: "connection refused"
            )
            let task = NotificationTask(
                teamID: fixture.teamID,
                monitorID: monitor,
                notificationID: Self.channel,
                regionID: fixture.region.id,
                incidentID: 5000 + monitor,
                kind: .down,
                ping: ping,
                detail: "r: connection refused"
            )
            return NewTask(
                type: NotificationTask.type,
                payload: task.payload(),
                options: TaskOptions(
                    queue: NotificationTask.queue,
                    maxRetry: NotificationTask.maxRetry,
                    timeout: .seconds(60),
                    taskID: task.taskID
                )
            )
        }
    }
}
