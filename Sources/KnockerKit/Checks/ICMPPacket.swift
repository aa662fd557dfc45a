/// The ICMP address family of an echo: ICMP over IPv4 or ICMPv6.
enum ICMPFamily: String, Sendable, Equatable, CaseIterable {
    case v4
    case v6

    /// The echo request message type: 8 for ICMP, 128 for ICMPv6.
    var echoRequestType: UInt8 { self == .v4 ? 8 : 128 }
    /// The echo reply message type: 0 for ICMP, 129 for ICMPv6.
    var echoReplyType: UInt8 { self == .v4 ? 0 : 129 }
}

/// One ICMP echo request as sent on the wire (the ICMP message only; the kernel adds the IP header).
///
/// Payload layout, `payloadSize` bytes: the 8-byte `token` (big-endian), then the 8-byte send time in
/// nanoseconds (big-endian), then the bytes 0x10, 0x11, 0x12, … (wrapping after 0xff), like `ping`'s fill. When the payload
/// is shorter than 16 bytes the token and the time are cut at its end (a payload of 3 bytes carries the token's
/// first 3 bytes), and matching compares only what fits.
struct ICMPEchoRequest: Sendable, Equatable {
    /// Bytes of the ICMP echo header: type, code, checksum, identifier, sequence.
    static let headerSize = 8
    /// Bytes of the token at the start of the payload.
    static let tokenSize = 8

    var family: ICMPFamily
    /// The echo identifier (on datagram sockets the kernel replaces it with the socket's port).
    var identifier: UInt16
    /// The echo sequence number.
    var sequence: UInt16
    /// A random per-packet value that a reply must echo back.
    var token: UInt64
    /// When the packet is sent, nanoseconds on any clock; only carried, never read back.
    var sentNanoseconds: UInt64
    /// ICMP payload bytes (the config's `packet_size`).
    var payloadSize: Int

    /// The whole ICMP message. The checksum is filled in for ICMP over IPv4; for ICMPv6 it stays zero because
    /// the kernel computes it (it covers a pseudo-header with the source address the kernel picks).
    func encoded() -> [UInt8] {
        let size = max(0, payloadSize)
        var bytes = [UInt8](repeating: 0, count: Self.headerSize + size)
        bytes[0] = family.echoRequestType
        bytes[1] = 0
        bytes[4] = UInt8(identifier >> 8)
        bytes[5] = UInt8(identifier & 0xff)
        bytes[6] = UInt8(sequence >> 8)
        bytes[7] = UInt8(sequence & 0xff)
        let prefix = ICMPBytes.bigEndian(token) + ICMPBytes.bigEndian(sentNanoseconds)
        for index in 0..<size {
            bytes[Self.headerSize + index] =
                index < prefix.count ? prefix[index] : UInt8(truncatingIfNeeded: 0x10 + (index - prefix.count))
        }
        if family == .v4 {
            let sum = ICMPBytes.internetChecksum(bytes)
            bytes[2] = UInt8(sum >> 8)
            bytes[3] = UInt8(sum & 0xff)
        }
        return bytes
    }

    /// The token bytes a payload of `payloadSize` bytes carries: its first up to 8 bytes.
    static func tokenPrefix(_ token: UInt64, payloadSize: Int) -> [UInt8] {
        Array(ICMPBytes.bigEndian(token).prefix(max(0, payloadSize)))
    }
}

/// Byte helpers for ICMP messages.
enum ICMPBytes {
    /// The internet checksum (RFC 1071): the ones' complement of the ones' complement sum of the 16-bit
    /// big-endian words of `bytes`, an odd last byte padded with zero. A message whose checksum field is filled
    /// in sums to zero.
    static func internetChecksum(_ bytes: some Collection<UInt8>) -> UInt16 {
        var sum: UInt32 = 0
        var high = true
        for byte in bytes {
            sum &+= high ? UInt32(byte) << 8 : UInt32(byte)
            high.toggle()
        }
        while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
        return ~UInt16(sum)
    }

    /// `value` as 8 big-endian bytes.
    static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    /// The big-endian 16-bit word at `offset` of `bytes`, nil when it does not fit.
    static func word(_ bytes: [UInt8], at offset: Int) -> UInt16? {
        guard offset >= 0, offset + 2 <= bytes.count else { return nil }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }
}
