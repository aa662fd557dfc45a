/// Why a DNS message could not be decoded.
struct DNSDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, e.g. "message ends inside the header".
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension DNSMessage {
    /// The 12-byte header length.
    static let headerLength = 12

    /// Decodes a response. Never traps on malformed input: every read is bounds-checked, compression pointers
    /// must point strictly backwards (so they cannot loop) and names are limited to 255 bytes.
    ///
    /// When the TC bit is set only the header and the question are decoded (the rest may be cut anywhere).
    static func decode(_ bytes: [UInt8]) throws(DNSDecodingError) -> DNSMessage {
        var reader = DNSReader(bytes: bytes)
        let id = try reader.uint16("header")
        let flags = try reader.uint16("header")
        let questionCount = try reader.uint16("header")
        let answerCount = try reader.uint16("header")
        _ = try reader.uint16("header")
        _ = try reader.uint16("header")
        var message = DNSMessage(
            id: id,
            isResponse: flags & 0x8000 != 0,
            opcode: UInt8((flags >> 11) & 0xF),
            isAuthoritative: flags & 0x0400 != 0,
            isTruncated: flags & 0x0200 != 0,
            recursionAvailable: flags & 0x0080 != 0,
            responseCode: DNSResponseCode(rawValue: flags & 0xF),
            questions: [],
            answers: []
        )
        for _ in 0..<questionCount {
            let name = try reader.name("question")
            let type = try reader.uint16("question")
            let qclass = try reader.uint16("question")
            message.questions.append(DNSQuestion(name: name, type: type, qclass: qclass))
        }
        if message.isTruncated { return message }
        for _ in 0..<answerCount {
            if let record = try reader.record() { message.answers.append(record) }
        }
        return message
    }
}

/// A bounds-checked cursor over a DNS message.
struct DNSReader {
    /// The longest name on the wire, length bytes and the root included (RFC 1035 §3.1).
    static let maximumNameLength = 255

    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The byte at `offset`, advancing.
    mutating func uint8(_ part: String) throws(DNSDecodingError) -> UInt8 {
        guard offset < bytes.count else { throw DNSDecodingError("message ends inside the \(part)") }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// The big-endian 16-bit value at `offset`, advancing.
    mutating func uint16(_ part: String) throws(DNSDecodingError) -> UInt16 {
        let high = try uint8(part)
        let low = try uint8(part)
        return UInt16(high) << 8 | UInt16(low)
    }

    /// The big-endian 32-bit value at `offset`, advancing.
    mutating func uint32(_ part: String) throws(DNSDecodingError) -> UInt32 {
        let high = try uint16(part)
        let low = try uint16(part)
        return UInt32(high) << 16 | UInt32(low)
    }

    /// `count` bytes at `offset`, advancing.
    mutating func take(_ count: Int, _ part: String) throws(DNSDecodingError) -> [UInt8] {
        guard count >= 0, count <= bytes.count - offset else {
            throw DNSDecodingError("message ends inside the \(part)")
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// The (possibly compressed) name at `offset` as text without the trailing dot (`.` for the root), advancing
    /// past its in-place part.
    mutating func name(_ part: String) throws(DNSDecodingError) -> String {
        var labels: [String] = []
        var length = 1
        var position = offset
        var resumeAt: Int?
        while true {
            guard position < bytes.count else { throw DNSDecodingError("message ends inside a name in the \(part)") }
            let byte = bytes[position]
            switch byte & 0xC0 {
            case 0x00:
                if byte == 0 {
                    offset = resumeAt ?? position + 1
                    return labels.isEmpty ? "." : labels.joined(separator: ".")
                }
                let count = Int(byte)
                guard count <= bytes.count - position - 1 else {
                    throw DNSDecodingError("message ends inside a name in the \(part)")
                }
                length += count + 1
                guard length <= Self.maximumNameLength else {
                    throw DNSDecodingError("a name in the \(part) is longer than 255 bytes")
                }
                labels.append(DNSText.escaped(bytes[position + 1...position + count], escapingDots: true))
                position += count + 1
            case 0xC0:
                guard position + 1 < bytes.count else {
                    throw DNSDecodingError("message ends inside a name in the \(part)")
                }
                let target = Int(byte & 0x3F) << 8 | Int(bytes[position + 1])
                // Strictly backwards: every jump lands earlier than the last, so no loop is possible.
                guard target < position else {
                    throw DNSDecodingError("a compression pointer in the \(part) does not point backwards")
                }
                if resumeAt == nil { resumeAt = position + 2 }
                position = target
            default:
                throw DNSDecodingError("a name in the \(part) uses an unknown label type")
            }
        }
    }

    /// The resource record at `offset`, advancing past it; nil for a type or class Knocker does not read.
    mutating func record() throws(DNSDecodingError) -> DNSRecord? {
        let name = try name("answer section")
        let rawType = try uint16("answer section")
        let rclass = try uint16("answer section")
        let ttl = try uint32("answer section")
        let length = Int(try uint16("answer section"))
        guard length <= bytes.count - offset else { throw DNSDecodingError("message ends inside a record's data") }
        let end = offset + length
        defer { offset = end }
        guard rclass == DNSQuery.classIN, let type = DNSRecordType(rawValue: rawType) else { return nil }
        let data: DNSRecordData
        let typeName = "\(type.name) record"
        switch type {
        case .a, .aaaa:
            let size = type == .a ? 4 : 16
            guard length == size else { throw DNSDecodingError("\(typeName) has \(length) data bytes, not \(size)") }
            let address = try take(size, typeName)
            data = type == .a ? .a(address) : .aaaa(address)
        case .cname:
            data = .cname(try self.name(typeName))
        case .mx:
            let preference = try uint16(typeName)
            data = .mx(preference: preference, host: try self.name(typeName))
        case .txt:
            var strings: [[UInt8]] = []
            while offset < end {
                let count = Int(try uint8(typeName))
                guard count <= end - offset else { throw DNSDecodingError("a TXT string runs past its record") }
                strings.append(try take(count, typeName))
            }
            data = .txt(strings)
        }
        guard offset == end else { throw DNSDecodingError("\(typeName) does not fill its data length") }
        return DNSRecord(name: name, ttl: ttl, data: data)
    }
}
