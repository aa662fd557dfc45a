import Foundation
import Testing

@testable import KnockerKit

extension DrainTests {
    /// Two regions' ping writers (each with its own connections and ID generator, as two workers) writing pings of
    /// the same monitors at the same moment, against a real database.
    @Suite("Ping batch writers of two regions at once", .serialized)
    struct ConcurrentRegions {
        /// Monitors with quorum 1 and with quorum 2, all checked from both regions.
        static let quorumOne: [Int64] = Array(1...20)
        static let quorumTwo: [Int64] = Array(101...120)
        static let start = Date(timeIntervalSince1970: 1_800_000_000)

        /// One region's writer and how often its writes had to be retried.
        final class RegionWriter: Sendable {
            let region: Int64
            let client: PostgresClient
            let writer: PingBatchWriter
            let retries = Locked(0)

            init(region: Int64, client: PostgresClient, writer: PingBatchWriter) {
                self.region = region
                self.client = client
                self.writer = writer
            }

            /// Writes one ping per monitor at round `round`, retrying (as the recorder does) until it is stored.
            func write(round: Int, monitors: [Int64], failed: (Int64) -> Bool) async throws {
                let time = start.addingTimeInterval(Double(round))
                let batch = monitors.map { id in
                    RecordedPing(
                        time: time,
                        monitorID: id,
                        regionID: region,
                        latencyMs: 5,
                        status: failed(id) ? .failed : .successful,
                        message: failed(id) ? "HTTP 500" : nil
                    )
                }
                try await writeRetrying(batch)
            }

            func writeRetrying(_ batch: [RecordedPing]) async throws {
                for attempt in 1... {
                    do {
                        return try await writer.write(batch)
                    } catch {
                        retries.withLock { $0 += 1 }
                        guard attempt < 20 else { throw error }
                        try await Task.sleep(for: .milliseconds(10 * attempt))
                    }
                }
            }
        }

        static func withRegions(_ body: (DrainFixture, RegionWriter, RegionWriter) async throws -> Void) async throws {
            try await DrainFixture.with(redisDatabase: 9) { fixture in
                let other = Region(id: fixture.region.id + 1, name: "s", displayName: "S")
                try await fixture.insertRegion(other)
                let regions = [fixture.region.id, other.id]
                try await fixture.insertMonitors(
                    1...20,
                    url: "http://127.0.0.1:1/",
                    regions: regions,
                    failureThreshold: 2
                )
                try await fixture.insertMonitors(
                    101...120,
                    url: "http://127.0.0.1:1/",
                    regions: regions,
                    failureThreshold: 2,
                    regionQuorum: 2
                )
                let logger = Logger(level: .critical)
                var writers: [RegionWriter] = []
                for (index, region) in regions.enumerated() {
                    let client = try PostgresClient(
                        configuration: PostgresConfiguration(connectionString: fixture.databaseURL, poolSize: 2),
                        logger: logger
                    )
                    writers.append(
                        RegionWriter(
                            region: region,
                            client: client,
                            writer: PingBatchWriter(
                                postgres: client,
                                redis: fixture.redis,
                                ids: IDGenerator(machineID: UInt16(100 + index)),
                                logger: logger
                            )
                        )
                    )
                }
                do {
                    try await body(fixture, writers[0], writers[1])
                } catch {
                    for writer in writers { await writer.client.shutdown() }
                    throw error
                }
                for writer in writers { await writer.client.shutdown() }
            }
        }

        /// Both regions write round `round` at the same moment.
        static func round(
            _ round: Int,
            _ a: RegionWriter,
            _ b: RegionWriter,
            aFails: @escaping @Sendable (Int64) -> Bool,
            bFails: @escaping @Sendable (Int64) -> Bool
        ) async throws {
            let monitors = quorumOne + quorumTwo
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await a.write(round: round, monitors: monitors, failed: aFails) }
                group.addTask { try await b.write(round: round, monitors: monitors, failed: bFails) }
                try await group.waitForAll()
            }
        }

        /// Per monitor: incidents ever opened, incidents open now, and the monitor's status.
        struct Outcome: Equatable, CustomStringConvertible {
            var incidents = 0
            var open = 0
            var status = ""
            var description: String { "incidents=\(incidents) open=\(open) status=\(status)" }
        }

        static func outcomes(_ fixture: DrainFixture) async throws -> [Int64: Outcome] {
            let rows = try await fixture.postgres.query(
                """
                SELECT m.id, m.status::text,
                       (SELECT count(*) FROM incident_monitors im WHERE im.monitor_id = m.id)::bigint,
                       (SELECT count(*) FROM incident_monitors im WHERE im.monitor_id = m.id AND im.is_open)::bigint
                  FROM monitors m
                """
            )
            var result: [Int64: Outcome] = [:]
            for row in rows {
                result[try row.decode(Int64.self, at: 0)] = Outcome(
                    incidents: Int(try row.decode(Int64.self, at: 2)),
                    open: Int(try row.decode(Int64.self, at: 3)),
                    status: try row.decode(String.self, at: 1)
                )
            }
            return result
        }

        /// Per monitor, how many of its regions are down in `monitor_region_states`.
        static func downRegions(_ fixture: DrainFixture) async throws -> [Int64: Int] {
            var result: [Int64: Int] = [:]
            let rows = try await fixture.postgres.query(
                "SELECT monitor_id, count(*) FILTER (WHERE is_down)::bigint FROM monitor_region_states GROUP BY 1"
            )
            for row in rows { result[try row.decode(Int64.self, at: 0)] = Int(try row.decode(Int64.self, at: 1)) }
            return result
        }

        static func expect(
            _ outcomes: [Int64: Outcome],
            _ monitors: [Int64],
            _ wanted: Outcome,
            _ when: String,
            sourceLocation: SourceLocation = #_sourceLocation
        ) {
            for id in monitors {
                #expect(outcomes[id] == wanted, "monitor \(id) \(when)", sourceLocation: sourceLocation)
            }
        }

        @Test func oneIncidentPerMonitorAndQuorumAcrossRegions() async throws {
            try await Self.withRegions { fixture, a, b in
                let quorumTwo = Set(Self.quorumTwo)
                // Rounds 0–9: region A fails everything, B succeeds. Quorum 1 opens on A alone (status down though B's latest pings succeed); quorum 2 stays up.
                for round in 0..<10 {
                    try await Self.round(round, a, b, aFails: { _ in true }, bFails: { _ in false })
                }
                var outcomes = try await Self.outcomes(fixture)
                Self.expect(outcomes, Self.quorumOne, Outcome(incidents: 1, open: 1, status: "down"), "A down, B up")
                Self.expect(outcomes, Self.quorumTwo, Outcome(incidents: 0, open: 0, status: "up"), "A down, B up")

                // Rounds 10–29: both fail, at the same moment. Still one incident for quorum 1; quorum 2 opens one.
                for round in 10..<30 {
                    try await Self.round(round, a, b, aFails: { _ in true }, bFails: { _ in true })
                }
                outcomes = try await Self.outcomes(fixture)
                Self.expect(outcomes, Self.quorumOne, Outcome(incidents: 1, open: 1, status: "down"), "both down")
                Self.expect(outcomes, Self.quorumTwo, Outcome(incidents: 1, open: 1, status: "down"), "both down")

                // Rounds 30–34: A recovers, B still fails. Quorum 1 stays down on B; quorum 2 resolves (1 of 2 down).
                for round in 30..<35 {
                    try await Self.round(round, a, b, aFails: { _ in false }, bFails: { _ in true })
                }
                outcomes = try await Self.outcomes(fixture)
                Self.expect(outcomes, Self.quorumOne, Outcome(incidents: 1, open: 1, status: "down"), "B down")
                Self.expect(outcomes, Self.quorumTwo, Outcome(incidents: 1, open: 0, status: "up"), "B down")

                // Rounds 35–39: both recover: everything resolved and up.
                for round in 35..<40 {
                    try await Self.round(round, a, b, aFails: { _ in false }, bFails: { _ in false })
                }
                outcomes = try await Self.outcomes(fixture)
                Self.expect(outcomes, Self.quorumOne, Outcome(incidents: 1, open: 0, status: "up"), "both up")
                Self.expect(outcomes, Self.quorumTwo, Outcome(incidents: 1, open: 0, status: "up"), "both up")

                // Rounds 40–71: the regions flap. Quorum 1: A fails 5 of every 8 rounds, B the next 4, so in one
                // round A recovers while B goes down, the two writes racing: whichever commits first, the monitor's
                // status must match its open incident and its regions' states after every round. Quorum 2: the
                // regions take turns, never both down, so it stays up with no new incident.
                for round in 40..<72 {
                    let phase = round % 8
                    try await Self.round(
                        round,
                        a,
                        b,
                        aFails: { quorumTwo.contains($0) ? phase < 4 : phase <= 4 },
                        bFails: { _ in phase >= 4 }
                    )
                    outcomes = try await Self.outcomes(fixture)
                    let downRegions = try await Self.downRegions(fixture)
                    for id in Self.quorumOne {
                        let outcome = outcomes[id].map(\.description) ?? "missing"
                        let derived = (downRegions[id] ?? 0) >= 1 ? "down" : "up"
                        #expect(outcomes[id]?.open ?? 0 <= 1, "monitor \(id) round \(round): \(outcome)")
                        #expect(outcomes[id]?.status == derived, "monitor \(id) round \(round): \(outcome)")
                        #expect(
                            outcomes[id]?.status == (outcomes[id]?.open == 1 ? "down" : "up"),
                            "monitor \(id) round \(round): \(outcome)"
                        )
                    }
                    for id in quorumTwo {
                        #expect(
                            outcomes[id] == Outcome(incidents: 1, open: 0, status: "up"),
                            "monitor \(id) round \(round)"
                        )
                    }
                }
                for id in Self.quorumOne { #expect(outcomes[id]?.incidents ?? 0 >= 2, "monitor \(id)") }

                // The per-region state agrees with the pings stored: every ping counted once.
                let states = try await fixture.postgres.query(
                    "SELECT count(*)::bigint FROM monitor_region_states WHERE samples <> 63"
                )
                #expect(try states.first?.decode(Int64.self, at: 0) == 0)
                let pings = try await fixture.pingTotal()
                #expect(pings == 72 * 2 * (Self.quorumOne.count + Self.quorumTwo.count))
                let retries = a.retries.withLock { $0 } + b.retries.withLock { $0 }
                print("concurrent regions: \(retries) retried writes")
            }
        }

        /// A batch written twice (a retry after a commit the writer did not hear of) stores each ping once and
        /// counts it once in the region's history: two failures of a threshold-3 monitor stay two, no incident.
        @Test func aRetriedBatchIsStoredAndCountedOnce() async throws {
            try await Self.withRegions { fixture, a, _ in
                for round in 0..<2 {
                    let batch = Self.quorumOne.map { id in
                        RecordedPing(
                            time: Self.start.addingTimeInterval(Double(round)),
                            monitorID: id,
                            regionID: a.region,
                            latencyMs: 0,
                            status: .failed,
                            message: "refused"
                        )
                    }
                    try await a.writer.write(batch)
                    try await a.writer.write(batch)  // the retry
                    // A retry of part of it, with new pings in it.
                    try await a.writer.write(Array(batch.prefix(5)))
                }
                let counts = try await fixture.pingCounts()
                for id in Self.quorumOne { #expect(counts[id] == 2, "monitor \(id)") }
                let rows = try await fixture.postgres.query(
                    """
                    SELECT monitor_id, samples, history FROM monitor_region_states
                     WHERE region_id = \(a.region) AND monitor_id <= 20 ORDER BY monitor_id
                    """
                )
                #expect(rows.count == Self.quorumOne.count)
                for row in rows {
                    let id = try row.decode(Int64.self, at: 0)
                    #expect(try row.decode(Int16.self, at: 1) == 2, "monitor \(id)")
                    #expect(try row.decode(Int64.self, at: 2) == 0b11, "monitor \(id)")
                }
                // failure threshold 2 with two failures opens once; the retries must not open a second.
                let outcomes = try await Self.outcomes(fixture)
                Self.expect(outcomes, Self.quorumOne, Outcome(incidents: 1, open: 1, status: "down"), "after retries")

                // A mixed retry: the old pings again plus a new success each; only the new one counts.
                let mixed = Self.quorumOne.flatMap { id in
                    [
                        RecordedPing(
                            time: Self.start.addingTimeInterval(1),
                            monitorID: id,
                            regionID: a.region,
                            latencyMs: 0,
                            status: .failed,
                            message: "refused"
                        ),
                        RecordedPing(
                            time: Self.start.addingTimeInterval(2),
                            monitorID: id,
                            regionID: a.region,
                            latencyMs: 3,
                            status: .successful,
                            message: nil
                        ),
                    ]
                }
                try await a.writer.write(mixed)
                let after = try await fixture.pingCounts()
                for id in Self.quorumOne { #expect(after[id] == 3, "monitor \(id)") }
                let samples = try await fixture.postgres.query(
                    "SELECT count(*)::bigint FROM monitor_region_states WHERE region_id = \(a.region) AND monitor_id <= 20 AND samples = 3 AND history = 6"
                )
                #expect(try samples.first?.decode(Int64.self, at: 0) == Int64(Self.quorumOne.count))
                let resolved = try await Self.outcomes(fixture)
                Self.expect(resolved, Self.quorumOne, Outcome(incidents: 1, open: 0, status: "up"), "after recovery")
            }
        }
    }
}
