/// Postgres array literals as text, for binding a whole list as one parameter (`$1::bigint[]`): the client has no
/// binary array encoding, and the text form keeps every value a bound parameter rather than SQL.
enum PostgresArrayText {
    /// `{1,2,3}`.
    static func int64(_ values: [Int64]) -> String {
        "{" + values.map(String.init).joined(separator: ",") + "}"
    }

    /// `{"a","b\"c",NULL}`: every element quoted, `"` and `\` escaped, nil as NULL.
    static func strings(_ values: [String?]) -> String {
        // Built as UTF-8 bytes: `"` and `\` are ASCII, so they never occur inside a multi-byte sequence.
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(values.count * 32 + 2)
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard let value else {
                bytes.append(contentsOf: "NULL".utf8)
                continue
            }
            bytes.append(UInt8(ascii: "\""))
            for byte in value.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads `{1,2,3}` (as `array_agg(…)::text` prints a bigint array); values that are not integers are skipped.
    static func parseInt64(_ text: String) -> [Int64] {
        var inner = Substring(text)
        while let first = inner.first, first == "{" || first == "}" { inner.removeFirst() }
        while let last = inner.last, last == "{" || last == "}" { inner.removeLast() }
        return inner.split(separator: ",").compactMap { Int64($0) }
    }
}
