/// The record types a DNS check asks for and understands in answers (RFC 1035, RFC 3596).
enum DNSRecordType: UInt16, Sendable, CaseIterable {
    /// IPv4 address.
    case a = 1
    /// Canonical name (alias target).
    case cname = 5
    /// Mail exchange: preference and host.
    case mx = 15
    /// Text strings.
    case txt = 16
    /// IPv6 address.
    case aaaa = 28

    /// The type named by a monitor config's `record_type` (`A`, `AAAA`, `CNAME`, `MX`, `TXT`; any case).
    init?(name: String) {
        guard let type = Self.allCases.first(where: { $0.name == name.uppercased() }) else { return nil }
        self = type
    }

    /// The mnemonic, e.g. `AAAA`.
    var name: String {
        switch self {
        case .a: "A"
        case .cname: "CNAME"
        case .mx: "MX"
        case .txt: "TXT"
        case .aaaa: "AAAA"
        }
    }
}

/// The data of one answer record of a type Knocker understands.
enum DNSRecordData: Sendable, Equatable {
    /// An A record: 4 address bytes.
    case a([UInt8])
    /// An AAAA record: 16 address bytes.
    case aaaa([UInt8])
    /// A CNAME record: the target name.
    case cname(String)
    /// An MX record: preference and mail host.
    case mx(preference: UInt16, host: String)
    /// A TXT record: its character strings, in order.
    case txt([[UInt8]])

    /// The record's type.
    var type: DNSRecordType {
        switch self {
        case .a: .a
        case .aaaa: .aaaa
        case .cname: .cname
        case .mx: .mx
        case .txt: .txt
        }
    }

    /// How a check shows the answer: address text, the CNAME target, `"<preference> <host>"`, or the TXT strings
    /// joined without separator (as SPF and DKIM read them; see ``DNSText/plain(_:)``).
    var displayText: String {
        switch self {
        case .a(let bytes), .aaaa(let bytes): IPAddressText.text(bytes) ?? ""
        case .cname(let name): name
        case .mx(let preference, let host): "\(preference) \(host)"
        case .txt(let strings): DNSText.plain(strings.flatMap { $0 })
        }
    }
}

/// One resource record of the answer section, of a type in ``DNSRecordType`` and class IN.
struct DNSRecord: Sendable, Equatable {
    /// The owner name, as text without the trailing dot.
    var name: String
    /// Time to live, seconds.
    var ttl: UInt32
    /// The typed data.
    var data: DNSRecordData

    /// The record's type.
    var type: DNSRecordType { data.type }
}

/// Presentation of DNS names and strings as text.
enum DNSText {
    /// `bytes` with printable ASCII kept and everything else escaped in the master-file style as `\DDD`; with
    /// `escapingDots` (labels of a name) also `.` as `\.`, `\` as `\\` and space as `\032`.
    static func escaped(_ bytes: some Sequence<UInt8>, escapingDots: Bool) -> String {
        var text = ""
        for byte in bytes {
            switch byte {
            case 0x2E where escapingDots: text += "\\."
            case 0x5C where escapingDots: text += "\\\\"
            case 0x21...0x7E: text.unicodeScalars.append(Unicode.Scalar(byte))
            case 0x20 where !escapingDots: text += " "
            default:
                let digits = String(byte)
                text += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
            }
        }
        return text
    }

    /// TXT data as text: the bytes as UTF-8 when they are valid UTF-8 without control characters, otherwise
    /// with everything outside printable ASCII escaped as `\DDD`.
    static func plain(_ bytes: [UInt8]) -> String {
        if !bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }), let text = String(validating: bytes, as: UTF8.self) {
            return text
        }
        return escaped(bytes, escapingDots: false)
    }

    /// Whether two names are the same: ASCII case-insensitive, a trailing dot ignored.
    static func sameName(_ lhs: String, _ rhs: String) -> Bool {
        canonical(lhs) == canonical(rhs)
    }

    /// `name` lower-cased (ASCII only) without a trailing dot.
    static func canonical(_ name: String) -> String {
        let text = name.hasSuffix(".") && name != "." ? name.dropLast() : Substring(name)
        var lowered = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let isUpper = (0x41...0x5A).contains(scalar.value)
            lowered.append(isUpper ? Unicode.Scalar(UInt8(scalar.value) + 0x20) : scalar)
        }
        return String(lowered)
    }
}
