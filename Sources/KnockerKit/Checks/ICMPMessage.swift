/// A received ICMP message that may concern one of our echo requests.
enum ICMPMessage: Sendable, Equatable {
    /// An echo reply with its identifier, sequence and payload.
    case echoReply(identifier: UInt16, sequence: UInt16, payload: [UInt8])
    /// An error (destination unreachable, time exceeded, packet too big) quoting one of our echo requests: the
    /// quoted identifier, sequence and as much of its payload as the error carried (often none over IPv4).
    case error(ICMPProblem, identifier: UInt16, sequence: UInt16, payload: [UInt8])
}

/// Why an ICMP error says an echo request did not arrive.
enum ICMPProblem: Sendable, Equatable {
    case networkUnreachable
    case hostUnreachable
    case protocolUnreachable
    case portUnreachable
    case fragmentationNeeded
    case administrativelyProhibited
    case noRoute
    case beyondScope
    case addressUnreachable
    case timeToLiveExceeded
    case reassemblyTimeExceeded
    case packetTooBig
    /// Any other code of destination unreachable (v4 type 3, v6 type 1).
    case unreachable(code: UInt8)

    /// The IPv4 problem for ICMP `type` and `code`; nil when the type is not an error we use.
    static func v4(type: UInt8, code: UInt8) -> ICMPProblem? {
        switch (type, code) {
        case (3, 0), (3, 6), (3, 11): return .networkUnreachable
        case (3, 1), (3, 7), (3, 12): return .hostUnreachable
        case (3, 2): return .protocolUnreachable
        case (3, 3): return .portUnreachable
        case (3, 4): return .fragmentationNeeded
        case (3, 9), (3, 10), (3, 13): return .administrativelyProhibited
        case (3, _): return .unreachable(code: code)
        case (11, 0): return .timeToLiveExceeded
        case (11, _): return .reassemblyTimeExceeded
        default: return nil
        }
    }

    /// The ICMPv6 problem for `type` and `code`; nil when the type is not an error we use.
    static func v6(type: UInt8, code: UInt8) -> ICMPProblem? {
        switch (type, code) {
        case (1, 0): return .noRoute
        case (1, 1), (1, 5), (1, 6): return .administrativelyProhibited
        case (1, 2): return .beyondScope
        case (1, 3): return .addressUnreachable
        case (1, 4): return .portUnreachable
        case (1, _): return .unreachable(code: code)
        case (2, _): return .packetTooBig
        case (3, 0): return .timeToLiveExceeded
        case (3, _): return .reassemblyTimeExceeded
        default: return nil
        }
    }

    /// The human message, e.g. "destination host unreachable from 10.0.0.1"; `sender` is the address that sent
    /// the error (nil leaves the "from" part out).
    func message(from sender: String?) -> String {
        let text: String
        switch self {
        case .networkUnreachable: text = "destination network unreachable"
        case .hostUnreachable: text = "destination host unreachable"
        case .protocolUnreachable: text = "destination protocol unreachable"
        case .portUnreachable: text = "destination port unreachable"
        case .fragmentationNeeded: text = "fragmentation needed"
        case .administrativelyProhibited: text = "destination unreachable: communication administratively prohibited"
        case .noRoute: text = "destination unreachable: no route"
        case .beyondScope: text = "destination unreachable: beyond scope of source address"
        case .addressUnreachable: text = "destination address unreachable"
        case .timeToLiveExceeded: text = "time to live exceeded"
        case .reassemblyTimeExceeded: text = "fragment reassembly time exceeded"
        case .packetTooBig: text = "packet too big"
        case .unreachable(let code): text = "destination unreachable (code \(code))"
        }
        guard let sender, !sender.isEmpty else { return text }
        return "\(text) from \(sender)"
    }
}

/// Reads received datagrams into ``ICMPMessage``s. Never traps: short, malformed or unrelated input gives nil.
enum ICMPParser {
    /// What a socket hands to `recvfrom`.
    enum Layout: Sendable, Equatable {
        /// IPv4 header (any IHL), then the ICMP message: a raw IPv4 socket.
        case ipv4Header
        /// The ICMP message only: an IPv4 datagram socket, or any ICMPv6 socket.
        case icmpOnly
    }

    /// The echo reply or the error about an echo request in `datagram`; nil for anything else (echo requests
    /// seen on loopback, other ICMP types, bad checksums over IPv4, truncated or malformed packets).
    static func parse(_ datagram: [UInt8], family: ICMPFamily, layout: Layout) -> ICMPMessage? {
        let icmp: [UInt8]
        switch layout {
        case .ipv4Header:
            guard family == .v4, let (payloadStart, proto) = ipv4Header(datagram, at: 0), proto == 1 else {
                return nil
            }
            icmp = Array(datagram[payloadStart...])
        case .icmpOnly:
            icmp = datagram
        }
        guard icmp.count >= ICMPEchoRequest.headerSize else { return nil }
        // Over IPv4 the checksum covers the ICMP message alone; the kernel does not check it for raw sockets.
        // ICMPv6 checksums include a pseudo-header and are checked by the kernel.
        if family == .v4, ICMPBytes.internetChecksum(icmp) != 0 { return nil }
        let type = icmp[0]
        if type == family.echoReplyType {
            guard icmp[1] == 0, let identifier = ICMPBytes.word(icmp, at: 4), let sequence = ICMPBytes.word(icmp, at: 6)
            else { return nil }
            return .echoReply(identifier: identifier, sequence: sequence, payload: Array(icmp[8...]))
        }
        let problem =
            family == .v4 ? ICMPProblem.v4(type: type, code: icmp[1]) : ICMPProblem.v6(type: type, code: icmp[1])
        guard let problem, let quoted = quotedEcho(Array(icmp[8...]), family: family) else { return nil }
        return .error(problem, identifier: quoted.identifier, sequence: quoted.sequence, payload: quoted.payload)
    }

    /// The start of the payload and the protocol of the IPv4 header at `offset`; nil when it is not one.
    static func ipv4Header(_ bytes: [UInt8], at offset: Int) -> (payloadStart: Int, proto: UInt8)? {
        guard offset >= 0, bytes.count >= offset + 20, bytes[offset] >> 4 == 4 else { return nil }
        let length = Int(bytes[offset] & 0x0f) * 4
        guard length >= 20, bytes.count >= offset + length else { return nil }
        return (offset + length, bytes[offset + 9])
    }

    /// Our echo request quoted in an error: the invoking packet's IP header, then its first bytes.
    static func quotedEcho(
        _ invoking: [UInt8],
        family: ICMPFamily
    ) -> (identifier: UInt16, sequence: UInt16, payload: [UInt8])? {
        let start: Int
        switch family {
        case .v4:
            guard let (payloadStart, proto) = ipv4Header(invoking, at: 0), proto == 1 else { return nil }
            start = payloadStart
        case .v6:
            // Fixed 40-byte header; next header must be ICMPv6 (we send no extension headers).
            guard invoking.count >= 40, invoking[0] >> 4 == 6, invoking[6] == 58 else { return nil }
            start = 40
        }
        guard invoking.count >= start + ICMPEchoRequest.headerSize, invoking[start] == family.echoRequestType,
            let identifier = ICMPBytes.word(invoking, at: start + 4),
            let sequence = ICMPBytes.word(invoking, at: start + 6)
        else { return nil }
        return (identifier, sequence, Array(invoking[(start + ICMPEchoRequest.headerSize)...]))
    }
}
