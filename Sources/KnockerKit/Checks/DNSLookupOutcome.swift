/// How one lookup ended, handed from the transport to ``DNSCheck/evaluate(_:config:elapsed:)``.
enum DNSLookupOutcome: Sendable, Equatable {
    /// A response matching the query arrived (whatever its response code).
    case answered(DNSMessage, from: DNSServerAddress, overTCP: Bool)
    /// No usable response.
    case failed(DNSLookupFailure)
}

/// Why a lookup produced no usable response.
enum DNSLookupFailure: Error, Sendable, Equatable {
    /// The deadline passed; `servers` were asked (in order, without repeats) and stayed silent.
    case timeout(servers: [DNSServerAddress])
    /// Every try failed before the deadline; one problem per server, in order.
    case unreachable([DNSServerProblem])
    /// The name cannot be put into a query.
    case invalidQuery(String)
    /// The calling task was cancelled or the loop shut down.
    case cancelled(String)
}

/// What went wrong with one server.
enum DNSServerProblem: Error, Sendable, Equatable {
    /// ICMP port unreachable (ECONNREFUSED on the connected UDP socket) or a refused TCP connection.
    case refused(DNSServerAddress)
    /// The server sent something that is not a DNS response.
    case malformed(DNSServerAddress, String)
    /// Still truncated over TCP.
    case truncated(DNSServerAddress)
    /// Another socket error, e.g. network unreachable.
    case network(DNSServerAddress, String)

    /// The server concerned.
    var server: DNSServerAddress {
        switch self {
        case .refused(let server), .malformed(let server, _), .truncated(let server), .network(let server, _):
            server
        }
    }

    /// A human sentence, e.g. `connection refused by 127.0.0.1:53`.
    var message: String {
        switch self {
        case .refused(let server): "connection refused by \(server)"
        case .malformed(let server, let detail): "malformed answer from \(server): \(detail)"
        case .truncated(let server): "truncated answer from \(server), even over TCP"
        case .network(let server, let detail): "cannot reach \(server): \(detail)"
        }
    }
}
