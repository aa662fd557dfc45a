import Foundation

/// Reads `.env` files: `KEY=value` lines, optional `export `, `#` comments, single quotes (literal), double quotes
/// (with `\n`, `\t`, `\"` and `\\` escapes) and unquoted values with trailing ` # comment`s removed.
public enum DotEnv {
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var line: Int
        public var reason: String
        public var description: String { "\(path):\(line): \(reason)" }
    }

    /// Parses the text of a `.env` file. Later lines win over earlier ones.
    public static func parse(_ text: String, path: String = ".env") throws(ParseError) -> [String: String] {
        var values: [String: String] = [:]
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        for (index, rawLine) in normalized.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine
            line = line.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst("export ".count).drop { $0 == " " } }
            guard let equals = line.firstIndex(of: "=") else {
                throw ParseError(path: path, line: index + 1, reason: "expected KEY=value")
            }
            let key = line[..<equals].trimmingCharacters(in: " \t")
            guard isValidKey(key) else {
                throw ParseError(path: path, line: index + 1, reason: "'\(key)' is not a valid variable name")
            }
            let rest = line[line.index(after: equals)...].drop { $0 == " " || $0 == "\t" }
            values[key] = try value(of: rest, path: path, line: index + 1)
        }
        return values
    }

    static func isValidKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return key.unicodeScalars.allSatisfy {
            $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0)
        }
    }

    private static func value(of text: Substring, path: String, line: Int) throws(ParseError) -> String {
        guard let quote = text.first, quote == "\"" || quote == "'" else {
            var unquoted = text
            if let comment = unquoted.range(of: " #") { unquoted = unquoted[..<comment.lowerBound] }
            return unquoted.trimmingCharacters(in: " \t")
        }
        var result = ""
        var escaped = false
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if quote == "\"" && escaped {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "r": result.append("\r")
                default: result.append(character)
                }
                escaped = false
            } else if quote == "\"" && character == "\\" {
                escaped = true
            } else if character == quote {
                let after = text[text.index(after: index)...].trimmingCharacters(in: " \t")
                guard after.isEmpty || after.hasPrefix("#") else {
                    throw ParseError(path: path, line: line, reason: "unexpected text after the closing quote")
                }
                return result
            } else {
                result.append(character)
            }
            index = text.index(after: index)
        }
        throw ParseError(path: path, line: line, reason: "missing closing \(quote)")
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        let scalars = Set(set)
        var slice = self[...]
        while let first = slice.first, scalars.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, scalars.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
