import Foundation

/// A response body for assertions: its text, and its JSON parsed at most once.
final class HTTPResponseBody {
    /// The body as UTF-8 text (invalid bytes replaced).
    let text: String
    private let bytes: [UInt8]
    private var parsed: JSONValue??

    /// A body of `bytes`.
    init(bytes: [UInt8]) {
        self.bytes = bytes
        text = String(decoding: bytes, as: UTF8.self)
    }

    /// The body as JSON, or nil when it is not JSON.
    var json: JSONValue? {
        if let parsed { return parsed }
        let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        parsed = .some(value)
        return value
    }
}

extension HTTPAssertion {
    /// Why this assertion fails on `body`, or nil when it holds.
    func failure(on body: HTTPResponseBody) -> String? {
        switch self {
        case .bodyContains(let text):
            return body.text.contains(text) ? nil : "body does not contain \(Self.quote(text))"
        case .bodyNotContains(let text):
            return body.text.contains(text) ? "body contains \(Self.quote(text))" : nil
        case .bodyMatches(let pattern), .bodyNotMatches(let pattern):
            guard let regex = try? NSRegularExpression(pattern: pattern) else {
                return "invalid pattern /\(pattern)/"
            }
            let range = NSRange(body.text.startIndex..., in: body.text)
            let matches = regex.firstMatch(in: body.text, range: range) != nil
            if case .bodyMatches = self {
                return matches ? nil : "body does not match /\(pattern)/"
            }
            return matches ? "body matches /\(pattern)/" : nil
        case .jsonPathEquals(let pathText, let expected), .jsonPathContains(let pathText, let expected):
            guard let path = try? JSONPath.parse(pathText) else { return "invalid JSON path \(pathText)" }
            guard let document = body.json else { return "body is not JSON" }
            guard let actual = Self.value(at: path, in: document) else { return "\(path) is missing" }
            if case .jsonPathEquals = self {
                return actual == expected ? nil : "\(path) is \(Self.text(actual)), expected \(Self.text(expected))"
            }
            return Self.contains(actual, expected) ? nil : "\(path) does not contain \(Self.text(expected))"
        }
    }

    /// The value at `path` in `document`, or nil when a step does not apply.
    static func value(at path: JSONPath, in document: JSONValue) -> JSONValue? {
        var current = document
        for step in path.steps {
            switch (step, current) {
            case (.key(let key), .object(let object)):
                guard let next = object[key] else { return nil }
                current = next
            case (.index(let index), .array(let array)):
                guard index < array.count else { return nil }
                current = array[index]
            default:
                return nil
            }
        }
        return current
    }

    /// `json_path_contains`: an array with an element equal to `expected`, or a string containing it.
    static func contains(_ actual: JSONValue, _ expected: JSONValue) -> Bool {
        switch (actual, expected) {
        case (.array(let elements), _): elements.contains(expected)
        case (.string(let text), .string(let part)): text.contains(part)
        default: false
        }
    }

    /// Compact JSON text of `value`, for messages.
    static func text(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "?" }
        return String(decoding: data, as: UTF8.self)
    }

    private static func quote(_ text: String) -> String {
        "\"\(text)\""
    }
}
