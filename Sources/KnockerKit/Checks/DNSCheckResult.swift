/// What one DNS check found.
public struct DNSCheckResult: Sendable, Equatable {
    /// The verdict: successful, failed or timeout (a DNS check is never `degraded`).
    public typealias Status = CheckStatus

    /// The verdict.
    public var status: Status
    /// Time from the first query sent to the answer (or to giving up), whole milliseconds.
    public var latencyMs: Int
    /// The server that answered, or the last one asked when none did: `127.0.0.1:53`, `[::1]:53`; nil when no
    /// query was sent.
    public var server: String?
    /// The answer's response code (`NOERROR`, `NXDOMAIN`, `SERVFAIL`…); nil when no answer arrived.
    public var responseCode: String?
    /// The records of the asked type, as text: addresses for A/AAAA, the target for CNAME, `"<preference>
    /// <host>"` for MX, the joined strings for TXT.
    public var answers: [String]
    /// The CNAME targets followed from the asked name to the records (empty when there were no aliases).
    public var aliases: [String]
    /// True when the answer came over TCP because the UDP answer was truncated.
    public var usedTCP: Bool
    /// A short human reason, e.g. `NXDOMAIN: example.invalid does not exist`; nil for a plain success.
    public var message: String?

    /// A result with every field given.
    public init(
        status: Status,
        latencyMs: Int = 0,
        server: String? = nil,
        responseCode: String? = nil,
        answers: [String] = [],
        aliases: [String] = [],
        usedTCP: Bool = false,
        message: String? = nil
    ) {
        self.status = status
        self.latencyMs = latencyMs
        self.server = server
        self.responseCode = responseCode
        self.answers = answers
        self.aliases = aliases
        self.usedTCP = usedTCP
        self.message = message
    }

    /// True when the name resolves as expected.
    public var isUp: Bool { status.isUp }
}
