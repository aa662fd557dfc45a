/// DNS response codes (RFC 1035 §4.1.1, RFC 6895).
struct DNSResponseCode: RawRepresentable, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The 4-bit header value.
    var rawValue: UInt16

    /// No error.
    static let noError = DNSResponseCode(rawValue: 0)
    /// The server failed to answer.
    static let serverFailure = DNSResponseCode(rawValue: 2)
    /// The name does not exist.
    static let nameError = DNSResponseCode(rawValue: 3)

    /// The mnemonic (`NOERROR`, `SERVFAIL`, `NXDOMAIN`…), or `RCODE n` for one without.
    var description: String {
        switch rawValue {
        case 0: "NOERROR"
        case 1: "FORMERR"
        case 2: "SERVFAIL"
        case 3: "NXDOMAIN"
        case 4: "NOTIMP"
        case 5: "REFUSED"
        case 6: "YXDOMAIN"
        case 7: "YXRRSET"
        case 8: "NXRRSET"
        case 9: "NOTAUTH"
        case 10: "NOTZONE"
        default: "RCODE \(rawValue)"
        }
    }
}

/// The one question of a query: name, type, class IN.
struct DNSQuestion: Sendable, Equatable {
    /// The name asked, as text without the trailing dot.
    var name: String
    /// The type asked (a raw value, so a response's question of any type can be represented).
    var type: UInt16
    /// The class asked; 1 (IN) for every query Knocker sends.
    var qclass: UInt16 = DNSQuery.classIN

    /// Whether `other` asks the same: names equal ignoring ASCII case, same type and class.
    func matches(_ other: DNSQuestion) -> Bool {
        type == other.type && qclass == other.qclass && DNSText.sameName(name, other.name)
    }
}

/// A query to send: a random 16-bit id, recursion desired, one question, and an EDNS0 OPT record advertising a
/// 1232-byte UDP payload (the DNS flag day 2020 size, which avoids IP fragmentation).
struct DNSQuery: Sendable, Equatable {
    /// Class IN.
    static let classIN: UInt16 = 1
    /// Record type OPT (RFC 6891).
    static let typeOPT: UInt16 = 41
    /// The UDP payload size advertised in the OPT record, and the receive buffer size over UDP.
    static let udpPayloadSize: UInt16 = 1232

    /// The message id, echoed by the server.
    var id: UInt16
    /// The question.
    var question: DNSQuestion

    /// A query for `name` and `type` with a random id.
    init(name: String, type: DNSRecordType, id: UInt16 = .random(in: .min ... .max)) {
        self.id = id
        self.question = DNSQuestion(name: name, type: type.rawValue)
    }

    /// Why a name cannot go on the wire, or nil: an empty label, a label over 63 bytes or a name over 255.
    static func nameProblem(_ name: String) -> String? {
        var length = 1
        for label in labels(of: name) {
            if label.isEmpty { return "the name \(name) has an empty label" }
            if label.count > 63 { return "a label of \(name) is longer than 63 bytes" }
            length += label.count + 1
        }
        return length > 255 ? "the name \(name) is longer than 255 bytes" : nil
    }

    /// The labels of `name` as bytes; no labels for the root (`""` or `"."`); one trailing dot ignored.
    static func labels(of name: String) -> [[UInt8]] {
        let text = name.hasSuffix(".") ? name.dropLast() : Substring(name)
        guard !text.isEmpty else { return [] }
        return text.split(separator: ".", omittingEmptySubsequences: false).map { Array($0.utf8) }
    }

    /// The query in wire format; nil when the name cannot be encoded (see ``nameProblem(_:)``).
    func encoded() -> [UInt8]? {
        guard Self.nameProblem(question.name) == nil else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32 + question.name.utf8.count)
        bytes.appendUInt16(id)
        bytes.appendUInt16(0x0100)  // QR 0, opcode QUERY, RD 1
        bytes.appendUInt16(1)  // QDCOUNT
        bytes.appendUInt16(0)  // ANCOUNT
        bytes.appendUInt16(0)  // NSCOUNT
        bytes.appendUInt16(1)  // ARCOUNT: the OPT record
        for label in Self.labels(of: question.name) {
            bytes.append(UInt8(label.count))
            bytes += label
        }
        bytes.append(0)
        bytes.appendUInt16(question.type)
        bytes.appendUInt16(question.qclass)
        // OPT: root owner, type 41, class = UDP payload size, TTL = extended rcode 0, version 0, flags 0, no data.
        bytes.append(0)
        bytes.appendUInt16(Self.typeOPT)
        bytes.appendUInt16(Self.udpPayloadSize)
        bytes += [0, 0, 0, 0]
        bytes.appendUInt16(0)
        return bytes
    }
}

/// A decoded response: the header fields a check needs, the question, and the answer records Knocker
/// understands (other types and classes are skipped; authority and additional sections are not read).
struct DNSMessage: Sendable, Equatable {
    /// The message id.
    var id: UInt16
    /// QR: true for a response.
    var isResponse: Bool
    /// The opcode (0 for a standard query).
    var opcode: UInt8
    /// AA: the answer comes from an authoritative server.
    var isAuthoritative: Bool
    /// TC: the message was truncated; ask again over TCP.
    var isTruncated: Bool
    /// RA: the server offers recursion.
    var recursionAvailable: Bool
    /// The response code.
    var responseCode: DNSResponseCode
    /// The questions (normally exactly one).
    var questions: [DNSQuestion]
    /// The answer records of known types and class IN, in order; empty when ``isTruncated``.
    var answers: [DNSRecord]

    /// Whether this is the response to `query`: same id, a response to a standard query, and either the same
    /// question or (for an error response) no question at all.
    func answers(_ query: DNSQuery) -> Bool {
        guard id == query.id, isResponse, opcode == 0 else { return false }
        if questions.isEmpty { return responseCode != .noError }
        return questions.count == 1 && questions[0].matches(query.question)
    }
}

extension [UInt8] {
    /// Appends `value` in network byte order.
    mutating func appendUInt16(_ value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(value & 0xFF))
    }
}
