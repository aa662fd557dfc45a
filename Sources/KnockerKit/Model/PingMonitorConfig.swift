/// Config of a `ping` monitor (ICMP echo). The first three keys are the Go original's.
///
/// ```json
/// {"host": "example.com", "timeout_seconds": 5, "packet_size": 56, "count": 3,
///  "loss_threshold_percent": 34, "ip_version": "auto"}
/// ```
///
/// Defaults: `timeout_seconds` 5 (also for 0, as the original), `packet_size` 56 bytes (also for 0), `count` 1,
/// `loss_threshold_percent` 0, `ip_version` `"auto"`. The check fails when the share of lost packets is
/// greater than `loss_threshold_percent` (so with the default 0, any loss fails), and each packet's RTT is kept.
/// `timeout_seconds` is the wait for each reply.
public struct PingMonitorConfig: Codable, Sendable, Equatable {
    /// Default `timeout_seconds`.
    public static let defaultTimeoutSeconds = 5
    /// Default `packet_size`, bytes of ICMP payload.
    public static let defaultPacketSize = 56

    /// Hostname, IPv4 or IPv6 literal.
    public var host: String
    /// Seconds to wait for each reply, 1–60.
    public var timeoutSeconds: Int
    /// ICMP payload bytes, 1–65000.
    public var packetSize: Int
    /// Echo requests per check, 1–100.
    public var count: Int
    /// Highest tolerated packet loss, percent, 0–99.
    public var lossThresholdPercent: Int
    /// Address family.
    public var ipVersion: IPVersion

    /// A config for `host` with every other field at its default.
    public init(
        host: String,
        timeoutSeconds: Int = PingMonitorConfig.defaultTimeoutSeconds,
        packetSize: Int = PingMonitorConfig.defaultPacketSize,
        count: Int = 1,
        lossThresholdPercent: Int = 0,
        ipVersion: IPVersion = .auto
    ) {
        self.host = host
        self.timeoutSeconds = timeoutSeconds
        self.packetSize = packetSize
        self.count = count
        self.lossThresholdPercent = lossThresholdPercent
        self.ipVersion = ipVersion
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case host, count
        case timeoutSeconds = "timeout_seconds"
        case packetSize = "packet_size"
        case lossThresholdPercent = "loss_threshold_percent"
        case ipVersion = "ip_version"
    }

    public init(from decoder: any Decoder) throws {
        try ConfigDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        host = try c.decode(String.self, forKey: .host)
        let timeout = try c.decodeIfPresent(Int.self, forKey: .timeoutSeconds) ?? 0
        timeoutSeconds = timeout == 0 ? Self.defaultTimeoutSeconds : timeout
        let size = try c.decodeIfPresent(Int.self, forKey: .packetSize) ?? 0
        packetSize = size == 0 ? Self.defaultPacketSize : size
        count = try c.decodeIfPresent(Int.self, forKey: .count) ?? 1
        lossThresholdPercent = try c.decodeIfPresent(Int.self, forKey: .lossThresholdPercent) ?? 0
        ipVersion = try c.decodeIfPresent(IPVersion.self, forKey: .ipVersion) ?? .auto
    }

    /// Every problem with this config, in field order; empty when it is valid.
    public func validate() -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        if host.isEmpty {
            issues.append(ConfigIssue(field: "host", message: "is required"))
        } else if let problem = HostAddress.problem(with: host) {
            issues.append(ConfigIssue(field: "host", message: problem))
        } else if ipVersion == .v4 && HostAddress.isIPv6(host) || ipVersion == .v6 && HostAddress.isIPv4(host) {
            issues.append(
                ConfigIssue(
                    field: "ip_version",
                    message:
                        "is \(ipVersion.rawValue) but host \(quoted(host)) is an IPv\(ipVersion == .v4 ? 6 : 4) address"
                )
            )
        }
        if !(1...60).contains(timeoutSeconds) {
            issues.append(
                ConfigIssue(
                    field: "timeout_seconds",
                    message: "must be between 1 and 60 seconds (got \(timeoutSeconds))"
                )
            )
        }
        if !(1...65000).contains(packetSize) {
            issues.append(
                ConfigIssue(field: "packet_size", message: "must be between 1 and 65000 bytes (got \(packetSize))")
            )
        }
        if !(1...100).contains(count) {
            issues.append(ConfigIssue(field: "count", message: "must be between 1 and 100 (got \(count))"))
        }
        if !(0...99).contains(lossThresholdPercent) {
            issues.append(
                ConfigIssue(
                    field: "loss_threshold_percent",
                    message: "must be between 0 and 99 percent (got \(lossThresholdPercent))"
                )
            )
        }
        return issues
    }
}
