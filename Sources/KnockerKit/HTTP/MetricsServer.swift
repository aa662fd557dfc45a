import Foundation
import Synchronization

/// Where metrics come from: sources registered by the roles of a process, each a closure returning its current
/// families. Sources run on the HTTP server's thread for every scrape, so they must only read in-memory counters.
public final class MetricsRegistry: Sendable {
    /// A metric source.
    public typealias Source = @Sendable () -> [MetricFamily]

    private let sources = Mutex<[Source]>([])

    /// An empty registry.
    public init() {}

    /// Adds a source; its families are written after those of earlier sources.
    public func register(_ source: @escaping Source) {
        sources.withLock { $0.append(source) }
    }

    /// Every source's families, in registration order.
    public func collect() -> [MetricFamily] {
        let current = sources.withLock { $0 }
        return current.flatMap { $0() }
    }
}

/// Why a ``MetricsServer`` did not start.
public struct MetricsServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, naming the address.
    public let description: String

    init(_ description: String) { self.description = description }
}

/// A Prometheus endpoint: `GET /metrics` answers the ``registry``'s families as text format 0.0.4; other paths
/// get 404 and other methods 405. Served by libmicrohttpd on one thread (at most 64 connections, closed after
/// 10 s idle, 32 KiB of request headers each; request bodies are never read).
public final class MetricsServer: Sendable {
    /// The sources scraped on every request.
    public let registry: MetricsRegistry
    private let limits: MicroHTTPD.Limits
    private let server = Mutex<MicroHTTPD?>(nil)

    /// A server over `registry` (not listening until ``start(listen:)``).
    public init(registry: MetricsRegistry = MetricsRegistry()) {
        self.registry = registry
        self.limits = MicroHTTPD.Limits()
    }

    /// Listens on `listen` (`host:port`: an IP address, `[IPv6]`, `localhost`, or empty for every IPv4
    /// interface; port 0 picks a free port) and returns the address it listens on.
    /// - Throws: ``MetricsServerError`` for an invalid address, one in use or not on this machine, or a second start.
    @discardableResult
    public func start(listen: String) throws(MetricsServerError) -> SocketAddress {
        try start(address: try Self.parseListenAddress(listen))
    }

    /// Listens on `address`; see ``start(listen:)``.
    @discardableResult
    public func start(address: SocketAddress) throws(MetricsServerError) -> SocketAddress {
        try server.withLock { (current: inout MicroHTTPD?) throws(MetricsServerError) -> SocketAddress in
            guard current == nil else { throw MetricsServerError("the metrics server is already running") }
            let registry = registry
            let started: Result<MicroHTTPD, MicroHTTPDError> = Result { () throws(MicroHTTPDError) in
                try MicroHTTPD.start(address: address, limits: limits) { Self.respond(to: $0, registry: registry) }
            }
            switch started {
            case .success(let started):
                current = started
                return started.address
            case .failure(.socket(let error)):
                throw MetricsServerError("cannot listen on \(address): \(error.reason)")
            case .failure(.daemon):
                throw MetricsServerError("cannot listen on \(address): libmicrohttpd did not start")
            }
        }
    }

    /// The address listened on while running.
    public var address: SocketAddress? { server.withLock { $0?.address } }

    /// Stops listening and closes every connection; safe to call when not running.
    public func stop() {
        let running = server.withLock { current in
            defer { current = nil }
            return current
        }
        running?.stop()
    }

    /// The answer to one request.
    static func respond(to request: HTTPRequest, registry: MetricsRegistry) -> HTTPResponse {
        guard request.path == "/metrics" else { return .text(404, "not found; metrics are at /metrics\n") }
        let text = PrometheusText.format(registry.collect())
        return HTTPResponse(status: 200, contentType: PrometheusText.contentType, body: Array(text.utf8))
    }

    /// Parses `host:port`: `127.0.0.1:9464`, `[::1]:9464`, `localhost:9464` (127.0.0.1), `:9464` or
    /// `0.0.0.0:9464` (every IPv4 interface). Host names other than `localhost` are refused (no DNS at start-up).
    public static func parseListenAddress(_ text: String) throws(MetricsServerError) -> SocketAddress {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let expected = "expected host:port such as 127.0.0.1:9464, [::1]:9464 or :9464"
        guard let colon = trimmed.lastIndex(of: ":") else {
            throw MetricsServerError("invalid listen address \"\(text)\": \(expected)")
        }
        var host = String(trimmed[..<colon])
        let portText = trimmed[trimmed.index(after: colon)...]
        guard let port = UInt16(portText), portText.allSatisfy(\.isASCII) else {
            throw MetricsServerError("invalid port in listen address \"\(text)\": \(expected) (port 0 to 65535)")
        }
        if host.hasPrefix("[") && host.hasSuffix("]") && host.count >= 2 {
            host = String(host.dropFirst().dropLast())
            guard host.contains(":") else {
                throw MetricsServerError("invalid listen address \"\(text)\": brackets are for IPv6 addresses")
            }
        } else if host.contains(":") {
            throw MetricsServerError("invalid listen address \"\(text)\": write IPv6 addresses in brackets: [::1]:9464")
        }
        if host.isEmpty { host = "0.0.0.0" }
        if host.lowercased() == "localhost" { host = "127.0.0.1" }
        guard let address = SocketAddress(ip: host, port: port) else {
            throw MetricsServerError(
                "invalid host in listen address \"\(text)\": \(expected) (an IP address or localhost)"
            )
        }
        return address
    }
}
