import Foundation

/// What one HTTP check found.
public struct HTTPCheckResult: Sendable, Equatable {
    /// The verdict.
    public typealias Status = CheckStatus

    /// Phase times from libcurl (`CURLINFO_*_TIME_T`), each measured from the start of the request.
    public struct Timings: Sendable, Equatable {
        /// Name lookup done.
        public var dns: Duration
        /// TCP connection made.
        public var connect: Duration
        /// TLS handshake done (zero for plain HTTP).
        public var tls: Duration
        /// First response byte received.
        public var firstByte: Duration
        /// Whole transfer, redirects included.
        public var total: Duration

        /// Timings from the given durations (zero when omitted).
        public init(
            dns: Duration = .zero,
            connect: Duration = .zero,
            tls: Duration = .zero,
            firstByte: Duration = .zero,
            total: Duration = .zero
        ) {
            self.dns = dns
            self.connect = connect
            self.tls = tls
            self.firstByte = firstByte
            self.total = total
        }
    }

    /// The verdict.
    public var status: Status
    /// Total time, whole milliseconds.
    public var latencyMs: Int
    /// Phase times.
    public var timings: Timings
    /// The final response's status code; nil when no response arrived.
    public var statusCode: Int?
    /// Body bytes kept (at most `max_body_bytes`).
    public var bodyBytes: Int
    /// True when the body was longer than `max_body_bytes` and cut there.
    public var bodyTruncated: Bool
    /// When the server's TLS certificate expires (https only; nil when unknown).
    public var certificateExpiry: Date?
    /// A short human reason, e.g. "unexpected status 503"; nil for a plain success.
    public var message: String?

    /// A result with every field given.
    public init(
        status: Status,
        latencyMs: Int = 0,
        timings: Timings = Timings(),
        statusCode: Int? = nil,
        bodyBytes: Int = 0,
        bodyTruncated: Bool = false,
        certificateExpiry: Date? = nil,
        message: String? = nil
    ) {
        self.status = status
        self.latencyMs = latencyMs
        self.timings = timings
        self.statusCode = statusCode
        self.bodyBytes = bodyBytes
        self.bodyTruncated = bodyTruncated
        self.certificateExpiry = certificateExpiry
        self.message = message
    }

    /// True for `successful` and `degraded` (the target is up).
    public var isUp: Bool { status.isUp }
}

/// One HTTP check to run: the monitor's config.
public struct HTTPCheckRequest: Sendable, Equatable {
    /// The `http` monitor config.
    public var config: HTTPMonitorConfig

    /// A request for `config`.
    public init(config: HTTPMonitorConfig) {
        self.config = config
    }
}

/// The raw outcome of one transfer, handed from the loop thread to the evaluation.
struct HTTPTransfer: Sendable {
    /// Why no complete response arrived; nil when one did.
    var error: CurlTransferError?
    /// The last response's status code (0 when none).
    var statusCode: Int
    /// Phase times.
    var timings: HTTPCheckResult.Timings
    /// Body bytes kept.
    var body: [UInt8]
    /// True when the body was cut at the cap.
    var truncated: Bool
    /// When the server's certificate expires (https only).
    var certificateExpiry: Date? = nil

    /// A transfer that failed before any response.
    static func failed(_ error: CurlTransferError) -> HTTPTransfer {
        HTTPTransfer(error: error, statusCode: 0, timings: .init(), body: [], truncated: false)
    }
}
