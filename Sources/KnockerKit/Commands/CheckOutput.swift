import Foundation

/// How `knocker check` prints results.
enum CheckOutput {
    /// What the check is aimed at, as shown: the URL, `host:port`, the host, or `name TYPE`.
    static func target(of config: MonitorConfig) -> String {
        switch config {
        case .http(let http): http.url
        case .tcp(let tcp): HostAddress.isIPv6(tcp.host) ? "[\(tcp.host)]:\(tcp.port)" : "\(tcp.host):\(tcp.port)"
        case .ping(let ping): ping.host
        case .dns(let dns): "\(dns.name) \(dns.recordType)"
        }
    }

    static func print(_ result: CheckResult, target: String, to out: TextStream) {
        let word = result.isUp ? (result.status == .degraded ? "DEGRADED" : "UP") : "DOWN"
        var line = "\(word)  \(target)"
        if case .http(let http) = result.detail, let code = http.statusCode { line += "  \(code)" }
        line += "  \(result.latencyMs) ms"
        if let message = result.message { line += "  \(message)" }
        out.line(line)
        for detail in detailLines(result.detail) { out.line("  " + detail) }
    }

    /// The indented lines under the verdict.
    static func detailLines(_ detail: CheckResult.Detail?) -> [String] {
        guard let detail else { return [] }
        switch detail {
        case .http(let result):
            let t = result.timings
            var lines = [
                "dns \(ms(t.dns)) · connect \(ms(t.connect)) · tls \(ms(t.tls)) · first byte \(ms(t.firstByte))"
                    + " · total \(ms(t.total))"
            ]
            if let expiry = result.certificateExpiry {
                let days = Int(expiry.timeIntervalSinceNow / 86_400)
                lines.append("certificate expires \(Timestamp.day(expiry)) (in \(days) days)")
            }
            return lines
        case .tcp(let result):
            var lines: [String] = []
            if let address = result.address, let connect = result.connectTime {
                lines.append("connected to \(address) in \(ms(connect))")
            }
            if let reply = result.reply { lines.append("reply \"\(reply)\"") }
            return lines
        case .dns(let result):
            var lines: [String] = []
            if let server = result.server {
                let code = result.responseCode.map { " \($0)" } ?? ""
                lines.append("server \(server)\(result.usedTCP ? " over TCP" : "")\(code)")
            }
            if !result.aliases.isEmpty { lines.append("aliases " + result.aliases.joined(separator: " → ")) }
            if !result.answers.isEmpty { lines.append("answers " + result.answers.joined(separator: ", ")) }
            return lines
        case .ping(let result):
            var lines: [String] = []
            guard result.sent > 0 else { return [] }
            let loss =
                result.lossPercent.rounded() == result.lossPercent
                ? String(Int(result.lossPercent)) : String(format: "%.1f", result.lossPercent)
            var summary = "\(result.sent) sent, \(result.received) received, \(loss)% loss"
            if let address = result.address { summary = "\(address.ip): " + summary }
            lines.append(summary)
            if !result.rtts.isEmpty {
                lines.append("rtt " + result.rtts.map { $0.map(ms) ?? "lost" }.joined(separator: " · "))
            }
            return lines
        }
    }

    /// min / avg / p95 / max latency of the checks that were up, and how many were down.
    static func printSummary(_ results: [CheckResult], to out: TextStream) {
        let summary = CheckSummary(results.map { (isUp: $0.isUp, latencyMs: $0.latencyMs) })
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

    init(_ results: [(isUp: Bool, latencyMs: Int)]) {
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
