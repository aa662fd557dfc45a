import Foundation

/// How `knocker check` prints results.
enum CheckOutput {
    static func print(_ result: HTTPCheckResult, url: String, to out: TextStream) {
        let word = result.isUp ? (result.status == .degraded ? "DEGRADED" : "UP") : "DOWN"
        var line = "\(word)  \(url)"
        if let code = result.statusCode { line += "  \(code)" }
        line += "  \(result.latencyMs) ms"
        if let message = result.message { line += "  \(message)" }
        out.line(line)
        let t = result.timings
        out.line(
            "  dns \(ms(t.dns)) · connect \(ms(t.connect)) · tls \(ms(t.tls)) · first byte \(ms(t.firstByte))"
                + " · total \(ms(t.total))"
        )
        if let expiry = result.certificateExpiry {
            let days = Int(expiry.timeIntervalSinceNow / 86_400)
            out.line("  certificate expires \(Timestamp.day(expiry)) (in \(days) days)")
        }
    }

    /// min / avg / p95 / max latency of the checks that got an answer, and how many were down.
    static func printSummary(_ results: [HTTPCheckResult], to out: TextStream) {
        let summary = CheckSummary(results)
        out.line("")
        out.line(
            "\(results.count) checks, \(summary.down) down (\(summary.lossPercent)% loss); latency min \(summary.min) ms, "
                + "avg \(summary.average) ms, p95 \(summary.p95) ms, max \(summary.max) ms"
        )
    }

    static func ms(_ duration: Duration) -> String { String(format: "%.1f ms", milliseconds(duration)) }

    /// Milliseconds with microsecond precision.
    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000) / 1000
    }
}

/// Statistics over repeated checks.
struct CheckSummary: Equatable {
    var down: Int
    var lossPercent: Int
    var min: Int
    var average: Int
    var p95: Int
    var max: Int

    init(_ results: [HTTPCheckResult]) {
        let latencies = results.filter(\.isUp).map(\.latencyMs).sorted()
        down = results.count - latencies.count
        lossPercent = results.isEmpty ? 0 : down * 100 / results.count
        min = latencies.first ?? 0
        max = latencies.last ?? 0
        average = latencies.isEmpty ? 0 : latencies.reduce(0, +) / latencies.count
        // Nearest-rank p95.
        p95 = latencies.isEmpty ? 0 : latencies[Swift.max(0, Int((0.95 * Double(latencies.count)).rounded(.up)) - 1)]
    }
}

/// `knocker check --json`: one object per check.
struct CheckResultView: Encodable {
    let url: String
    let status: String
    let up: Bool
    let latencyMs: Int
    let statusCode: Int?
    let message: String?
    let timings: [String: Double]
    let certificateExpiry: String?

    enum CodingKeys: String, CodingKey {
        case url, status, up, message, timings
        case latencyMs = "latency_ms"
        case statusCode = "status_code"
        case certificateExpiry = "certificate_expiry"
    }

    init(url: String, result: HTTPCheckResult) {
        self.url = url
        status = result.status.rawValue
        up = result.isUp
        latencyMs = result.latencyMs
        statusCode = result.statusCode
        message = result.message
        let ms = CheckOutput.milliseconds
        let t = result.timings
        timings = [
            "dns_ms": ms(t.dns), "connect_ms": ms(t.connect), "tls_ms": ms(t.tls), "first_byte_ms": ms(t.firstByte),
            "total_ms": ms(t.total),
        ]
        certificateExpiry = result.certificateExpiry.map(Timestamp.rfc3339)
    }
}
