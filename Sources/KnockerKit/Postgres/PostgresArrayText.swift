/// Postgres array literals as text, for binding a whole list as one parameter (`$1::bigint[]`): the client has no
/// binary array encoding, and the text form keeps every value a bound parameter rather than SQL.
enum PostgresArrayText {
    /// `{1,2,3}`.
    static func int64(_ values: [Int64]) -> String {
        "{" + values.map(String.init).joined(separator: ",") + "}"
    }

    /// `{"a","b\"c",NULL}`: every element quoted, `"` and `\` escaped, nil as NULL.
    static func strings(_ values: [String?]) -> String {
        var text = "{"
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            guard let value else {
                text += "NULL"
                continue
            }
            text += "\""
            for character in value {
                if character == "\"" || character == "\\" { text += "\\" }
                text.append(character)
            }
            text += "\""
        }
        return text + "}"
    }

    /// Reads `{1,2,3}` (as `array_agg(…)::text` prints a bigint array); values that are not integers are skipped.
    static func parseInt64(_ text: String) -> [Int64] {
        text.trimmingCharacters(in: ["{", "}"]).split(separator: ",").compactMap { Int64($0) }
    }
}
