/// Text forms of IP addresses without libc: strict parsing to network-order bytes and canonical printing
/// (dotted quad; RFC 5952 for IPv6: lower case, longest run of two or more zero groups as `::`).
enum IPAddressText {
    /// The 4 bytes of a dotted-quad IPv4 address, or nil.
    static func ipv4Bytes(_ text: some StringProtocol) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let value = UInt8(part)
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    /// The 16 bytes of an IPv6 address in RFC 4291 text form (an embedded IPv4 tail allowed), or nil.
    static func ipv6Bytes(_ text: some StringProtocol) -> [UInt8]? {
        let string = String(text)
        guard string.contains(":") else { return nil }
        let halves = string.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        var parsed: [[UInt8]] = []
        for (halfIndex, half) in halves.enumerated() {
            var bytes: [UInt8] = []
            if !half.isEmpty {
                let pieces = half.split(separator: ":", omittingEmptySubsequences: false)
                for (index, piece) in pieces.enumerated() {
                    if halfIndex == halves.count - 1 && index == pieces.count - 1 && piece.contains(".") {
                        guard let tail = ipv4Bytes(piece) else { return nil }
                        bytes += tail
                        continue
                    }
                    guard (1...4).contains(piece.utf8.count), let group = UInt16(piece, radix: 16),
                        piece.utf8.allSatisfy({ $0 != 0x2B && $0 != 0x2D })
                    else { return nil }
                    bytes += [UInt8(group >> 8), UInt8(group & 0xFF)]
                }
            }
            parsed.append(bytes)
        }
        if parsed.count == 1 { return parsed[0].count == 16 ? parsed[0] : nil }
        let given = parsed[0].count + parsed[1].count
        guard given <= 14 else { return nil }
        return parsed[0] + [UInt8](repeating: 0, count: 16 - given) + parsed[1]
    }

    /// The bytes of an IPv4 or IPv6 address, or nil.
    static func bytes(_ text: some StringProtocol) -> [UInt8]? {
        ipv4Bytes(text) ?? ipv6Bytes(text)
    }

    /// Dotted quad for 4 bytes, RFC 5952 text for 16; nil for any other length.
    static func text(_ bytes: [UInt8]) -> String? {
        switch bytes.count {
        case 4: return bytes.map(String.init).joined(separator: ".")
        case 16: return ipv6Text(bytes)
        default: return nil
        }
    }

    private static func ipv6Text(_ bytes: [UInt8]) -> String {
        let groups = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        if groups[0..<5].allSatisfy({ $0 == 0 }) && groups[5] == 0xFFFF {
            return "::ffff:" + bytes[12...].map(String.init).joined(separator: ".")
        }
        var best = (start: -1, length: 0)
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < 8 && groups[end] == 0 { end += 1 }
            if end - index > best.length { best = (index, end - index) }
            index = end
        }
        let hex = groups.map { String($0, radix: 16) }
        guard best.length >= 2 else { return hex.joined(separator: ":") }
        let head = hex[..<best.start].joined(separator: ":")
        let tail = hex[(best.start + best.length)...].joined(separator: ":")
        return head + "::" + tail
    }
}
