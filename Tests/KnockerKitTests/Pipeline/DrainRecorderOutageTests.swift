import Foundation
import Testing

@testable import KnockerKit

extension DrainTests {
    /// The ping recorder writing through a real ``PingBatchWriter`` into a private Postgres that is stopped while
    /// pings keep arriving: the writes fail and are retried, the pings held (with back-pressure once the buffer is
    /// full), and after the restart every ping is stored exactly once.
    @Suite("Ping recorder and writer across a Postgres stop")
    struct RecorderOutage {
        /// Ping `index`: 50 monitors, one ping each per second of pretend time, every 7th failed.
        static func ping(_ index: Int, region: Int64) -> RecordedPing {
            RecordedPing(
                time: Date(timeIntervalSince1970: 1_800_000_000 + Double(index / 50)),
                monitorID: Int64(index % 50 + 1),
                regionID: region,
                latencyMs: 1,
                status: index % 7 == 0 ? .failed : .successful,
                message: index % 7 == 0 ? "refused" : nil
            )
        }

        @Test func failedWritesAreRetriedAndNothingIsLost() async throws {
            try await DrainFixture.with(redisDatabase: 10, ownCluster: true) { fixture in
                let cluster = try #require(fixture.cluster)
                try await fixture.insertMonitors(1...50, url: "http://127.0.0.1:1/")
                let logger = Logger(level: .critical)
                let client = try PostgresClient(
                    configuration: PostgresConfiguration(
                        connectionString: fixture.databaseURL,
                        poolSize: 2,
                        acquireTimeout: .seconds(2),
                        connectTimeout: .seconds(2)
                    ),
                    logger: logger
                )
                let writer = PingBatchWriter(
                    postgres: client,
                    redis: fixture.redis,
                    ids: IDGenerator(machineID: 77),
                    logger: logger
                )
                let recorder = PingRecorder(
                    settings: .init(
                        flushInterval: .milliseconds(50),
                        batchSize: 100,
                        bufferLimit: 400,
                        retryDelay: .milliseconds(50),
                        maxRetryDelay: .milliseconds(400)
                    ),
                    logger: logger
                ) { try await writer.write($0) }
                let running = Task { await recorder.run() }
                let region = fixture.region.id
                @Sendable func record(_ range: Range<Int>) async {
                    for index in range { await recorder.record(Self.ping(index, region: region)) }
                }

                await record(0..<500)
                try await eventually("the first pings are written", timeout: .seconds(10)) {
                    recorder.statistics.written >= 500
                }
                try await cluster.stop()
                // Up to the buffer limit is accepted while Postgres is down; the writes fail meanwhile.
                await record(500..<900)
                try await eventually("writes fail while Postgres is down", timeout: .seconds(10)) {
                    recorder.statistics.failedWrites >= 3
                }
                #expect(recorder.statistics.buffered == 400)
                // The buffer is full: more pings wait (back-pressure) until Postgres is back.
                let blocked = Task { await record(900..<1100) }
                let failed = recorder.statistics.failedWrites
                try await eventually("more writes fail", timeout: .seconds(10)) {
                    recorder.statistics.failedWrites >= failed + 2
                }
                #expect(recorder.statistics.recorded == 900, "the full buffer holds the next ping back")
                try await cluster.startAgain()
                await blocked.value
                recorder.stop()
                await running.value
                await client.shutdown()

                let statistics = recorder.statistics
                #expect(statistics.recorded == 1100)
                #expect(statistics.written == 1100)
                #expect(statistics.buffered == 0)
                #expect(statistics.failedWrites >= 3)
                var total = 0
                try await eventually("the fixture's client reconnects", timeout: .seconds(10)) {
                    total = (try? await fixture.pingTotal()) ?? -1
                    return total >= 0
                }
                #expect(total == 1100)
                let counts = try await fixture.pingCounts()
                #expect(counts.count == 50 && counts.values.allSatisfy { $0 == 22 }, "\(counts)")
                // Each ping counted once in the region's history (22 per monitor, capped at 63).
                let states = try await fixture.postgres.query(
                    "SELECT count(*)::bigint FROM monitor_region_states WHERE samples = 22"
                )
                #expect(try states.first?.decode(Int64.self, at: 0) == 50)
            }
        }
    }
}
