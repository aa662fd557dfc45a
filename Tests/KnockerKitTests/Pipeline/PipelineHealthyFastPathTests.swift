import Foundation
import Testing

@_spi(Benchmarks) @testable import KnockerKit

extension PipelineTests {
    /// The evaluation's fast path for successful checks of healthy monitors gives the same state as the engine.
    @Suite("Pipeline: fast path for healthy monitors")
    struct HealthyFastPath {
        @Test func successesOfHealthyMonitorsSkipTheEngineAndKeepTheSameState() async throws {
            try await PipelineTests.withMigratedDatabase(prefix: "knocker_pipeline_fast", poolSize: 2) {
                postgres,
                logger in
                try await run(postgres, logger: logger)
            }
        }

        /// Monitor 10 in region 101, failure threshold 2, recovery threshold 1.
        static func insertMonitor(_ postgres: PostgresClient) async throws {
            try await postgres.withConnection { connection in
                try connection.executeScript(
                    """
                    INSERT INTO teams (id, name) VALUES (1, 'team');
                    INSERT INTO regions (id, name, display_name) VALUES (101, 'a', 'A');
                    INSERT INTO monitors (id, team_id, name, type, "interval", config, failure_threshold,
                                          recovery_threshold)
                    VALUES (10, 1, 'api', 'http', 60, '{"url": "http://127.0.0.1:1/"}', 2, 1);
                    INSERT INTO monitor_regions (id, monitor_id, region_id) VALUES (1, 10, 101);
                    """
                )
            }
        }

        func run(_ postgres: PostgresClient, logger: Logger) async throws {
            try await Self.insertMonitor(postgres)
            let ids = IDGenerator(machineID: 7)
            var clock = Date(timeIntervalSince1970: 1_800_000_000)
            func evaluate(_ statuses: [CheckStatus]) async throws -> [String] {
                let pings = statuses.map { status in
                    clock += 60
                    return RecordedPing(
                        time: clock,
                        monitorID: 10,
                        regionID: 101,
                        latencyMs: 5,
                        status: status,
                        message: status.isUp ? nil : "unexpected status 503"
                    )
                }
                return try await postgres.transaction { connection in
                    _ = try PingStore.append(connection, pings)
                    _ = try IncidentEvaluation.run(connection, pings: pings, ids: ids)
                    let row = try connection.query(
                        """
                        SELECT history, samples, is_down, updated_at::text, (SELECT status::text FROM monitors)
                          FROM monitor_region_states WHERE monitor_id = 10 AND region_id = 101
                        """
                    ).first
                    guard let row else { return [] }
                    return [
                        String(try row.decode(Int64.self, at: 0)), String(try row.decode(Int16.self, at: 1)),
                        String(try row.decode(Bool.self, at: 2)), try row.decode(String.self, at: 3),
                        try row.decode(String.self, at: 4),
                    ]
                }
            }

            // No state row yet: the engine creates it.
            #expect(try await evaluate([.successful]).prefix(3) == ["0", "1", "false"])
            // Three successes, one statement: shifted in SQL.
            let shifted = try await evaluate([.successful, .degraded, .successful])
            #expect(shifted.prefix(3) == ["0", "4", "false"])
            // A failure goes through the engine (threshold 2: not down yet); the next success takes the fast path.
            #expect(try await evaluate([.failed]).prefix(3) == ["1", "5", "false"])
            #expect(try await evaluate([.successful]).prefix(3) == ["2", "6", "false"])
            // Two failures in the window: down, incident, status down; successes then need the engine.
            let down = try await evaluate([.failed])
            #expect(down.prefix(3) == ["5", "7", "true"])
            #expect(down.last == "down")
            let recovered = try await evaluate([.successful])
            #expect(recovered.prefix(3) == ["10", "8", "false"])
            #expect(recovered.last == "up")
            let open = try await postgres.query("SELECT count(*) FROM incidents WHERE status <> 'resolved'")
            #expect(try open.first?.decode(Int64.self, at: 0) == 0)

            // A full history of successes is left as it is: no write at all.
            _ = try await postgres.execute(
                "UPDATE monitor_region_states SET history = 0, samples = 63, updated_at = '2020-01-01Z'"
            )
            let untouched = try await evaluate([.successful, .successful])
            #expect(untouched.prefix(3) == ["0", "63", "false"])
            #expect(untouched[3].hasPrefix("2020-01-01"))

            // A monitor whose stored status is down is not healthy: the engine sees the success and sets it up.
            _ = try await postgres.execute("UPDATE monitors SET status = 'down'")
            let corrected = try await evaluate([.successful])
            #expect(corrected.last == "up")
        }

        /// Through the writer: once a pair is settled, batches of its successes are inserted on their own (no
        /// transaction, no evaluation); a failure still reaches the engine, and a retried batch is stored once.
        @Test func settledSuccessesAreInsertedAloneAndAFailureStillReachesTheEngine() async throws {
            try await PipelineTests.withMigratedDatabase(prefix: "knocker_pipeline_settled", poolSize: 2) {
                postgres,
                logger in
                try await Self.insertMonitor(postgres)
                _ = try await postgres.execute(
                    """
                    INSERT INTO monitor_region_states (monitor_id, region_id, history, samples, is_down)
                    VALUES (10, 101, 0, 63, false)
                    """
                )
                // Its own Redis database, so its live feed (knocker:pings:12) is not the channel other tests follow.
                var redisConfiguration = try TestServices.redisConfiguration()
                redisConfiguration.database = 12
                let redis = RedisClient(configuration: redisConfiguration, logger: logger)
                let writer = PingBatchWriter(
                    postgres: postgres,
                    redis: redis,
                    ids: IDGenerator(machineID: 7),
                    logger: logger
                )
                var clock = Date(timeIntervalSince1970: 1_800_000_000)
                func batch(_ statuses: [CheckStatus]) -> [RecordedPing] {
                    statuses.map { status in
                        clock += 60
                        return RecordedPing(
                            time: clock,
                            monitorID: 10,
                            regionID: 101,
                            latencyMs: 5,
                            status: status,
                            message: status.isUp ? nil : "unexpected status 503"
                        )
                    }
                }
                func state() async throws -> [String] {
                    let rows = try await postgres.query(
                        "SELECT history, samples FROM monitor_region_states WHERE monitor_id = 10 AND region_id = 101"
                    )
                    return [
                        String(try rows[0].decode(Int64.self, at: 0)), String(try rows[0].decode(Int16.self, at: 1)),
                    ]
                }
                func pings() async throws -> Int64 {
                    try await postgres.query("SELECT count(*) FROM pings")[0].decode(Int64.self, at: 0)
                }

                try await writer.write(batch([.successful]))
                #expect(writer.settled.count == 1, "a full history of successes: settled")
                let settledBatch = batch([.successful, .degraded])
                try await writer.write(settledBatch)
                #expect(try await pings() == 3)
                try await writer.write(settledBatch)
                #expect(try await pings() == 3, "a retried batch is stored once")
                try await writer.write(batch([.failed]))
                #expect(try await state() == ["1", "63"], "the failure went through the engine")
                #expect(writer.settled.count == 0)
                #expect(try await pings() == 4)
                await writer.finishPublishing()
                await redis.shutdown()
            }
        }
    }
}
