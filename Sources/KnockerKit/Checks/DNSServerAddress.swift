/// Where to send DNS queries: an IP address literal and a port.
struct DNSServerAddress: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The standard DNS port.
    static let defaultPort: UInt16 = 53

    /// The address in canonical text (dotted quad, or RFC 5952 IPv6 without brackets).
    var host: String
    /// The UDP and TCP port.
    var port: UInt16

    /// 127.0.0.1:53, the resolver asked when `resolv.conf` names none.
    static let loopback = DNSServerAddress(canonicalHost: "127.0.0.1", port: defaultPort)

    private init(canonicalHost: String, port: UInt16) {
        self.host = canonicalHost
        self.port = port
    }

    /// An address from an IP literal; nil when `host` is not one.
    init?(host: some StringProtocol, port: UInt16 = DNSServerAddress.defaultPort) {
        guard let bytes = IPAddressText.bytes(host), let text = IPAddressText.text(bytes) else { return nil }
        self.host = text
        self.port = port
    }

    /// An address from a monitor's `server`: `ip`, `ip:port`, a bare IPv6 address or `[ipv6]:port`; nil when it
    /// is none of them (``DNSMonitorConfig/validate()`` reports why).
    init?(parsing server: String) {
        var hostText = Substring(server)
        var port = Self.defaultPort
        if server.hasPrefix("[") {
            guard let close = server.firstIndex(of: "]") else { return nil }
            hostText = server[server.index(after: server.startIndex)..<close]
            let rest = server[server.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let value = Self.port(rest.dropFirst()) else { return nil }
                port = value
            }
            guard IPAddressText.ipv6Bytes(hostText) != nil else { return nil }
        } else if IPAddressText.ipv6Bytes(server) == nil, let colon = server.firstIndex(of: ":") {
            hostText = server[..<colon]
            guard let value = Self.port(server[server.index(after: colon)...]) else { return nil }
            port = value
        }
        self.init(host: hostText, port: port)
    }

    /// Whether the address is IPv6.
    var isIPv6: Bool { host.contains(":") }

    /// `host:port`, IPv6 in brackets: `127.0.0.1:53`, `[::1]:5353`.
    var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    private static func port(_ text: Substring) -> UInt16? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = UInt16(text), value > 0
        else { return nil }
        return value
    }
}
