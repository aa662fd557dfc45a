import Foundation

/// A small JSON path: `$` (the document) followed by steps, each `.name`, `["any key"]` / `['any key']`, or `[index]`.
///
/// Examples: `$`, `$.status`, `$.data.items[0].name`, `$["content-type"]`, `$.list[2][0]`. Names after a dot are
/// letters, digits, `_` and `-`, not starting with a digit or `-`; other keys use the bracket form, where `\"`,
/// `\'` and `\\` escape. Indexes are non-negative decimal integers. There are no wildcards, slices or filters.
public struct JSONPath: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// One step from a value to one of its children.
    public enum Step: Sendable, Equatable, Hashable {
        /// An object member by key.
        case key(String)
        /// An array element by zero-based index.
        case index(Int)
    }

    /// The steps after `$`, in order; empty for the document itself.
    public var steps: [Step]

    /// A path made of `steps`.
    public init(steps: [Step]) {
        self.steps = steps
    }

    /// A path parse failure: what is wrong and the character offset where it was found.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong, e.g. `expected "." or "[" at offset 3`.
        public var message: String
        /// Zero-based character offset into the path text.
        public var offset: Int

        /// `message` (the message already names the offset).
        public var description: String { message }
    }

    /// Parses `text`; throws ``ParseError`` naming the first problem.
    public static func parse(_ text: String) throws(ParseError) -> JSONPath {
        let chars = Array(text)
        guard !chars.isEmpty else { throw ParseError(message: "must not be empty; start with $", offset: 0) }
        guard chars[0] == "$" else { throw ParseError(message: "must start with $", offset: 0) }
        var steps: [Step] = []
        var i = 1
        while i < chars.count {
            switch chars[i] {
            case ".":
                i += 1
                let start = i
                while i < chars.count, isNameCharacter(chars[i]) { i += 1 }
                if i == start {
                    let found = i < chars.count ? "\"\(chars[i])\"" : "the end"
                    throw ParseError(
                        message: "expected a name after \".\" at offset \(start), found \(found)",
                        offset: start
                    )
                }
                if chars[start].isNumber || chars[start] == "-" {
                    throw ParseError(
                        message:
                            "a name after \".\" must not start with a digit or \"-\" at offset \(start); use [n] or [\"key\"]",
                        offset: start
                    )
                }
                steps.append(.key(String(chars[start..<i])))
            case "[":
                let open = i
                i += 1
                guard i < chars.count else { throw ParseError(message: "unclosed [ at offset \(open)", offset: open) }
                if chars[i] == "\"" || chars[i] == "'" {
                    let quote = chars[i]
                    i += 1
                    var key = ""
                    var closed = false
                    while i < chars.count {
                        let c = chars[i]
                        if c == "\\" {
                            guard i + 1 < chars.count, ["\"", "'", "\\"].contains(chars[i + 1]) else {
                                throw ParseError(message: "bad escape at offset \(i); use \\\", \\' or \\\\", offset: i)
                            }
                            key.append(chars[i + 1])
                            i += 2
                            continue
                        }
                        i += 1
                        if c == quote {
                            closed = true
                            break
                        }
                        key.append(c)
                    }
                    guard closed else {
                        throw ParseError(message: "unterminated quoted key at offset \(open + 1)", offset: open + 1)
                    }
                    steps.append(.key(key))
                } else {
                    let start = i
                    while i < chars.count, chars[i].isASCII, chars[i].isNumber { i += 1 }
                    guard i > start, let index = Int(String(chars[start..<i])) else {
                        let what =
                            chars[start] == "*" ? "wildcards are not supported" : "expected an index or a quoted key"
                        throw ParseError(message: "\(what) at offset \(start)", offset: start)
                    }
                    steps.append(.index(index))
                }
                guard i < chars.count, chars[i] == "]" else {
                    throw ParseError(message: "expected ] at offset \(i)", offset: i)
                }
                i += 1
            default:
                throw ParseError(message: "expected \".\" or \"[\" at offset \(i), found \"\(chars[i])\"", offset: i)
            }
        }
        return JSONPath(steps: steps)
    }

    /// The value at this path in `document` (as produced by `JSONSerialization`, or plain Swift arrays and
    /// dictionaries), or `nil` when a key is missing, an index is out of range or a step meets the wrong kind.
    public func evaluate(on document: Any) -> Any? {
        var current: Any = document
        for step in steps {
            switch step {
            case .key(let key):
                guard let object = current as? [String: Any], let next = object[key] else { return nil }
                current = next
            case .index(let index):
                guard let array = current as? [Any], index < array.count else { return nil }
                current = array[index]
            }
        }
        return current
    }

    /// The canonical text: `$`, then `.name` where the key allows it, else `["key"]`, and `[n]`.
    public var description: String {
        var out = "$"
        for step in steps {
            switch step {
            case .index(let index):
                out += "[\(index)]"
            case .key(let key):
                if let first = key.first, !first.isNumber, first != "-", key.allSatisfy(Self.isNameCharacter) {
                    out += "." + key
                } else {
                    let escaped = key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                        of: "\"",
                        with: "\\\""
                    )
                    out += "[\"\(escaped)\"]"
                }
            }
        }
        return out
    }

    /// Letters, digits, `_` and `-` (ASCII).
    private static func isNameCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-")
    }
}
