@testable import KnockerKit

/// Builds DNS responses for the DNS tests and ``TestDNSServer``, without name compression.
enum DNSTestPacket {
    /// A record to put in an answer: owner, type, data bytes as on the wire.
    struct Record: Sendable {
        var name: String
        var type: UInt16
        var data: [UInt8]
        var ttl: UInt32 = 300

        static func a(_ name: String, _ address: String) -> Record {
            Record(name: name, type: 1, data: IPAddressText.bytes(address) ?? [])
        }

        static func aaaa(_ name: String, _ address: String) -> Record {
            Record(name: name, type: 28, data: IPAddressText.bytes(address) ?? [])
        }

        static func cname(_ name: String, _ target: String) -> Record {
            Record(name: name, type: 5, data: DNSTestPacket.name(target))
        }

        static func mx(_ name: String, _ preference: UInt16, _ host: String) -> Record {
            Record(
                name: name,
                type: 15,
                data: [UInt8(preference >> 8), UInt8(preference & 0xFF)] + DNSTestPacket.name(host)
            )
        }

        static func txt(_ name: String, _ strings: [String]) -> Record {
            Record(name: name, type: 16, data: strings.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) })
        }
    }

    /// `name` in uncompressed wire form.
    static func name(_ name: String) -> [UInt8] {
        DNSQuery.labels(of: name).flatMap { [UInt8($0.count)] + $0 } + [0]
    }

    /// A 12-byte header.
    static func header(
        id: UInt16,
        flags: UInt16,
        questions: UInt16 = 1,
        answers: UInt16 = 0,
        authority: UInt16 = 0,
        additional: UInt16 = 0
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        for value in [id, flags, questions, answers, authority, additional] { bytes.appendUInt16(value) }
        return bytes
    }

    /// A question entry.
    static func question(_ name: String, type: UInt16, qclass: UInt16 = 1) -> [UInt8] {
        var bytes = self.name(name)
        bytes.appendUInt16(type)
        bytes.appendUInt16(qclass)
        return bytes
    }

    /// A resource record entry.
    static func record(_ record: Record, qclass: UInt16 = 1) -> [UInt8] {
        var bytes = name(record.name)
        bytes.appendUInt16(record.type)
        bytes.appendUInt16(qclass)
        bytes.appendUInt16(UInt16(record.ttl >> 16))
        bytes.appendUInt16(UInt16(record.ttl & 0xFFFF))
        bytes.appendUInt16(UInt16(record.data.count))
        return bytes + record.data
    }

    /// A response (QR, RD, RA set) to `id` asking `name`/`type`, with `rcode`, `answers` and the TC bit.
    static func response(
        id: UInt16,
        name: String,
        type: UInt16,
        rcode: UInt16 = 0,
        answers: [Record] = [],
        truncated: Bool = false
    ) -> [UInt8] {
        let flags: UInt16 = 0x8180 | rcode | (truncated ? 0x0200 : 0)
        return header(id: id, flags: flags, answers: UInt16(answers.count)) + question(name, type: type)
            + answers.flatMap { record($0) }
    }
}
