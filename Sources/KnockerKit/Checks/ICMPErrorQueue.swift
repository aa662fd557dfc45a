/// ICMP errors on datagram ICMP sockets. With `IP_RECVERR` / `IPV6_RECVERR` on, the kernel queues each ICMP error
/// about one of the socket's requests on its error queue: `recvmsg(MSG_ERRQUEUE)` returns the quoted request (from
/// its ICMP header on) as data, and a `sock_extended_err` control message with the ICMP type and code, followed by
/// the address of the host that sent the error. Parsed here from plain bytes; never traps.
enum ICMPErrorQueue {
    /// What the control message says.
    struct Report: Sendable, Equatable {
        /// `ee_origin`: 2 for ICMP, 3 for ICMPv6 (1 is a local error).
        var origin: UInt8
        /// The ICMP type of the error.
        var type: UInt8
        /// The ICMP code of the error.
        var code: UInt8
        /// The host that sent the error, when given.
        var offender: SocketAddress?
    }

    /// `SO_EE_ORIGIN_ICMP`.
    static let originICMP: UInt8 = 2
    /// `SO_EE_ORIGIN_ICMP6`.
    static let originICMP6: UInt8 = 3

    /// Bytes of a `struct cmsghdr` (size_t length, int level, int type) and its alignment.
    static let controlHeaderSize = MemoryLayout<Int>.size + 8
    static let controlAlignment = MemoryLayout<Int>.size

    /// The `IP_RECVERR` (level `SOL_IP` 0, type 11) or `IPV6_RECVERR` (level `SOL_IPV6` 41, type 25) report in
    /// `control`, the control buffer `recvmsg` filled (`msg_controllen` bytes); nil when there is none.
    static func report(inControl control: [UInt8]) -> Report? {
        var offset = 0
        while offset + controlHeaderSize <= control.count {
            let length = Int(truncatingIfNeeded: hostInteger(control, at: offset, size: MemoryLayout<Int>.size))
            let level = hostInteger(control, at: offset + controlAlignment, size: 4)
            let type = hostInteger(control, at: offset + controlAlignment + 4, size: 4)
            guard length >= controlHeaderSize, length <= control.count - offset else { return nil }
            let data = offset + controlHeaderSize
            let end = offset + length
            if (level == 0 && type == 11) || (level == 41 && type == 25), end - data >= 16 {
                return Report(
                    origin: control[data + 4],
                    type: control[data + 5],
                    code: control[data + 6],
                    offender: socketAddress(Array(control[(data + 16)..<end]))
                )
            }
            offset += (length + controlAlignment - 1) / controlAlignment * controlAlignment
        }
        return nil
    }

    /// The error about one of our echo requests that `report` and the returned data `quoted` (the request from its
    /// ICMP header on) describe; nil for local errors, other origins and anything but a quoted echo request.
    static func message(quoted: [UInt8], report: Report, family: ICMPFamily) -> ICMPMessage? {
        guard report.origin == (family == .v4 ? originICMP : originICMP6) else { return nil }
        let problem =
            family == .v4
            ? ICMPProblem.v4(type: report.type, code: report.code)
            : ICMPProblem.v6(type: report.type, code: report.code)
        guard let problem, quoted.count >= ICMPEchoRequest.headerSize, quoted[0] == family.echoRequestType,
            let identifier = ICMPBytes.word(quoted, at: 4), let sequence = ICMPBytes.word(quoted, at: 6)
        else { return nil }
        return .error(problem, identifier: identifier, sequence: sequence, payload: Array(quoted[8...]))
    }

    /// A `sockaddr_in` or `sockaddr_in6` in raw bytes (family in host order, Linux values 2 and 10); nil for
    /// anything else (`AF_UNSPEC` when the kernel knows no offender).
    static func socketAddress(_ bytes: [UInt8]) -> SocketAddress? {
        guard bytes.count >= 2 else { return nil }
        switch hostInteger(bytes, at: 0, size: 2) {
        case 2 where bytes.count >= 8:
            return SocketAddress(family: .v4, bytes: Array(bytes[4..<8]))
        case 10 where bytes.count >= 28:
            return SocketAddress(
                family: .v6,
                bytes: Array(bytes[8..<24]),
                scopeID: UInt32(truncatingIfNeeded: hostInteger(bytes, at: 24, size: 4))
            )
        default:
            return nil
        }
    }

    /// The unsigned integer of `size` bytes (2, 4 or 8) at `offset` in host byte order; 0 when it does not fit.
    static func hostInteger(_ bytes: [UInt8], at offset: Int, size: Int) -> UInt64 {
        guard offset >= 0, size > 0, size <= 8, offset + size <= bytes.count else { return 0 }
        var little: UInt64 = 0
        for index in 0..<size { little |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        // `little` reads the bytes as little-endian; on a big-endian host they mean the other order.
        if UInt64(littleEndian: 1) == 1 { return little }
        return little.byteSwapped >> (64 - 8 * UInt64(size))
    }
}
