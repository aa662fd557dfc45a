/// Where a configuration value came from, in precedence order: a flag beats the environment, which beats the
/// `.env` file, which beats the default.
public enum ConfigSource: Sendable, Equatable, CustomStringConvertible {
    case flag(String)
    case environment
    case dotEnv(String)
    case defaultValue
    case derived
    case unset

    public var description: String {
        switch self {
        case .flag(let name): "flag --\(name)"
        case .environment: "environment"
        case .dotEnv(let path): path
        case .defaultValue: "default"
        case .derived: "derived"
        case .unset: "unset"
        }
    }
}

/// One setting after loading: its text, where it came from and how to show it.
public struct ResolvedSetting: Sendable {
    public var key: ConfigKey
    public var value: String?
    public var source: ConfigSource

    /// The value with secrets masked: passwords in URLs become `****`, other secrets are hidden entirely.
    public var displayValue: String {
        guard let value else { return "" }
        guard key.isSecret else { return value }
        if case .url = key.kind { return Secrets.maskURL(value) }
        return value.isEmpty ? "" : "********"
    }
}

/// A configuration value that is not what its setting expects.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var key: String
    public var value: String
    public var source: ConfigSource
    public var reason: String

    public var description: String {
        let shown = ConfigKey.all.first { $0.name == key }?.isSecret == true ? Secrets.maskURL(value) : value
        return "invalid \(key) '\(shown)' (from \(source)): \(reason)"
    }
}

enum Secrets {
    /// `scheme://user:secret@host/…` → `scheme://user:****@host/…`; conninfo `password=x` → `password=****`.
    static func maskURL(_ text: String) -> String {
        if let schemeEnd = text.range(of: "://") {
            let authorityStart = schemeEnd.upperBound
            let rest = text[authorityStart...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            guard let at = authority.lastIndex(of: "@") else { return text }
            let userInfo = authority[..<at]
            guard let colon = userInfo.firstIndex(of: ":") else { return text }
            return String(text[..<text.index(after: colon)]) + "****" + String(text[at...])
        }
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for index in words.indices where words[index].hasPrefix("password=") {
            words[index] = "password=****"
        }
        return words.joined(separator: " ")
    }
}
