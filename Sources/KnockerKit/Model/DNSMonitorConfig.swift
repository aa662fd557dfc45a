/// Config of a `dns` monitor: resolve `name` for one record type, against the system resolver or `server`.
///
/// ```json
/// {"name": "example.com", "record_type": "A", "server": "1.1.1.1:53", "timeout_seconds": 5,
///  "expected": ["93.184.215.14"]}
/// ```
///
/// `record_type` is one of A, AAAA, CNAME, MX, TXT (default A; upper case). `server` is an IP literal with an
/// optional port: `1.1.1.1`, `1.1.1.1:5353`, `2606:4700::1111` or `[2606:4700::1111]:53`; without it the system
/// resolver is used. The check passes when the lookup returns at least one record and every `expected` value is
/// among the answers (A/AAAA as addresses, CNAME as a name, MX as `"<preference> <host>"` or just the host,
/// TXT as the joined text). Names compare case-insensitively, ignoring a trailing dot. `name` may contain
/// underscores (`_dmarc.example.com`). Defaults: `timeout_seconds` 5 (also for 0); `server`, `expected` none.
public struct DNSMonitorConfig: Codable, Sendable, Equatable {
    /// Default `timeout_seconds`.
    public static let defaultTimeoutSeconds = 5
    /// The record types a monitor may ask for.
    public static let recordTypes = ["A", "AAAA", "CNAME", "MX", "TXT"]

    /// The name to resolve.
    public var name: String
    /// A, AAAA, CNAME, MX or TXT.
    public var recordType: String
    /// `ip` or `ip:port` (IPv6 with a port in brackets) of the server to ask; `nil` for the system resolver.
    public var server: String?
    /// Seconds for the whole lookup, 1–60.
    public var timeoutSeconds: Int
    /// Values that must all appear among the answers.
    public var expected: [String]?

    /// A config resolving `name` with every other field at its default.
    public init(
        name: String,
        recordType: String = "A",
        server: String? = nil,
        timeoutSeconds: Int = DNSMonitorConfig.defaultTimeoutSeconds,
        expected: [String]? = nil
    ) {
        self.name = name
        self.recordType = recordType
        self.server = server
        self.timeoutSeconds = timeoutSeconds
        self.expected = expected
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, server, expected
        case recordType = "record_type"
        case timeoutSeconds = "timeout_seconds"
    }

    public init(from decoder: any Decoder) throws {
        try ConfigDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        recordType = try c.decodeIfPresent(String.self, forKey: .recordType) ?? "A"
        server = try c.decodeIfPresent(String.self, forKey: .server)
        let timeout = try c.decodeIfPresent(Int.self, forKey: .timeoutSeconds) ?? 0
        timeoutSeconds = timeout == 0 ? Self.defaultTimeoutSeconds : timeout
        expected = try c.decodeIfPresent([String].self, forKey: .expected)
    }
}
