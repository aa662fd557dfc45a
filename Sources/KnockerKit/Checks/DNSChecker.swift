import Foundation
import Synchronization

/// Runs `dns` monitor checks: resolves a name for one record type over the DNS wire protocol (RFC 1035) on a
/// ``SocketLoop``, against the config's `server` or the servers of the system's `resolv.conf`, and judges the
/// answer (response code, CNAME chain, `expected` values).
///
/// Queries go over UDP with an EDNS0 OPT record (1232-byte payload); a truncated answer (TC) is asked again over
/// TCP. Without `server`, each resolv.conf server is tried in turn for `options attempts` rounds; with it, the
/// server is tried three times. Tries are spaced to fit `timeout_seconds`, which bounds the whole check.
///
/// ```swift
/// let checker = DNSChecker(loop: SocketLoop())
/// let result = await checker.perform(DNSMonitorConfig(name: "example.com", recordType: "AAAA"))
/// ```
public final class DNSChecker: Sendable {
    /// How long a read of `resolv.conf` is reused.
    static let resolverConfigurationLifetime = Duration.seconds(5)

    private let loop: SocketLoop
    private let resolvConfPath: String
    private let cachedResolver = Mutex<(read: ContinuousClock.Instant, configuration: ResolverConfiguration)?>(nil)

    /// A checker running its lookups on `loop` and reading the system resolver's servers from `resolvConfPath`
    /// (re-read at most every 5 seconds; 127.0.0.1 when it names none or cannot be read).
    public init(loop: SocketLoop, resolvConfPath: String = "/etc/resolv.conf") {
        self.loop = loop
        self.resolvConfPath = resolvConfPath
    }

    /// Runs one check of `config`. Never throws: every failure (NXDOMAIN, SERVFAIL, timeout, refused, a
    /// mismatch with `expected`, cancellation of the calling task) is a result with a message.
    public func perform(_ config: DNSMonitorConfig) async -> DNSCheckResult {
        switch DNSCheck.plan(for: config, resolver: self.resolverConfiguration()) {
        case .failure(let failure):
            return DNSCheck.evaluate(.failed(failure), config: config, elapsed: .zero)
        case .success(let plan):
            let lookup = await DNSLookup.run(plan, on: loop)
            return DNSCheck.evaluate(lookup.outcome, config: config, elapsed: lookup.elapsed)
        }
    }

    /// The resolv.conf settings, read again when the last read is older than the lifetime.
    private func resolverConfiguration() -> ResolverConfiguration {
        let now = ContinuousClock.now
        if let cached = cachedResolver.withLock({ $0 }),
            cached.read.duration(to: now) < Self.resolverConfigurationLifetime
        {
            return cached.configuration
        }
        let configuration = ResolverConfiguration.load(path: resolvConfPath)
        cachedResolver.withLock { $0 = (now, configuration) }
        return configuration
    }
}
