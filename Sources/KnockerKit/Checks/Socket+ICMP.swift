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

    /// Asks the kernel to queue ICMP errors about this socket's packets on its error queue (`IP_RECVERR`,
    /// `IPV6_RECVERR`); read them with ``receiveQueuedError(limit:)``. False when the kernel refuses.
    @discardableResult
    func enableErrorQueue() -> Bool {
        family == .v4
            ? setOption(level: Int32(IPPROTO_IP), name: IP_RECVERR, value: 1)
            : setOption(level: Int32(IPPROTO_IPV6), name: IPV6_RECVERR, value: 1)
    }

    /// Reads one entry of the error queue (`recvmsg` with `MSG_ERRQUEUE`): up to `limit` bytes of the packet the
    /// error is about, and the control messages (see ``ICMPErrorQueue``); nil when the queue is empty.
    func receiveQueuedError(limit: Int) throws(SocketError) -> (data: [UInt8], control: [UInt8])? {
        var data = [UInt8](repeating: 0, count: limit)
        var control = [UInt8](repeating: 0, count: 512)
        var name = sockaddr_storage()
        let (count, controlLength, code) = data.withUnsafeMutableBytes { dataBytes in
            control.withUnsafeMutableBytes { controlBytes in
                withUnsafeMutablePointer(to: &name) { namePointer in
                    var vector = iovec(iov_base: dataBytes.baseAddress, iov_len: dataBytes.count)
                    return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                        var message = msghdr()
                        message.msg_name = UnsafeMutableRawPointer(namePointer)
                        message.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
                        message.msg_iov = vectorPointer
                        message.msg_iovlen = 1
                        message.msg_control = controlBytes.baseAddress
                        message.msg_controllen = controlBytes.count
                        let count = recvmsg(fd, &message, Int32(MSG_ERRQUEUE) | Int32(MSG_DONTWAIT))
                        return (count, Int(message.msg_controllen), count < 0 ? knocker_errno() : 0)
                    }
                }
            }
        }
        if count >= 0 {
            return (Array(data.prefix(count)), Array(control.prefix(min(controlLength, control.count))))
        }
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return nil }
        throw SocketError("recvmsg", code: code)
    }

    /// The local port of a bound datagram ICMP socket: the echo identifier the kernel writes into its requests.
    func icmpDatagramIdentifier() -> UInt16? {
        localAddress()?.port
    }
}
