/// One problem found in a monitor config: the field it concerns and what is wrong with it.
///
/// `field` is a JSON path into the config object such as `url`, `headers.X-Foo` or `assertions[1].path`; it is
/// empty when the problem concerns the config as a whole (for example, it is not valid JSON).
public struct ConfigIssue: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// JSON path of the offending field, e.g. `assertions[1].path`; empty for the whole config.
    public var field: String
    /// Plain-English description of the problem, e.g. `must be between 1 and 300 seconds (got 0)`.
    public var message: String

    /// An issue with `field` (a JSON path) described by `message`.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// `field: message`, or just the message when the issue concerns the whole config.
    public var description: String { field.isEmpty ? message : "\(field): \(message)" }
}

/// A monitor config that could not be decoded or did not validate; `issues` lists every problem found.
public struct MonitorConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every problem found, in field order. Never empty.
    public var issues: [ConfigIssue]

    /// An error listing `issues`.
    public init(issues: [ConfigIssue]) {
        self.issues = issues
    }

    /// `invalid monitor config: <issue>; <issue>…`.
    public var description: String {
        "invalid monitor config: " + issues.map(\.description).joined(separator: "; ")
    }
}

/// Quotes a user-supplied value for an issue message: `"ftp://x"`, shortened past 80 characters.
func quoted(_ value: String) -> String {
    let limit = 80
    if value.count <= limit { return JSONText.quote(value) }
    return JSONText.quote(String(value.prefix(limit)) + "…")
}
