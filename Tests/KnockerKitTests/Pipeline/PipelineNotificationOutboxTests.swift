import Foundation
import Testing

@testable import KnockerKit

extension PipelineTests {
    /// Notifications go through the outbox: written with the incident change, deleted once enqueued, and swept into
    /// the queue later when Redis was unreachable after the commit (never dropped).
    @Suite("Pipeline: notification outbox")
    struct NotificationOutboxTests {
        /// Monitor 10 (failure threshold 2) in region 101, with webhook channel 5.
        static func insertMonitorWithChannel(_ postgres: PostgresClient) async throws {
            try await HealthyFastPath.insertMonitor(postgres)
            try await postgres.withConnection { connection in
                try connection.executeScript(
                    """
                    INSERT INTO notifications (id, team_id, type, name, config)
                    VALUES (5, 1, 'webhook', 'hook', '{"url": "http://127.0.0.1:1/hook"}');
                    INSERT INTO monitor_notifications (id, monitor_id, notification_id) VALUES (1, 10, 5);
                    """
                )
            }
        }

        static func failures(_ count: Int, from start: Date) -> [RecordedPing] {
            (1...count).map { index in
                RecordedPing(
                    time: start + Double(index) * 60,
                    monitorID: 10,
                    regionID: 101,
                    latencyMs: 5,
                    status: .failed,
                    message: "unexpected status 503"
                )
            }
        }

        static func outbox(_ postgres: PostgresClient) async throws -> [String] {
            try await postgres.query("SELECT task_id FROM notification_outbox ORDER BY task_id").map {
                try $0.decode(String.self, at: 0)
            }
        }

        /// The pending task IDs of the `default` queue.
        static func pendingTaskIDs(_ redis: RedisClient) async throws -> [String] {
            guard case .array(let items) = try await redis.command(["LRANGE", "asynq:{default}:pending", "0", "-1"])
            else { return [] }
            return items.compactMap(\.string)
        }

        @Test func withRedisUpTheTaskIsEnqueuedAndItsRowDeleted() async throws {
            let redisServer = try await TemporaryRedisServer.start()
            defer { redisServer.destroy() }
            try await PipelineTests.withMigratedDatabase(prefix: "knocker_outbox_up", poolSize: 2) { postgres, logger in
                try await Self.insertMonitorWithChannel(postgres)
                let redis = RedisClient(configuration: redisServer.configuration, logger: logger)
                let writer = PingBatchWriter(
                    postgres: postgres,
                    redis: redis,
                    ids: IDGenerator(machineID: 7),
                    logger: logger
                )
                try await writer.write(Self.failures(2, from: Date(timeIntervalSince1970: 1_800_000_000)))
                await writer.finishPublishing()
                let incident = try await postgres.query("SELECT id FROM incidents")[0].decode(Int64.self, at: 0)
                #expect(try await Self.pendingTaskIDs(redis) == ["notify:\(incident):5:down"])
                #expect(try await Self.outbox(postgres).isEmpty, "enqueued: the row is gone")
                await redis.shutdown()
            }
        }

        @Test func withRedisDownTheTaskWaitsInTheOutboxUntilASweepEnqueuesIt() async throws {
            try await PipelineTests.withMigratedDatabase(prefix: "knocker_outbox_down", poolSize: 2) {
                postgres,
                logger in
                try await Self.insertMonitorWithChannel(postgres)
                // Nothing listens on this port: every enqueue fails at once.
                let down = RedisClient(
                    configuration: RedisConfiguration(
                        host: "127.0.0.1",
                        port: try TemporaryRedisServer.freePort(),
                        connectTimeout: .seconds(1)
                    ),
                    logger: logger
                )
                let writer = PingBatchWriter(
                    postgres: postgres,
                    redis: down,
                    ids: IDGenerator(machineID: 7),
                    logger: logger
                )
                try await writer.write(Self.failures(2, from: Date(timeIntervalSince1970: 1_800_000_000)))
                await writer.finishPublishing()
                await down.shutdown()
                let incident = try await postgres.query("SELECT id FROM incidents")[0].decode(Int64.self, at: 0)
                let taskID = "notify:\(incident):5:down"
                #expect(try await Self.outbox(postgres) == [taskID], "the incident committed; its notification waits")

                let redisServer = try await TemporaryRedisServer.start()
                defer { redisServer.destroy() }
                let redis = RedisClient(configuration: redisServer.configuration, logger: logger)
                let queue = QueueClient(redis: redis)
                // A fresh row is left to the worker that wrote it.
                let patient = NotificationOutbox(postgres: postgres, queue: queue, logger: logger)
                #expect(try await patient.sweep() == 0)
                #expect(try await Self.outbox(postgres) == [taskID])

                var sweeper = NotificationOutbox(postgres: postgres, queue: queue, logger: logger)
                sweeper.staleAge = .zero
                #expect(try await sweeper.sweep() == 1)
                #expect(try await Self.outbox(postgres).isEmpty)
                #expect(try await Self.pendingTaskIDs(redis) == [taskID])
                let payload = try await redis.command(["HGET", "asynq:{default}:t:\(taskID)", "msg"])
                #expect(payload != .null, "the task message is stored")

                // Swept again (a row a crashed worker left after enqueueing it): the same task, not a second one.
                try await postgres.withConnection { connection in
                    let task = try NotificationTask(payload: Self.payload(postgres: connection, incident: incident))
                    try NotificationOutboxStore.add(connection, [task])
                }
                #expect(try await sweeper.sweep() == 1)
                #expect(try await Self.pendingTaskIDs(redis) == [taskID])
                #expect(try await Self.outbox(postgres).isEmpty)
                await redis.shutdown()
            }
        }

        @Test func aRowRedisRefusesGoesToTheBackAndIsDroppedAfterTenSweeps() async throws {
            let redisServer = try await TemporaryRedisServer.start()
            defer { redisServer.destroy() }
            try await PipelineTests.withMigratedDatabase(prefix: "knocker_outbox_refused", poolSize: 2) {
                postgres,
                logger in
                // An empty task ID is refused as invalid by the queue client, every time.
                _ = try await postgres.execute(
                    """
                    INSERT INTO notification_outbox (task_id, payload, created_at)
                    VALUES ('', '{}', now() - interval '1 hour'), ('notify:1:5:down', '{}', now() - interval '1 minute')
                    """
                )
                let redis = RedisClient(configuration: redisServer.configuration, logger: logger)
                var sweeper = NotificationOutbox(postgres: postgres, queue: QueueClient(redis: redis), logger: logger)
                sweeper.staleAge = .zero
                #expect(try await sweeper.sweep() == 1, "the good row is enqueued although an older one is refused")
                #expect(try await Self.pendingTaskIDs(redis) == ["notify:1:5:down"])
                for sweep in 2...NotificationOutbox.maxAttempts {
                    #expect(try await sweeper.sweep() == 0)
                    let left = try await Self.outbox(postgres)
                    #expect(left == (sweep < NotificationOutbox.maxAttempts ? [""] : []), "after sweep \(sweep)")
                }
                let attempts = try await postgres.query("SELECT count(*) FROM notification_outbox")
                #expect(try attempts[0].decode(Int64.self, at: 0) == 0)
                await redis.shutdown()
            }
        }

        /// A payload for the incident's "down" notification through channel 5.
        static func payload(postgres connection: PostgresConnection, incident: Int64) throws -> [UInt8] {
            NotificationTask(
                teamID: 1,
                monitorID: 10,
                notificationID: 5,
                regionID: 101,
                incidentID: incident,
                kind: .down,
                ping: failures(1, from: Date(timeIntervalSince1970: 1_800_000_000))[0],
                detail: "A: unexpected status 503"
            ).payload()
        }
    }
}
