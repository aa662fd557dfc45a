import Foundation
import Testing

@_spi(Benchmarks) @testable import KnockerKit

extension PipelineTests {
    /// Ping rows as the recorder writes them (one INSERT of binary arrays).
    @Suite("Pipeline: ping rows")
    struct PingRows {
        /// Messages come from checks (assertion texts, server answers): whatever they hold, the row is accepted, so a
        /// batch never fails for good and holds every later ping back.
        @Test func anyMessageIsStoredWithinTheColumnsLimit() async throws {
            try await PipelineTests.withMigratedDatabase(prefix: "knocker_pipeline_rows", poolSize: 1) { postgres, _ in
                let combining = String(repeating: "e\u{301}", count: 700)  // 700 Characters, 1,400 code points
                let pings = [combining, "nul \u{0} inside", String(repeating: "ü", count: 1500), ""].enumerated().map {
                    index,
                    message in
                    RecordedPing(
                        time: Date(timeIntervalSince1970: 1_800_000_000 + Double(index)),
                        monitorID: 10,
                        regionID: 101,
                        latencyMs: 5,
                        status: .failed,
                        message: message
                    )
                }
                #expect(try await postgres.withConnection { try PingStore.append($0, pings) } == 4)
                let rows = try await postgres.query("SELECT length(message), message FROM pings ORDER BY time")
                #expect(try rows.map { try $0.decode(Int32.self, at: 0) } == [1000, 12, 1000, 0])
                #expect(try rows[1].decode(String.self, at: 1) == "nul \u{FFFD} inside")
            }
        }
    }
}
