import CSystem
import Foundation

/// ICMP socket calls: opening the datagram or raw ICMP socket of a family and the kernel's ICMP type filters.
extension Socket {
    /// Which kinds of ICMP socket to try, in order.
    enum ICMPKinds: Sendable, Equatable {
        /// An unprivileged datagram socket (`SOCK_DGRAM`, allowed by `net.ipv4.ping_group_range`), else raw.
        case datagramThenRaw
        /// Only a datagram socket.
        case datagramOnly
        /// Only a raw socket (root or CAP_NET_RAW).
        case rawOnly
    }

    /// The IP protocol number of ICMP for `family`: 1, or 58 for ICMPv6.
    static func icmpProtocol(_ family: SocketAddress.Family) -> Int32 {
        family == .v4 ? Int32(IPPROTO_ICMP) : Int32(IPPROTO_ICMPV6)
    }

    /// Opens an ICMP socket of `family`, trying the kinds `kinds` allows; returns it and whether it is raw.
    /// Throws the error of the last attempt.
    static func openICMP(family: SocketAddress.Family, kinds: ICMPKinds) throws(SocketError) -> (Socket, raw: Bool) {
        let proto = icmpProtocol(family)
        if kinds != .rawOnly {
            do {
                return (try Socket(family: family, kind: .datagramProtocol(proto)), false)
            } catch {
                if kinds == .datagramOnly { throw error }
            }
        }
        return (try Socket(family: family, kind: .raw(proto)), true)
    }

    /// On a raw IPv4 ICMP socket, lets only the ICMP `types` through (Linux `ICMP_FILTER`: a 32-bit mask of
    /// the types 0–31 to drop). False when the kernel refuses.
    @discardableResult
    func setICMPFilter(passing types: [UInt8]) -> Bool {
        let solRaw: Int32 = 255  // SOL_RAW
        let icmpFilter: Int32 = 1  // ICMP_FILTER
        var pass: UInt32 = 0
        for type in types where type < 32 { pass |= 1 << UInt32(type) }
        return setOption(level: solRaw, name: icmpFilter, value: Int32(bitPattern: ~pass))
    }

    /// On a raw ICMPv6 socket, lets only the ICMPv6 `types` through (`ICMP6_FILTER`: 256 bits, a set bit blocks
    /// its type). False when the kernel refuses.
    @discardableResult
    func setICMPv6Filter(passing types: [UInt8]) -> Bool {
        let icmp6Filter: Int32 = 1  // ICMP6_FILTER
        var words = [UInt32](repeating: .max, count: 8)
        for type in types { words[Int(type >> 5)] &= ~(1 << UInt32(type & 31)) }
        return words.withUnsafeBytes {
            setsockopt(fd, Int32(IPPROTO_ICMPV6), icmp6Filter, $0.baseAddress, socklen_t($0.count)) == 0
        }
    }

    /// The local port of a bound datagram ICMP socket: the echo identifier the kernel writes into its requests.
    func icmpDatagramIdentifier() -> UInt16? {
        localAddress()?.port
    }
}
