import Foundation

/// A coding key for any string or integer, used to see every key a JSON object holds.
struct AnyCodingKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// Thrown from `init(from:)` when the JSON holds keys the config does not know; carries ready-made issues.
struct ConfigDecodingError: Error {
    var issues: [ConfigIssue]
}

/// Helpers shared by the configs' strict `Decodable` conformances.
enum ConfigDecoding {
    /// A JSON path (`a.b[0].c`) for a decoder coding path.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out
    }

    /// Throws an issue for every key of the object being decoded that is not in `known` (typos must not pass).
    static func rejectUnknownKeys(in decoder: any Decoder, known: [String]) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        let unknown = container.allKeys.map(\.stringValue).filter { !known.contains($0) }.sorted()
        guard !unknown.isEmpty else { return }
        throw ConfigDecodingError(
            issues: unknown.map { key in
                let field = path(decoder.codingPath + [AnyCodingKey(stringValue: key)])
                var message = "unknown field"
                if let guess = closest(to: key, in: known) { message += " (did you mean \"\(guess)\"?)" }
                message += "; known fields: " + known.sorted().joined(separator: ", ")
                return ConfigIssue(field: field, message: message)
            }
        )
    }

    /// The known key within edit distance 2 of `key`, if any.
    static func closest(to key: String, in known: [String]) -> String? {
        let scored = known.map { ($0, distance(Array(key.lowercased()), Array($0))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 2 else { return nil }
        return best.0
    }

    /// Levenshtein distance between two character arrays.
    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1]
            for (j, cb) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// Decodes `T` from JSON bytes, turning every failure into field-named issues.
    static func decode<T: Decodable>(_ type: T.Type, from json: [UInt8]) throws(MonitorConfigError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(json))
        } catch let error as ConfigDecodingError {
            throw MonitorConfigError(issues: error.issues)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
                let number = unfitNumber(in: json)
            {
                // Foundation reports a number that does not fit its field (1.5 or 1e300 for a whole number) as
                // invalid JSON, with no path: find it.
                throw MonitorConfigError(
                    issues: [
                        ConfigIssue(field: number.path, message: "must be a whole number in range (got \(number.text))")
                    ]
                )
            }
            throw MonitorConfigError(issues: [issue(for: error)])
        } catch {
            throw MonitorConfigError(issues: [ConfigIssue(field: "", message: "config could not be read: \(error)")])
        }
    }

    /// In valid JSON, the first number (depth first, keys in order) that is not a whole number within Int's range,
    /// with its path; nil when the JSON does not parse or has none. Assertion values (any JSON) are not searched.
    static func unfitNumber(in json: [UInt8]) -> (path: String, text: String)? {
        guard let root = try? JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed]) else {
            return nil
        }
        func search(_ value: Any, _ codingPath: [AnyCodingKey]) -> (path: String, text: String)? {
            if let object = value as? [String: Any] {
                for key in object.keys.sorted() where !(codingPath.isEmpty && key == "assertions") {
                    guard let value = object[key] else { continue }
                    if let found = search(value, codingPath + [AnyCodingKey(stringValue: key)]) { return found }
                }
            } else if let array = value as? [Any] {
                for (index, element) in array.enumerated() {
                    if let found = search(element, codingPath + [AnyCodingKey(intValue: index)]) { return found }
                }
            } else if let number = value as? NSNumber, !(value is Bool) {
                let double = number.doubleValue
                let whole = double.rounded() == double && abs(double) < 9.2e18
                if !whole { return (path(codingPath), "\(number)") }
            }
            return nil
        }
        return search(root, [])
    }

    /// A field-named issue for a `DecodingError`.
    static func issue(for error: DecodingError) -> ConfigIssue {
        switch error {
        case .keyNotFound(let key, let context):
            return ConfigIssue(field: path(context.codingPath + [key]), message: "is required")
        case .valueNotFound(let type, let context):
            return ConfigIssue(field: path(context.codingPath), message: "must be \(kind(of: type)), not null")
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            if field.isEmpty { return ConfigIssue(field: "", message: "config must be a JSON object") }
            return ConfigIssue(field: field, message: "must be \(kind(of: type))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return ConfigIssue(field: "", message: "config is not valid JSON")
            }
            return ConfigIssue(
                field: path(context.codingPath),
                message: "has an invalid value (a number out of range?)"
            )
        @unknown default:
            return ConfigIssue(field: "", message: "config could not be read")
        }
    }

    /// "a string", "a whole number", … for the Swift type a decoder expected.
    private static func kind(of type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "a whole number"
        case is Bool.Type: return "true or false"
        case is Double.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") || name.hasPrefix("[") && !name.contains(":") { return "a list" }
            if name.hasPrefix("Dictionary") || name.contains(":") { return "an object" }
            return "a valid value"
        }
    }
}
