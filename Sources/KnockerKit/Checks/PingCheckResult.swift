/// What one `ping` check (ICMP echo) found.
public struct PingCheckResult: Sendable, Equatable {
    /// The verdict: `successful` (replies arrived, loss within `loss_threshold_percent`), `failed` (see
    /// ``message``), or `timeout` (no reply and no error at all); ping checks are never `degraded`.
    public typealias Status = CheckStatus

    /// The verdict.
    public var status: Status
    /// The mean round-trip time of the replies that arrived, rounded to whole milliseconds; 0 when none did.
    public var latencyMs: Int
    /// The mean round-trip time of the replies that arrived, exactly; nil when none did.
    public var averageRTT: Duration?
    /// Each packet's round-trip time in sending order; nil for a packet that got no reply.
    public var rtts: [Duration?]
    /// Echo requests sent (handed to the kernel, or attempted: a send that failed counts as sent and lost).
    public var sent: Int
    /// Echo replies received.
    public var received: Int
    /// Share of requests without a reply, 0–100.
    public var lossPercent: Double
    /// The address pinged (port 0), nil when the host did not resolve.
    public var address: SocketAddress?
    /// A short human reason, e.g. "100% packet loss (3 sent, 0 received)"; nil for a plain success.
    public var message: String?

    /// A result with every field given.
    public init(
        status: Status,
        latencyMs: Int = 0,
        averageRTT: Duration? = nil,
        rtts: [Duration?] = [],
        sent: Int = 0,
        received: Int = 0,
        lossPercent: Double = 0,
        address: SocketAddress? = nil,
        message: String? = nil
    ) {
        self.status = status
        self.latencyMs = latencyMs
        self.averageRTT = averageRTT
        self.rtts = rtts
        self.sent = sent
        self.received = received
        self.lossPercent = lossPercent
        self.address = address
        self.message = message
    }

    /// A failure before any packet was sent (bad host, DNS, no socket, cancelled).
    public static func failed(_ message: String, address: SocketAddress? = nil) -> PingCheckResult {
        PingCheckResult(status: .failed, address: address, message: message)
    }

    /// True for `successful` (the target is up).
    public var isUp: Bool { status.isUp }
}

/// What became of one echo request.
enum PingPacketOutcome: Sendable, Equatable {
    /// A matching echo reply arrived after this round-trip time.
    case reply(Duration)
    /// No reply arrived within the timeout.
    case lost
    /// The send failed or an ICMP error came back; the message says which.
    case error(String)
}
