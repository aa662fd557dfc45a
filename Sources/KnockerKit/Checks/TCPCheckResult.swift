/// What one TCP check found.
public struct TCPCheckResult: Sendable, Equatable {
    /// The verdict: successful, failed or timeout.
    public var status: CheckStatus
    /// Whole milliseconds from the start of the connect to the verdict (connect plus exchange); the lookup of a
    /// host name is not included.
    public var latencyMs: Int
    /// Time to establish the connection; nil when it was not established.
    public var connectTime: Duration?
    /// The address connected to (or last tried).
    public var address: SocketAddress?
    /// The start of what the peer sent (at most ``TCPCheck/shownReplyBytes`` bytes, as text); nil when nothing
    /// was read.
    public var reply: String?
    /// A short human reason for a failure; nil for a success.
    public var message: String?

    /// A result with every field given.
    public init(
        status: CheckStatus,
        latencyMs: Int = 0,
        connectTime: Duration? = nil,
        address: SocketAddress? = nil,
        reply: String? = nil,
        message: String? = nil
    ) {
        self.status = status
        self.latencyMs = latencyMs
        self.connectTime = connectTime
        self.address = address
        self.reply = reply
        self.message = message
    }

    /// True when the target is up.
    public var isUp: Bool { status.isUp }
}
