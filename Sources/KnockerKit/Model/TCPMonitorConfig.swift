/// Config of a `tcp` monitor: connect to `host:port`, optionally send `send` and expect `expect` in the reply.
///
/// ```json
/// {"host": "mail.example.com", "port": 25, "timeout_seconds": 5, "expect": "220 "}
/// {"host": "10.0.0.5", "port": 6379, "timeout_seconds": 3, "send": "PING\r\n", "expect": "+PONG"}
/// ```
///
/// `send` and `expect` are UTF-8 text (use JSON escapes such as `\r\n` for control characters), each at most
/// 65,536 bytes. With `expect`, the check reads until the text appears (it may come in pieces), the peer closes,
/// or the timeout passes. `expect` without `send` checks a banner. Defaults: `timeout_seconds` 5 (also for 0),
/// `send` and `expect` none (omitted from the encoded JSON).
public struct TCPMonitorConfig: Codable, Sendable, Equatable {
    /// Default `timeout_seconds`.
    public static let defaultTimeoutSeconds = 5
    /// Largest `send` or `expect`, bytes.
    public static let maxPayloadBytes = 65_536

    /// Hostname, IPv4 or IPv6 literal.
    public var host: String
    /// TCP port, 1–65535.
    public var port: Int
    /// Seconds for connect plus exchange, 1–60.
    public var timeoutSeconds: Int
    /// Text written after connecting.
    public var send: String?
    /// Text that must appear in what the peer sends.
    public var expect: String?

    /// A config for `host:port` with every other field at its default.
    public init(
        host: String,
        port: Int,
        timeoutSeconds: Int = TCPMonitorConfig.defaultTimeoutSeconds,
        send: String? = nil,
        expect: String? = nil
    ) {
        self.host = host
        self.port = port
        self.timeoutSeconds = timeoutSeconds
        self.send = send
        self.expect = expect
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case host, port, send, expect
        case timeoutSeconds = "timeout_seconds"
    }

    public init(from decoder: any Decoder) throws {
        try ConfigDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        host = try c.decode(String.self, forKey: .host)
        port = try c.decode(Int.self, forKey: .port)
        let timeout = try c.decodeIfPresent(Int.self, forKey: .timeoutSeconds) ?? 0
        timeoutSeconds = timeout == 0 ? Self.defaultTimeoutSeconds : timeout
        send = try c.decodeIfPresent(String.self, forKey: .send)
        expect = try c.decodeIfPresent(String.self, forKey: .expect)
    }

    /// Every problem with this config, in field order; empty when it is valid.
    public func validate() -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        if host.isEmpty {
            issues.append(ConfigIssue(field: "host", message: "is required"))
        } else if let problem = HostAddress.problem(with: host) {
            issues.append(ConfigIssue(field: "host", message: problem))
        }
        if !(1...65535).contains(port) {
            issues.append(ConfigIssue(field: "port", message: "must be between 1 and 65535 (got \(port))"))
        }
        if !(1...60).contains(timeoutSeconds) {
            issues.append(
                ConfigIssue(
                    field: "timeout_seconds",
                    message: "must be between 1 and 60 seconds (got \(timeoutSeconds))"
                )
            )
        }
        for (field, value) in [("send", send), ("expect", expect)] {
            guard let value else { continue }
            if value.isEmpty {
                issues.append(ConfigIssue(field: field, message: "must not be empty; leave it out instead"))
            } else if value.utf8.count > Self.maxPayloadBytes {
                issues.append(
                    ConfigIssue(field: field, message: "must be at most 65536 bytes (got \(value.utf8.count))")
                )
            }
        }
        return issues
    }
}
