import Testing

@testable import KnockerKit

/// Byte vectors for ICMP tests.
enum ICMPVectors {
    /// An IPv4 header of `ihl` 32-bit words (options zero-filled) from `source` carrying `payloadCount` bytes of
    /// protocol `proto`.
    static func ipv4Header(source: [UInt8], ihl: Int = 5, proto: UInt8 = 1, payloadCount: Int) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: ihl * 4)
        header[0] = 0x40 | UInt8(ihl)
        let total = header.count + payloadCount
        header[2] = UInt8(total >> 8)
        header[3] = UInt8(total & 0xff)
        header[8] = 64
        header[9] = proto
        header.replaceSubrange(12..<16, with: source)
        header.replaceSubrange(16..<20, with: [127, 0, 0, 1])
        return header
    }

    /// `request` turned into its echo reply (type 0 / 129), checksum recomputed over IPv4.
    static func reply(to request: ICMPEchoRequest) -> [UInt8] {
        var bytes = request.encoded()
        bytes[0] = request.family.echoReplyType
        bytes[2] = 0
        bytes[3] = 0
        if request.family == .v4 { setChecksum(&bytes) }
        return bytes
    }

    /// Fills in the ICMP checksum of `bytes`.
    static func setChecksum(_ bytes: inout [UInt8]) {
        bytes[2] = 0
        bytes[3] = 0
        let sum = ICMPBytes.internetChecksum(bytes)
        bytes[2] = UInt8(sum >> 8)
        bytes[3] = UInt8(sum & 0xff)
    }

    /// An ICMP error of `type`/`code` over IPv4 quoting `quoted` (an IP header and the start of our request).
    static func v4Error(type: UInt8, code: UInt8, quoting quoted: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [type, code, 0, 0, 0, 0, 0, 0] + quoted
        setChecksum(&bytes)
        return bytes
    }

    /// A sample request.
    static func request(_ family: ICMPFamily = .v4, size: Int = 56, sequence: UInt16 = 7) -> ICMPEchoRequest {
        ICMPEchoRequest(
            family: family,
            identifier: 0x1234,
            sequence: sequence,
            token: 0x0102_0304_0506_0708,
            sentNanoseconds: 0x1111_2222_3333_4444,
            payloadSize: size
        )
    }
}

extension CheckTests {
    @Suite("Ping: ICMP encoding, checksum, parsing")
    struct PingPacketTests {
        @Test func checksumKnownAnswers() {
            // RFC 1071 section 3 example: the sum is 0xddf2, so the checksum is its complement.
            #expect(ICMPBytes.internetChecksum([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]) == 0x220d)
            // Echo request, identifier 0x1234, sequence 1, no payload: 0x0800 + 0x1234 + 0x0001 = 0x1a35.
            #expect(ICMPBytes.internetChecksum([8, 0, 0, 0, 0x12, 0x34, 0, 1]) == 0xe5ca)
            // An odd last byte is padded with zero; carries wrap around.
            #expect(ICMPBytes.internetChecksum([0xff, 0xff, 0xff]) == 0x00ff)  // 0xffff + 0xff00 = 0x1feff → 0xff00
            #expect(ICMPBytes.internetChecksum([0x01]) == 0xfeff)
            #expect(ICMPBytes.internetChecksum([]) == 0xffff)
        }

        @Test func encodesAnIPv4EchoRequest() {
            let bytes = ICMPVectors.request(size: 20).encoded()
            #expect(bytes.count == 28)
            #expect(Array(bytes[0..<2]) == [8, 0])
            #expect(Array(bytes[4..<8]) == [0x12, 0x34, 0, 7])
            #expect(Array(bytes[8..<16]) == [1, 2, 3, 4, 5, 6, 7, 8])
            #expect(Array(bytes[16..<24]) == [0x11, 0x11, 0x22, 0x22, 0x33, 0x33, 0x44, 0x44])
            #expect(Array(bytes[24..<28]) == [0x10, 0x11, 0x12, 0x13])
            #expect(ICMPBytes.internetChecksum(bytes) == 0)
        }

        @Test func encodesAnIPv6EchoRequestWithoutChecksum() {
            let bytes = ICMPVectors.request(.v6, size: 8).encoded()
            #expect(bytes == [128, 0, 0, 0, 0x12, 0x34, 0, 7, 1, 2, 3, 4, 5, 6, 7, 8])
        }

        @Test func shortPayloadsCarryATokenPrefix() {
            let bytes = ICMPVectors.request(size: 3).encoded()
            #expect(bytes.count == 11)
            #expect(Array(bytes[8...]) == [1, 2, 3])
            #expect(ICMPEchoRequest.tokenPrefix(0x0102_0304_0506_0708, payloadSize: 3) == [1, 2, 3])
            #expect(ICMPEchoRequest.tokenPrefix(0x0102_0304_0506_0708, payloadSize: 100).count == 8)
            #expect(ICMPBytes.internetChecksum(bytes) == 0)
            let large = ICMPVectors.request(size: 65000).encoded()
            #expect(large.count == 65008)
            #expect(ICMPBytes.internetChecksum(large) == 0)
        }

        @Test func parsesRawIPv4RepliesWithAnyHeaderLength() {
            let request = ICMPVectors.request()
            let reply = ICMPVectors.reply(to: request)
            for ihl in [5, 6, 15] {
                let datagram =
                    ICMPVectors.ipv4Header(source: [127, 0, 0, 1], ihl: ihl, payloadCount: reply.count) + reply
                let message = ICMPParser.parse(datagram, family: .v4, layout: .ipv4Header)
                #expect(message == .echoReply(identifier: 0x1234, sequence: 7, payload: Array(reply[8...])))
            }
        }

        @Test func parsesDatagramAndIPv6Replies() {
            let v4 = ICMPVectors.reply(to: ICMPVectors.request(size: 16))
            #expect(
                ICMPParser.parse(v4, family: .v4, layout: .icmpOnly)
                    == .echoReply(identifier: 0x1234, sequence: 7, payload: Array(v4[8...]))
            )
            let v6 = ICMPVectors.reply(to: ICMPVectors.request(.v6, size: 16))
            #expect(
                ICMPParser.parse(v6, family: .v6, layout: .icmpOnly)
                    == .echoReply(identifier: 0x1234, sequence: 7, payload: Array(v6[8...]))
            )
        }

        @Test func ignoresRequestsUnrelatedTypesAndBadChecksums() {
            let request = ICMPVectors.request().encoded()
            let header = ICMPVectors.ipv4Header(source: [127, 0, 0, 1], payloadCount: request.count)
            #expect(ICMPParser.parse(header + request, family: .v4, layout: .ipv4Header) == nil)
            #expect(ICMPParser.parse(ICMPVectors.request(.v6).encoded(), family: .v6, layout: .icmpOnly) == nil)
            var timestamp: [UInt8] = [13, 0, 0, 0, 0x12, 0x34, 0, 7] + [UInt8](repeating: 0, count: 12)
            ICMPVectors.setChecksum(&timestamp)
            #expect(ICMPParser.parse(timestamp, family: .v4, layout: .icmpOnly) == nil)
            var corrupt = ICMPVectors.reply(to: ICMPVectors.request())
            corrupt[20] ^= 0x01
            #expect(ICMPParser.parse(corrupt, family: .v4, layout: .icmpOnly) == nil)
            // Not ICMP in the IP header, or an IPv6 version nibble on a v4 raw socket.
            let reply = ICMPVectors.reply(to: ICMPVectors.request())
            let udp = ICMPVectors.ipv4Header(source: [127, 0, 0, 1], proto: 17, payloadCount: reply.count) + reply
            #expect(ICMPParser.parse(udp, family: .v4, layout: .ipv4Header) == nil)
            var v6Nibble = ICMPVectors.ipv4Header(source: [127, 0, 0, 1], payloadCount: reply.count) + reply
            v6Nibble[0] = 0x65
            #expect(ICMPParser.parse(v6Nibble, family: .v4, layout: .ipv4Header) == nil)
            #expect(ICMPParser.parse(reply, family: .v6, layout: .ipv4Header) == nil)
        }

        @Test func parsesIPv4ErrorsQuotingOurRequest() {
            let request = ICMPVectors.request().encoded()
            let quotedHeader = ICMPVectors.ipv4Header(source: [10, 0, 0, 2], ihl: 6, payloadCount: request.count)
            // Routers quote the IP header and at least 8 bytes of the request.
            let error = ICMPVectors.v4Error(type: 3, code: 1, quoting: quotedHeader + request.prefix(8))
            let datagram = ICMPVectors.ipv4Header(source: [10, 0, 0, 1], payloadCount: error.count) + error
            let message = ICMPParser.parse(datagram, family: .v4, layout: .ipv4Header)
            #expect(message == .error(.hostUnreachable, identifier: 0x1234, sequence: 7, payload: []))
            let ttl = ICMPVectors.v4Error(type: 11, code: 0, quoting: quotedHeader + request.prefix(12))
            #expect(
                ICMPParser.parse(ttl, family: .v4, layout: .icmpOnly)
                    == .error(.timeToLiveExceeded, identifier: 0x1234, sequence: 7, payload: [1, 2, 3, 4])
            )
            // An error about someone's UDP datagram is not ours.
            let udpHeader = ICMPVectors.ipv4Header(source: [10, 0, 0, 2], proto: 17, payloadCount: 8)
            let udp = ICMPVectors.v4Error(type: 3, code: 3, quoting: udpHeader + [0, 53, 0, 53, 0, 8, 0, 0])
            #expect(ICMPParser.parse(udp, family: .v4, layout: .icmpOnly) == nil)
            // An error quoting an echo reply (not a request) is not ours either.
            var quotedReply = Array(request.prefix(8))
            quotedReply[0] = 0
            let aboutReply = ICMPVectors.v4Error(type: 3, code: 1, quoting: quotedHeader + quotedReply)
            #expect(ICMPParser.parse(aboutReply, family: .v4, layout: .icmpOnly) == nil)
        }

        @Test func parsesIPv6ErrorsQuotingOurRequest() {
            let request = ICMPVectors.request(.v6, size: 16).encoded()
            var header = [UInt8](repeating: 0, count: 40)
            header[0] = 0x60
            header[6] = 58
            let error: [UInt8] = [1, 3, 0, 0, 0, 0, 0, 0] + header + request
            #expect(
                ICMPParser.parse(error, family: .v6, layout: .icmpOnly)
                    == .error(.addressUnreachable, identifier: 0x1234, sequence: 7, payload: Array(request[8...]))
            )
            let tooBig: [UInt8] = [2, 0, 0, 0, 0, 0, 0x05, 0x00] + header + request.prefix(8)
            #expect(
                ICMPParser.parse(tooBig, family: .v6, layout: .icmpOnly)
                    == .error(.packetTooBig, identifier: 0x1234, sequence: 7, payload: [])
            )
            var withExtension = header
            withExtension[6] = 0  // hop-by-hop options: not followed
            let skipped: [UInt8] = [1, 0, 0, 0, 0, 0, 0, 0] + withExtension + request
            #expect(ICMPParser.parse(skipped, family: .v6, layout: .icmpOnly) == nil)
        }

        @Test func errorMessages() {
            #expect(
                ICMPProblem.hostUnreachable.message(from: "10.0.0.1") == "destination host unreachable from 10.0.0.1"
            )
            #expect(ICMPProblem.v4(type: 3, code: 0)?.message(from: nil) == "destination network unreachable")
            #expect(ICMPProblem.v4(type: 3, code: 13) == .administrativelyProhibited)
            #expect(ICMPProblem.v4(type: 3, code: 15) == .unreachable(code: 15))
            #expect(ICMPProblem.v4(type: 0, code: 0) == nil)
            #expect(
                ICMPProblem.v6(type: 1, code: 0)?.message(from: "fe80::1")
                    == "destination unreachable: no route from fe80::1"
            )
            #expect(ICMPProblem.v6(type: 3, code: 0) == .timeToLiveExceeded)
            #expect(ICMPProblem.v6(type: 129, code: 0) == nil)
            #expect(ICMPProblem.unreachable(code: 9).message(from: "") == "destination unreachable (code 9)")
        }

        @Test func truncatedAndRandomInputNeverTraps() {
            let reply = ICMPVectors.reply(to: ICMPVectors.request())
            let raw = ICMPVectors.ipv4Header(source: [127, 0, 0, 1], ihl: 7, payloadCount: reply.count) + reply
            let request = ICMPVectors.request().encoded()
            let quoted = ICMPVectors.ipv4Header(source: [10, 0, 0, 2], payloadCount: request.count) + request
            let error = ICMPVectors.v4Error(type: 3, code: 1, quoting: quoted)
            var v6Header = [UInt8](repeating: 0, count: 40)
            v6Header[0] = 0x60
            v6Header[6] = 58
            let v6Error: [UInt8] = [1, 3, 0, 0, 0, 0, 0, 0] + v6Header + ICMPVectors.request(.v6).encoded()
            for sample in [raw, reply, error, v6Error] {
                for length in 0..<sample.count {
                    let cut = Array(sample.prefix(length))
                    for family in ICMPFamily.allCases {
                        for layout in [ICMPParser.Layout.ipv4Header, .icmpOnly] {
                            _ = ICMPParser.parse(cut, family: family, layout: layout)
                        }
                    }
                }
            }
            // A truncated raw reply is never taken for a reply.
            #expect(ICMPParser.parse(Array(raw.prefix(35)), family: .v4, layout: .ipv4Header) == nil)
            // Deterministic pseudo-random bytes (xorshift), with ICMP-ish first bytes now and then.
            var state: UInt64 = 0x9e37_79b9_7f4a_7c15
            func next() -> UInt64 {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                return state
            }
            for round in 0..<5000 {
                let count = Int(next() % 120)
                var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
                if count > 0, round % 3 == 0 { bytes[0] = [0x45, 0x4f, 0x41, 3, 11, 1, 129][round % 7] }
                for family in ICMPFamily.allCases {
                    _ = ICMPParser.parse(bytes, family: family, layout: .ipv4Header)
                    _ = ICMPParser.parse(bytes, family: family, layout: .icmpOnly)
                }
            }
        }

        /// A control buffer holding one `cmsghdr` of `level`/`type` with `data`, in host byte order.
        static func control(level: Int32, type: Int32, data: [UInt8]) -> [UInt8] {
            let header = MemoryLayout<Int>.size + 8
            var bytes = withUnsafeBytes(of: header + data.count) { Array($0) }
            bytes += withUnsafeBytes(of: level) { Array($0) } + withUnsafeBytes(of: type) { Array($0) } + data
            while bytes.count % MemoryLayout<Int>.size != 0 { bytes.append(0) }
            return bytes
        }

        /// A `sock_extended_err` of `origin`, `type`, `code`, then `offender` (raw sockaddr bytes).
        static func extendedError(origin: UInt8, type: UInt8, code: UInt8, offender: [UInt8]) -> [UInt8] {
            withUnsafeBytes(of: Int32(113)) { Array($0) } + [origin, type, code, 0] + [UInt8](repeating: 0, count: 8)
                + offender
        }

        @Test func readsErrorQueueReports() throws {
            var v4Offender = withUnsafeBytes(of: UInt16(2)) { Array($0) } + [0, 0, 10, 0, 0, 1]
            v4Offender += [UInt8](repeating: 0, count: 8)
            let unrelated = Self.control(level: 1, type: 29, data: [1, 2, 3, 4, 5, 6, 7, 8])
            let v4 = Self.control(
                level: 0,
                type: 11,
                data: Self.extendedError(origin: 2, type: 3, code: 1, offender: v4Offender)
            )
            let report = try #require(ICMPErrorQueue.report(inControl: unrelated + v4))
            #expect(report == .init(origin: 2, type: 3, code: 1, offender: SocketAddress(ip: "10.0.0.1")))
            let request = ICMPVectors.request(size: 16).encoded()
            #expect(
                ICMPErrorQueue.message(quoted: request, report: report, family: .v4)
                    == .error(.hostUnreachable, identifier: 0x1234, sequence: 7, payload: Array(request[8...]))
            )
            // Local errors and replies are not ours.
            var local = report
            local.origin = 1
            #expect(ICMPErrorQueue.message(quoted: request, report: local, family: .v4) == nil)
            #expect(
                ICMPErrorQueue.message(
                    quoted: ICMPVectors.reply(to: ICMPVectors.request()),
                    report: report,
                    family: .v4
                ) == nil
            )
            #expect(ICMPErrorQueue.message(quoted: [8, 0, 0], report: report, family: .v4) == nil)

            let v6Address = try #require(SocketAddress(ip: "fd00::1"))
            let v6Offender =
                withUnsafeBytes(of: UInt16(10)) { Array($0) } + [0, 0, 0, 0, 0, 0] + v6Address.bytes + [0, 0, 0, 0]
            let v6 = Self.control(
                level: 41,
                type: 25,
                data: Self.extendedError(origin: 3, type: 1, code: 3, offender: v6Offender)
            )
            let v6Report = try #require(ICMPErrorQueue.report(inControl: v6))
            #expect(v6Report.offender == v6Address)
            let v6Request = ICMPVectors.request(.v6, size: 8).encoded()
            #expect(
                ICMPErrorQueue.message(quoted: v6Request, report: v6Report, family: .v6)
                    == .error(.addressUnreachable, identifier: 0x1234, sequence: 7, payload: Array(v6Request[8...]))
            )
            #expect(ICMPErrorQueue.message(quoted: v6Request, report: v6Report, family: .v4) == nil)
            // No offender (AF_UNSPEC).
            let bare = Self.control(
                level: 0,
                type: 11,
                data: Self.extendedError(origin: 2, type: 11, code: 0, offender: [0, 0])
            )
            #expect(ICMPErrorQueue.report(inControl: bare)?.offender == nil)
            // Truncated or garbage control bytes never trap.
            for length in 0...(v4.count + v6.count) {
                _ = ICMPErrorQueue.report(inControl: Array((unrelated + v4 + v6).prefix(length)))
            }
            #expect(ICMPErrorQueue.report(inControl: Array(v4.prefix(20))) == nil)
            #expect(ICMPErrorQueue.report(inControl: [UInt8](repeating: 0xff, count: 64)) == nil)
            #expect(ICMPErrorQueue.report(inControl: [UInt8](repeating: 0, count: 64)) == nil)
            #expect(ICMPErrorQueue.socketAddress([2]) == nil)
            #expect(ICMPErrorQueue.socketAddress(withUnsafeBytes(of: UInt16(10)) { Array($0) } + [0, 0]) == nil)
        }
    }
}
