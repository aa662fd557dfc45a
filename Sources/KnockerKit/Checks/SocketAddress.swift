import CSystem
import Foundation

/// An IPv4 or IPv6 address with a port.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address family.
    public enum Family: Sendable, Hashable {
        /// IPv4.
        case v4
        /// IPv6.
        case v6
    }

    /// The family.
    public let family: Family
    /// The address in network byte order: 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]
    /// The port (0 when unused, as for ICMP).
    public var port: UInt16
    /// The IPv6 scope (interface index) of a link-local address; 0 otherwise.
    public var scopeID: UInt32

    /// An address from its family and raw bytes; nil when the byte count does not fit the family.
    public init?(family: Family, bytes: [UInt8], port: UInt16 = 0, scopeID: UInt32 = 0) {
        guard bytes.count == (family == .v4 ? 4 : 16) else { return nil }
        self.family = family
        self.bytes = bytes
        self.port = port
        self.scopeID = scopeID
    }

    /// Parses an IP literal (`192.0.2.1`, `2001:db8::1`); nil for anything else, host names included.
    public init?(ip: some StringProtocol, port: UInt16 = 0) {
        let text = String(ip)
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.init(family: .v4, bytes: withUnsafeBytes(of: &v4) { Array($0) }, port: port)
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            self.init(family: .v6, bytes: withUnsafeBytes(of: &v6) { Array($0) }, port: port)
            return
        }
        return nil
    }

    /// The address as text without the port: `192.0.2.1`, `2001:db8::1`.
    public var ip: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family == .v4 ? AF_INET : AF_INET6, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `ip:port`, with IPv6 in brackets: `192.0.2.1:53`, `[2001:db8::1]:53`.
    public var description: String {
        family == .v4 ? "\(ip):\(port)" : "[\(ip)]:\(port)"
    }

    /// Calls `body` with this address as a `sockaddr` and its length.
    func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        switch family {
        case .v4:
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &address.sin_addr) { $0.copyBytes(from: bytes) }
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .v6:
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            address.sin6_scope_id = scopeID
            withUnsafeMutableBytes(of: &address.sin6_addr) { $0.copyBytes(from: bytes) }
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }

    /// Reads an address from a filled `sockaddr_storage`; nil for other families.
    init?(storage: sockaddr_storage) {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            let address = withUnsafeBytes(of: &storage) { $0.loadUnaligned(as: sockaddr_in.self) }
            var raw = address.sin_addr
            self.init(
                family: .v4,
                bytes: withUnsafeBytes(of: &raw) { Array($0) },
                port: UInt16(bigEndian: address.sin_port)
            )
        case AF_INET6:
            let address = withUnsafeBytes(of: &storage) { $0.loadUnaligned(as: sockaddr_in6.self) }
            var raw = address.sin6_addr
            self.init(
                family: .v6,
                bytes: withUnsafeBytes(of: &raw) { Array($0) },
                port: UInt16(bigEndian: address.sin6_port),
                scopeID: address.sin6_scope_id
            )
        default:
            return nil
        }
    }
}
