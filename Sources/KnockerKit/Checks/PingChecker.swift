/// Runs `ping` checks (ICMP echo over IPv4 and IPv6) on a ``SocketLoop``.
///
/// All checks of one checker share one ICMP socket per address family on the loop's thread: an unprivileged
/// datagram socket where `net.ipv4.ping_group_range` allows it, else a raw socket (root or CAP_NET_RAW). A socket
/// opens with the first check of its family and closes when no check uses it. Replies are matched by sequence
/// number, identifier (raw sockets) and a random per-packet token in the payload, so thousands of checks can be in
/// flight at once (50 000 concurrent pings to 127.0.0.1 measured here, none lost).
///
/// ICMP errors that quote a request (destination unreachable, time exceeded, packet too big) fail its packet with
/// their reason and sender, e.g. "destination host unreachable from 10.0.0.1" (raw sockets read them like replies,
/// datagram sockets from their error queue).
///
/// A check resolves its host (``HostResolver``; `ip_version` `auto` takes the first IPv4 address and falls back to
/// IPv6), then sends `count` echo requests ``interval`` apart (the first at once) and waits `timeout_seconds` for
/// each reply, so it takes at most `(count − 1) × interval + timeout_seconds` after resolution.
public final class PingChecker: Sendable {
    /// The default spacing of a check's echo requests: 200 ms, the shortest `ping` allows unprivileged users.
    public static let defaultInterval = Duration.milliseconds(200)

    private let loop: SocketLoop
    private let resolver: HostResolver
    private let transport: ICMPTransport
    /// The spacing of a check's echo requests.
    public let interval: Duration

    /// A checker running on `loop`, resolving host names with `resolver`, sending a check's packets `interval`
    /// apart.
    public convenience init(loop: SocketLoop, resolver: HostResolver, interval: Duration = PingChecker.defaultInterval)
    {
        self.init(
            loop: loop,
            resolver: resolver,
            interval: interval,
            kinds: .datagramThenRaw,
            send: ICMPChannel.systemSend
        )
    }

    /// A checker with the socket kinds to try and the send call given (tests drop packets with it).
    init(
        loop: SocketLoop,
        resolver: HostResolver,
        interval: Duration,
        kinds: Socket.ICMPKinds,
        send: @escaping ICMPSend
    ) {
        self.loop = loop
        self.resolver = resolver
        self.interval = max(.zero, interval)
        transport = ICMPTransport(loop: loop, kinds: kinds, send: send)
    }

    /// Runs one check of `config`. Never throws: invalid configs, DNS failures, missing ICMP permission and
    /// cancellation come back as `failed` results with a message.
    public func perform(_ config: PingMonitorConfig) async -> PingCheckResult {
        if let issue = config.validate().first { return .failed("invalid config: \(issue)") }
        let addresses: [SocketAddress]
        do {
            addresses = try await resolver.resolve(
                config.host,
                ipVersion: config.ipVersion,
                timeout: .seconds(config.timeoutSeconds)
            )
        } catch {
            return .failed(error.description)
        }
        guard let address = addresses.first(where: { $0.family == .v4 }) ?? addresses.first else {
            return .failed(ResolveError.lookupFailed(host: config.host, detail: "no addresses").description)
        }
        return await perform(config, address: address)
    }

    /// Pings `address` (already resolved) as `config` says.
    func perform(_ config: PingMonitorConfig, address: SocketAddress) async -> PingCheckResult {
        var address = address
        address.port = 0
        let interval = interval
        let transport = transport
        return await loop.run(
            { completion in
                PingOperation.start(
                    config: config,
                    address: address,
                    interval: interval,
                    transport: transport,
                    completion: completion
                )
            },
            cancelled: { [address] reason in .failed(reason, address: address) }
        )
    }

    /// ICMP sockets open now; loop-thread state read through the loop (for tests).
    func openSocketCount() async -> Int {
        let transport = transport
        return await loop.run({ $0(transport.openChannels) }, cancelled: { _ in -1 })
    }
}
