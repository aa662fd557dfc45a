/// The probe engine every worker (and `knocker check`) runs: HTTP on a libcurl multi loop, TCP, DNS and ICMP on a
/// socket loop, host names resolved on resolver threads. Each loop is one thread however many checks are in flight.
public final class CheckEngine: Sendable {
    /// Engine settings.
    public struct Options: Sendable, Equatable {
        /// Host-name lookup threads for TCP and ping checks (`getaddrinfo` blocks); default 8.
        public var resolverThreads: Int
        /// The HTTP loop's options: an extra CA bundle, a cap on open connections.
        public var http: CurlMultiLoop.Options

        /// Options with the defaults.
        public init(resolverThreads: Int = 8, http: CurlMultiLoop.Options = .init()) {
            self.resolverThreads = resolverThreads
            self.http = http
        }
    }

    private let http: CurlMultiLoop
    private let sockets: SocketLoop
    private let resolver: HostResolver
    private let tcp: TCPChecker
    private let dns: DNSChecker
    private let ping: PingChecker

    /// An engine; its threads start with the first check that needs them.
    public init(options: Options = Options()) {
        http = CurlMultiLoop(options: options.http)
        sockets = SocketLoop()
        resolver = HostResolver(threads: options.resolverThreads)
        tcp = TCPChecker(loop: sockets, resolver: resolver)
        dns = DNSChecker(loop: sockets)
        ping = PingChecker(loop: sockets, resolver: resolver)
    }

    /// Runs one check of `config`. Never throws: every failure is a `failed` or `timeout` result with a message.
    /// Cancelling the calling task ends the check as failed "check cancelled".
    public func perform(_ config: MonitorConfig) async -> CheckResult {
        switch config {
        case .http(let config): CheckResult(await http.perform(HTTPCheckRequest(config: config)), detail: Detail.http)
        case .tcp(let config): CheckResult(await tcp.perform(config), detail: Detail.tcp)
        case .dns(let config): CheckResult(await dns.perform(config), detail: Detail.dns)
        case .ping(let config): CheckResult(await ping.perform(config), detail: Detail.ping)
        }
    }

    private typealias Detail = CheckResult.Detail

    /// Stops the loops and resolver threads; checks in flight end as failed "shutting down".
    public func shutdown() async {
        await http.shutdown()
        await sockets.shutdown()
        resolver.shutdown()
    }
}

/// What one check of any type found: the verdict, latency and message a ping records, plus the type's details.
public struct CheckResult: Sendable, Equatable {
    /// The type-specific result.
    public enum Detail: Sendable, Equatable {
        /// An HTTP check's timings, status code and certificate.
        case http(HTTPCheckResult)
        /// A TCP check's address and reply.
        case tcp(TCPCheckResult)
        /// A DNS check's server and answers.
        case dns(DNSCheckResult)
        /// A ping check's packets and round-trip times.
        case ping(PingCheckResult)
    }

    /// The verdict.
    public var status: CheckStatus
    /// Whole milliseconds.
    public var latencyMs: Int
    /// Why it failed (or why it is degraded); nil for a plain success.
    public var message: String?
    /// The type's own result; nil when the check could not run (an invalid config).
    public var detail: Detail?

    /// A result with every field given.
    public init(status: CheckStatus, latencyMs: Int, message: String?, detail: Detail?) {
        self.status = status
        self.latencyMs = latencyMs
        self.message = message
        self.detail = detail
    }

    /// True when the target is up.
    public var isUp: Bool { status.isUp }

    /// The common fields of a type's result, and the result as the detail.
    init<Result: TypedCheckResult>(_ result: Result, detail: (Result) -> Detail) {
        self.init(status: result.status, latencyMs: result.latencyMs, message: result.message, detail: detail(result))
    }
}

/// What every monitor type's result has.
protocol TypedCheckResult {
    var status: CheckStatus { get }
    var latencyMs: Int { get }
    var message: String? { get }
}

extension HTTPCheckResult: TypedCheckResult {}
extension TCPCheckResult: TypedCheckResult {}
extension DNSCheckResult: TypedCheckResult {}
extension PingCheckResult: TypedCheckResult {}
