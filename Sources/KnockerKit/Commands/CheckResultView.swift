/// `knocker check --json`: one object per check. Common keys first; the type's own keys only for that type.
struct CheckResultView: Encodable {
    let type: String
    let target: String
    let status: String
    let up: Bool
    let latencyMs: Int
    let message: String?
    // http
    var url: String?
    var statusCode: Int?
    var timings: [String: Double]?
    var certificateExpiry: String?
    // tcp
    var address: String?
    var connectMs: Double?
    var reply: String?
    // dns
    var server: String?
    var responseCode: String?
    var answers: [String]?
    var aliases: [String]?
    var overTCP: Bool?
    // ping
    var sent: Int?
    var received: Int?
    var lossPercent: Double?
    var rttsMs: [Double?]?

    enum CodingKeys: String, CodingKey {
        case type, target, status, up, message, url, timings, address, reply, server, answers, aliases
        case responseCode = "response_code"
        case overTCP = "over_tcp"
        case sent, received
        case lossPercent = "loss_percent"
        case rttsMs = "rtts_ms"
        case latencyMs = "latency_ms"
        case statusCode = "status_code"
        case certificateExpiry = "certificate_expiry"
        case connectMs = "connect_ms"
    }

    init(type: MonitorType, target: String, result: CheckResult) {
        self.type = type.rawValue
        self.target = target
        status = result.status.rawValue
        up = result.isUp
        latencyMs = result.latencyMs
        message = result.message
        let ms = CheckOutput.milliseconds
        guard let detail = result.detail else { return }
        switch detail {
        case .http(let http):
            url = target
            statusCode = http.statusCode
            let t = http.timings
            timings = [
                "dns_ms": ms(t.dns), "connect_ms": ms(t.connect), "tls_ms": ms(t.tls),
                "first_byte_ms": ms(t.firstByte), "total_ms": ms(t.total),
            ]
            certificateExpiry = http.certificateExpiry.map(Timestamp.rfc3339)
        case .tcp(let tcp):
            address = tcp.address?.description
            connectMs = tcp.connectTime.map(ms)
            reply = tcp.reply
        case .dns(let dns):
            server = dns.server
            responseCode = dns.responseCode
            answers = dns.answers
            aliases = dns.aliases
            overTCP = dns.usedTCP
        case .ping(let ping):
            address = ping.address?.ip
            sent = ping.sent
            received = ping.received
            lossPercent = ping.lossPercent
            rttsMs = ping.rtts.map { $0.map(ms) }
        }
    }
}
