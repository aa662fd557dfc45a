import Foundation

/// A query parameter in Postgres's binary wire format, with its type's OID (the server then neither guesses the type
/// nor parses text). For bulk statements: one array parameter per column carries a whole batch, and binary arrays
/// spare the server the text parsing of every element (timestamps above all).
public struct PostgresBinaryValue: Sendable, Equatable {
    /// The type's OID (built-in types only: their OIDs are fixed).
    public var typeOID: UInt32
    /// The value in binary format.
    public var bytes: [UInt8]

    /// OIDs of the built-in types used here.
    enum OID {
        static let int4: UInt32 = 23
        static let int8: UInt32 = 20
        static let text: UInt32 = 25
        static let timestamptz: UInt32 = 1184
        static let int4Array: UInt32 = 1007
        static let int8Array: UInt32 = 1016
        static let textArray: UInt32 = 1009
        static let timestamptzArray: UInt32 = 1185
    }

    /// `bigint[]`.
    public static func int64Array(_ values: [Int64]) -> PostgresBinaryValue {
        fixedWidthArray(OID.int8Array, element: OID.int8, width: 8, values) { $0.int64($1) }
    }

    /// `integer[]`; values outside Int32 are clamped.
    public static func int32Array(_ values: [Int]) -> PostgresBinaryValue {
        fixedWidthArray(OID.int4Array, element: OID.int4, width: 4, values) { $0.int32(Int32(clamping: $1)) }
    }

    /// `timestamptz[]`, at microsecond precision (rounded, as the text form).
    public static func timestampArray(_ values: [Date]) -> PostgresBinaryValue {
        fixedWidthArray(OID.timestamptzArray, element: OID.timestamptz, width: 8, values) {
            $0.int64(PostgresBinaryWriter.microsecondsSince2000($1))
        }
    }

    /// A one-dimensional array without NULLs of a type whose binary form is `width` bytes.
    private static func fixedWidthArray<Element>(
        _ oid: UInt32,
        element: UInt32,
        width: Int32,
        _ values: [Element],
        write: (inout PostgresBinaryWriter, Element) -> Void
    ) -> PostgresBinaryValue {
        var writer = PostgresBinaryWriter(capacity: 20 + values.count * (4 + Int(width)))
        writer.arrayHeader(elementOID: element, count: values.count, hasNull: false)
        for value in values {
            writer.int32(width)
            write(&writer, value)
        }
        return PostgresBinaryValue(typeOID: oid, bytes: writer.bytes)
    }

    /// `text[]`; nil elements are NULL. NUL characters, which `text` cannot hold, become U+FFFD.
    public static func textArray(_ values: [String?]) -> PostgresBinaryValue {
        let hasNull = values.contains { $0 == nil }
        var writer = PostgresBinaryWriter(capacity: 20 + values.count * 16)
        writer.arrayHeader(elementOID: OID.text, count: values.count, hasNull: hasNull)
        for value in values {
            guard let value else {
                writer.int32(-1)
                continue
            }
            writer.text(value)
        }
        return PostgresBinaryValue(typeOID: OID.textArray, bytes: writer.bytes)
    }
}

/// Appends values in Postgres's binary format (big-endian integers, length-prefixed fields).
struct PostgresBinaryWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    mutating func int32(_ value: Int32) {
        let bits = UInt32(bitPattern: value)
        bytes.append(UInt8(truncatingIfNeeded: bits >> 24))
        bytes.append(UInt8(truncatingIfNeeded: bits >> 16))
        bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
        bytes.append(UInt8(truncatingIfNeeded: bits))
    }

    mutating func int64(_ value: Int64) {
        int32(Int32(truncatingIfNeeded: value >> 32))
        int32(Int32(truncatingIfNeeded: value))
    }

    /// A length-prefixed UTF-8 field; NUL becomes U+FFFD (`text` cannot hold it).
    mutating func text(_ value: String) {
        let lengthAt = bytes.count
        int32(0)
        for byte in value.utf8 {
            if byte == 0 {
                bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
            } else {
                bytes.append(byte)
            }
        }
        let length = UInt32(bytes.count - lengthAt - 4)
        bytes[lengthAt] = UInt8(truncatingIfNeeded: length >> 24)
        bytes[lengthAt + 1] = UInt8(truncatingIfNeeded: length >> 16)
        bytes[lengthAt + 2] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[lengthAt + 3] = UInt8(truncatingIfNeeded: length)
    }

    /// A one-dimensional array's header: dimensions, null flag, element type, length, lower bound 1.
    mutating func arrayHeader(elementOID: UInt32, count: Int, hasNull: Bool) {
        int32(1)
        int32(hasNull ? 1 : 0)
        int32(Int32(bitPattern: elementOID))
        int32(Int32(clamping: count))
        int32(1)
    }

    /// The binary form of `timestamptz`: microseconds since 2000-01-01 00:00 UTC, rounded as the text form rounds.
    static func microsecondsSince2000(_ date: Date) -> Int64 {
        // Saturates as Timestamp's text form does, rather than trap, for dates Int64 microseconds cannot hold.
        QueueClock.clampedInt64((date.timeIntervalSince1970 * 1_000_000).rounded()) &- 946_684_800_000_000
    }
}
