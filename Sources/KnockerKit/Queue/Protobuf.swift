/// Why protobuf wire data could not be decoded. Decoding never traps: every malformed input ends in one of these.
public enum ProtobufError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A varint ran past the end of the input; `offset` is where it started.
    case truncatedVarint(offset: Int)
    /// A varint was longer than 10 bytes or did not fit in 64 bits; `offset` is where it started.
    case varintOverflow(offset: Int)
    /// A length-delimited or fixed-width value needs `length` bytes at `offset`, but only `remaining` are left.
    case lengthPastEnd(offset: Int, length: UInt64, remaining: Int)
    /// A tag used wire type 3 or 4 (groups, unsupported) or 6 or 7 (undefined).
    case badWireType(offset: Int, field: UInt64, wireType: UInt8)
    /// A tag carried field number 0 or one above 2^29 - 1.
    case badFieldNumber(offset: Int, field: UInt64)
    /// A string field did not hold valid UTF-8.
    case invalidUTF8(field: Int)

    /// A one-line explanation for logs and error messages.
    public var description: String {
        switch self {
        case .truncatedVarint(let offset):
            "protobuf: truncated varint at byte \(offset)"
        case .varintOverflow(let offset):
            "protobuf: varint at byte \(offset) overflows 64 bits"
        case .lengthPastEnd(let offset, let length, let remaining):
            "protobuf: value at byte \(offset) needs \(length) bytes but only \(remaining) remain"
        case .badWireType(let offset, let field, let wireType):
            "protobuf: unsupported wire type \(wireType) for field \(field) at byte \(offset)"
        case .badFieldNumber(let offset, let field):
            "protobuf: invalid field number \(field) at byte \(offset)"
        case .invalidUTF8(let field):
            "protobuf: string field \(field) is not valid UTF-8"
        }
    }
}

/// The protobuf wire types this codec understands (groups, 3 and 4, are rejected).
public enum ProtobufWireType: UInt8, Sendable {
    /// Base-128 varint: int32, int64, uint*, bool, enum.
    case varint = 0
    /// Eight little-endian bytes: fixed64, sfixed64, double.
    case fixed64 = 1
    /// A varint length followed by that many bytes: string, bytes, nested messages, packed repeated fields.
    case lengthDelimited = 2
    /// Four little-endian bytes: fixed32, sfixed32, float.
    case fixed32 = 5
}

/// One decoded field: its number and raw value. Typed accessors return nil when the wire type does not fit, so a
/// caller can skip such a field as unknown, the way Go's protobuf runtime does.
public struct ProtobufField: Sendable, Equatable {
    /// The raw value of a field.
    public enum Value: Sendable, Equatable {
        /// Wire type 0.
        case varint(UInt64)
        /// Wire type 1.
        case fixed64(UInt64)
        /// Wire type 2; the slice shares the reader's storage.
        case lengthDelimited(ArraySlice<UInt8>)
        /// Wire type 5.
        case fixed32(UInt32)
    }

    /// Field number, 1 ... 2^29 - 1.
    public let number: Int
    /// Raw value.
    public let value: Value

    /// The varint value, or nil for another wire type.
    public var varint: UInt64? {
        if case .varint(let value) = value { value } else { nil }
    }

    /// An int64 field (two's complement of the varint), or nil for another wire type.
    public var int64: Int64? { varint.map { Int64(bitPattern: $0) } }

    /// An int32 field (low 32 bits of the varint, as Go and C++ decode it), or nil for another wire type.
    public var int32: Int32? { varint.map { Int32(truncatingIfNeeded: $0) } }

    /// A bool field (any non-zero varint is true), or nil for another wire type.
    public var bool: Bool? { varint.map { $0 != 0 } }

    /// The bytes of a length-delimited field, or nil for another wire type.
    public var bytes: ArraySlice<UInt8>? {
        if case .lengthDelimited(let bytes) = value { bytes } else { nil }
    }

    /// A string field, or nil for another wire type; throws when the bytes are not valid UTF-8 (proto3 strings
    /// must be, and Go rejects them too).
    public func string() throws(ProtobufError) -> String? {
        guard let bytes else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8(field: number) }
        return text
    }
}

/// Reads fields one by one from protobuf wire data. Unknown fields are returned like any other, so decoders skip
/// them simply by ignoring their numbers.
public struct ProtobufReader: Sendable {
    private let bytes: [UInt8]
    private var index: Int

    /// A reader over a copy of `bytes`.
    public init(_ bytes: some Collection<UInt8>) {
        self.bytes = Array(bytes)
        self.index = 0
    }

    /// The next field, or nil at the end of the input.
    public mutating func next() throws(ProtobufError) -> ProtobufField? {
        guard index < bytes.count else { return nil }
        let tagOffset = index
        let tag = try readVarint()
        let number = tag >> 3
        guard number >= 1, number <= (1 << 29) - 1 else { throw .badFieldNumber(offset: tagOffset, field: number) }
        let wireType = UInt8(tag & 7)
        let value: ProtobufField.Value
        switch ProtobufWireType(rawValue: wireType) {
        case .varint:
            value = .varint(try readVarint())
        case .fixed64:
            let slice = try take(8)
            value = .fixed64(slice.reversed().reduce(0) { $0 << 8 | UInt64($1) })
        case .fixed32:
            let slice = try take(4)
            value = .fixed32(slice.reversed().reduce(0) { $0 << 8 | UInt32($1) })
        case .lengthDelimited:
            let length = try readVarint()
            value = .lengthDelimited(try take(length))
        case nil:
            throw .badWireType(offset: tagOffset, field: number, wireType: wireType)
        }
        return ProtobufField(number: Int(number), value: value)
    }

    private mutating func readVarint() throws(ProtobufError) -> UInt64 {
        let start = index
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.count else { throw .truncatedVarint(offset: start) }
            let byte = bytes[index]
            index += 1
            // The tenth byte may only carry the single remaining bit.
            if shift == 63 && byte > 1 { throw .varintOverflow(offset: start) }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    private mutating func take(_ length: UInt64) throws(ProtobufError) -> ArraySlice<UInt8> {
        let remaining = bytes.count - index
        guard length <= UInt64(remaining) else {
            throw .lengthPastEnd(offset: index, length: length, remaining: remaining)
        }
        let end = index + Int(length)
        defer { index = end }
        return bytes[index..<end]
    }
}

/// Builds protobuf wire data. The `write…` field methods follow proto3: zero and empty values are not written.
/// Callers write fields in field-number order, which makes the output canonical.
public struct ProtobufWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer.
    public init() {}

    /// Appends a base-128 varint.
    public mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Appends a field tag.
    public mutating func appendTag(_ field: Int, _ wireType: ProtobufWireType) {
        appendVarint(UInt64(truncatingIfNeeded: field) << 3 | UInt64(wireType.rawValue))
    }

    /// Writes an int64 field unless it is 0.
    public mutating func writeInt64(_ field: Int, _ value: Int64) {
        guard value != 0 else { return }
        appendTag(field, .varint)
        appendVarint(UInt64(bitPattern: value))
    }

    /// Writes an int32 field unless it is 0. Negative values are sign-extended to ten bytes, as proto3 requires.
    public mutating func writeInt32(_ field: Int, _ value: Int32) {
        writeInt64(field, Int64(value))
    }

    /// Writes a bool field unless it is false.
    public mutating func writeBool(_ field: Int, _ value: Bool) {
        guard value else { return }
        appendTag(field, .varint)
        appendVarint(1)
    }

    /// Writes a string field unless it is empty.
    public mutating func writeString(_ field: Int, _ value: String) {
        writeBytes(field, Array(value.utf8))
    }

    /// Writes a bytes field unless it is empty.
    public mutating func writeBytes(_ field: Int, _ value: some Collection<UInt8>) {
        guard !value.isEmpty else { return }
        writeLengthDelimited(field, value)
    }

    /// Writes a length-delimited field even when it is empty: for nested messages, whose presence is significant,
    /// and for map entries.
    public mutating func writeLengthDelimited(_ field: Int, _ value: some Collection<UInt8>) {
        appendTag(field, .lengthDelimited)
        appendVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }
}
