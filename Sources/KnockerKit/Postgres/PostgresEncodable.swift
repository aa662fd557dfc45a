import Foundation

/// A value that can be sent as a text-format query parameter.
public protocol PostgresEncodable: Sendable {
    /// The parameter's text form; nil is SQL NULL.
    var postgresText: String? { get }
}

/// A value that can be read from a column's text output.
public protocol PostgresDecodable {
    /// Parses the server's text output.
    /// - Throws: ``PostgresError`` with code ``PostgresError/Code/decoding``.
    init(postgresText: String) throws(PostgresError)
}

extension String: PostgresEncodable, PostgresDecodable {
    /// The string itself.
    public var postgresText: String? { self }
    /// The text itself.
    public init(postgresText: String) { self = postgresText }
}

extension PostgresDecodable {
    static func decodingError(_ text: String) -> PostgresError {
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return PostgresError(code: .decoding, message: "cannot decode \"\(shown)\" as \(Self.self)")
    }
}

extension FixedWidthInteger where Self: PostgresDecodable {
    static func parse(_ text: String) throws(PostgresError) -> Self {
        guard let value = Self(text) else { throw decodingError(text) }
        return value
    }
}

extension Int: PostgresEncodable, PostgresDecodable {
    /// Decimal text.
    public var postgresText: String? { String(self) }
    /// Parses decimal text.
    public init(postgresText: String) throws(PostgresError) { self = try Self.parse(postgresText) }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    /// Decimal text.
    public var postgresText: String? { String(self) }
    /// Parses decimal text.
    public init(postgresText: String) throws(PostgresError) { self = try Self.parse(postgresText) }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    /// Decimal text.
    public var postgresText: String? { String(self) }
    /// Parses decimal text.
    public init(postgresText: String) throws(PostgresError) { self = try Self.parse(postgresText) }
}

extension Int16: PostgresEncodable, PostgresDecodable {
    /// Decimal text.
    public var postgresText: String? { String(self) }
    /// Parses decimal text.
    public init(postgresText: String) throws(PostgresError) { self = try Self.parse(postgresText) }
}

extension Double: PostgresEncodable, PostgresDecodable {
    /// Shortest round-tripping decimal text; `NaN`, `Infinity`, `-Infinity` for the special values.
    public var postgresText: String? {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return description
    }
    /// Parses float8 output, including `NaN` and `±Infinity`.
    public init(postgresText: String) throws(PostgresError) {
        switch postgresText {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default:
            guard let value = Double(postgresText), value.isFinite else { throw Self.decodingError(postgresText) }
            self = value
        }
    }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    /// `true` or `false`.
    public var postgresText: String? { self ? "true" : "false" }
    /// Parses `t`/`f` (also `true`/`false`).
    public init(postgresText: String) throws(PostgresError) {
        switch postgresText {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw Self.decodingError(postgresText)
        }
    }
}

extension UUID: PostgresEncodable, PostgresDecodable {
    /// Lower-case canonical form.
    public var postgresText: String? { uuidString.lowercased() }
    /// Parses the canonical form.
    public init(postgresText: String) throws(PostgresError) {
        guard let value = UUID(uuidString: postgresText) else { throw Self.decodingError(postgresText) }
        self = value
    }
}

extension Date: PostgresEncodable, PostgresDecodable {
    /// ISO 8601 in UTC with microseconds, e.g. `2026-12-04T15:30:44.123456Z`.
    public var postgresText: String? { PostgresTimestamp.format(self) }
    /// Parses timestamptz output in any session time zone; rejects `infinity` and BC dates.
    public init(postgresText: String) throws(PostgresError) {
        guard let date = PostgresTimestamp.parse(postgresText) else { throw Self.decodingError(postgresText) }
        self = date
    }
}

extension Array: PostgresEncodable where Element == UInt8 {
    /// bytea hex form, `\x0a0b`.
    public var postgresText: String? { PostgresBytea.format(self) }
}

extension Array: PostgresDecodable where Element == UInt8 {
    /// Parses bytea hex output.
    public init(postgresText: String) throws(PostgresError) {
        guard let bytes = PostgresBytea.parse(postgresText) else { throw Self.decodingError(postgresText) }
        self = bytes
    }
}

extension Data: PostgresEncodable, PostgresDecodable {
    /// bytea hex form, `\x0a0b`.
    public var postgresText: String? { PostgresBytea.format(Array(self)) }
    /// Parses bytea hex output.
    public init(postgresText: String) throws(PostgresError) {
        guard let bytes = PostgresBytea.parse(postgresText) else { throw Self.decodingError(postgresText) }
        self = Data(bytes)
    }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    /// The wrapped value's text, or nil (NULL).
    public var postgresText: String? {
        switch self {
        case .some(let value): value.postgresText
        case .none: nil
        }
    }
}

/// bytea hex format.
enum PostgresBytea {
    private static let digits = Array("0123456789abcdef".utf8)

    static func format(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        out.reserveCapacity(2 + bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func parse(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else {
            return nil
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
