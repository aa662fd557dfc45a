import Foundation

/// A check on an HTTP response body. All of a monitor's assertions must hold for the check to pass.
///
/// JSON shapes (the `type` key selects the kind; other keys are rejected):
/// ```json
/// {"type": "body_contains",      "value": "healthy"}
/// {"type": "body_not_contains",  "value": "error"}
/// {"type": "body_matches",       "pattern": "version: \\d+"}
/// {"type": "body_not_matches",   "pattern": "(?i)maintenance"}
/// {"type": "json_path_equals",   "path": "$.status", "value": "up"}
/// {"type": "json_path_contains", "path": "$.regions", "value": "eu"}
/// ```
/// Text and patterns apply to the body as read (at most `max_body_bytes`). Patterns are `NSRegularExpression`
/// syntax and match anywhere in the body. `json_path_equals` compares the value at `path` with `value` (any JSON
/// value; numbers compare numerically). `json_path_contains` holds when the value at `path` is an array with an
/// element equal to `value`, or a string containing `value` (a string).
public enum HTTPAssertion: Codable, Sendable, Equatable {
    /// The body contains `text`.
    case bodyContains(String)
    /// The body does not contain `text`.
    case bodyNotContains(String)
    /// The regular expression `pattern` matches somewhere in the body.
    case bodyMatches(pattern: String)
    /// The regular expression `pattern` matches nowhere in the body.
    case bodyNotMatches(pattern: String)
    /// The body is JSON and the value at `path` equals `value`.
    case jsonPathEquals(path: String, value: JSONValue)
    /// The body is JSON and the value at `path` (array or string) contains `value`.
    case jsonPathContains(path: String, value: JSONValue)

    /// The `type` strings of the JSON form.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case bodyContains = "body_contains"
        case bodyNotContains = "body_not_contains"
        case bodyMatches = "body_matches"
        case bodyNotMatches = "body_not_matches"
        case jsonPathEquals = "json_path_equals"
        case jsonPathContains = "json_path_contains"
    }

    /// The kind of this assertion.
    public var kind: Kind {
        switch self {
        case .bodyContains: .bodyContains
        case .bodyNotContains: .bodyNotContains
        case .bodyMatches: .bodyMatches
        case .bodyNotMatches: .bodyNotMatches
        case .jsonPathEquals: .jsonPathEquals
        case .jsonPathContains: .jsonPathContains
        }
    }

    private enum CodingKeys: String, CodingKey {
        case type, value, pattern, path
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let typeText = try container.decode(String.self, forKey: .type)
        guard let kind = Kind(rawValue: typeText) else {
            let field = ConfigDecoding.path(decoder.codingPath + [CodingKeys.type])
            let known = Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigDecodingError(issues: [
                ConfigIssue(field: field, message: "must be one of \(known) (got \(quoted(typeText)))")
            ])
        }
        switch kind {
        case .bodyContains, .bodyNotContains:
            try ConfigDecoding.rejectUnknownKeys(in: decoder, known: ["type", "value"])
            let text = try container.decode(String.self, forKey: .value)
            self = kind == .bodyContains ? .bodyContains(text) : .bodyNotContains(text)
        case .bodyMatches, .bodyNotMatches:
            try ConfigDecoding.rejectUnknownKeys(in: decoder, known: ["type", "pattern"])
            let pattern = try container.decode(String.self, forKey: .pattern)
            self = kind == .bodyMatches ? .bodyMatches(pattern: pattern) : .bodyNotMatches(pattern: pattern)
        case .jsonPathEquals, .jsonPathContains:
            try ConfigDecoding.rejectUnknownKeys(in: decoder, known: ["type", "path", "value"])
            let path = try container.decode(String.self, forKey: .path)
            guard container.contains(.value) else {
                throw DecodingError.keyNotFound(
                    CodingKeys.value,
                    DecodingError.Context(codingPath: container.codingPath, debugDescription: "value is required")
                )
            }
            let value = try container.decode(JSONValue.self, forKey: .value)
            self =
                kind == .jsonPathEquals
                ? .jsonPathEquals(path: path, value: value) : .jsonPathContains(path: path, value: value)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind.rawValue, forKey: .type)
        switch self {
        case .bodyContains(let text), .bodyNotContains(let text):
            try container.encode(text, forKey: .value)
        case .bodyMatches(let pattern), .bodyNotMatches(let pattern):
            try container.encode(pattern, forKey: .pattern)
        case .jsonPathEquals(let path, let value), .jsonPathContains(let path, let value):
            try container.encode(path, forKey: .path)
            try container.encode(value, forKey: .value)
        }
    }

    /// Issues with this assertion; `prefix` is its JSON path, e.g. `assertions[1]`.
    func validate(prefix: String) -> [ConfigIssue] {
        switch self {
        case .bodyContains(let text), .bodyNotContains(let text):
            if text.isEmpty { return [ConfigIssue(field: prefix + ".value", message: "must not be empty")] }
        case .bodyMatches(let pattern), .bodyNotMatches(let pattern):
            if pattern.isEmpty { return [ConfigIssue(field: prefix + ".pattern", message: "must not be empty")] }
            do {
                _ = try NSRegularExpression(pattern: pattern)
            } catch {
                return [
                    ConfigIssue(
                        field: prefix + ".pattern",
                        message: "is not a valid regular expression (got \(quoted(pattern)))"
                    )
                ]
            }
        case .jsonPathEquals(let path, let value), .jsonPathContains(let path, let value):
            var issues: [ConfigIssue] = []
            do {
                _ = try JSONPath.parse(path)
            } catch {
                issues.append(
                    ConfigIssue(
                        field: prefix + ".path",
                        message: "is not a valid JSON path: \(error.message) (got \(quoted(path)))"
                    )
                )
            }
            if kind == .jsonPathContains {
                switch value {
                case .array, .object:
                    issues.append(
                        ConfigIssue(field: prefix + ".value", message: "must be a string, number, boolean or null")
                    )
                default:
                    break
                }
            }
            return issues
        }
        return []
    }
}
