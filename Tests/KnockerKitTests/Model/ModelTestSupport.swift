import Testing

@testable import KnockerKit

/// Groups the monitor config model tests so `swift test --filter Model` selects them.
@Suite("Model") enum ModelTests {}

/// UTF-8 bytes of a JSON literal.
func bytes(_ json: String) -> [UInt8] { Array(json.utf8) }

/// The issues `MonitorConfig.decode` reports for `json`, or `[]` when it decodes.
func decodeIssues(_ type: MonitorType, _ json: String) -> [ConfigIssue] {
    do {
        _ = try MonitorConfig.decode(type: type, json: bytes(json))
        return []
    } catch {
        return error.issues
    }
}

/// Shorthand for an expected issue.
func issue(_ field: String, _ message: String) -> ConfigIssue { ConfigIssue(field: field, message: message) }
