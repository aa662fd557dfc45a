/// What the parser read for one command invocation.
public struct ParsedArguments: Sendable {
    /// Where a value came from.
    public enum Source: Sendable, Equatable {
        case commandLine
        case environment(String)
        case defaultValue
    }

    /// The command names from the root down, e.g. `["knocker", "migrate", "up"]`.
    public var commandPath: [String]
    /// Values by ``ArgumentSpec/key``, in command-line order (repeated options keep every value).
    public var values: [String: [String]]
    /// Where each key's values came from.
    public var sources: [String: Source]
    /// How many times each flag was given.
    public var flagCounts: [String: Int]
    /// Words after a literal `--`, which are never read as options.
    public var terminated: [String]

    public init(
        commandPath: [String] = [],
        values: [String: [String]] = [:],
        sources: [String: Source] = [:],
        flagCounts: [String: Int] = [:],
        terminated: [String] = []
    ) {
        self.commandPath = commandPath
        self.values = values
        self.sources = sources
        self.flagCounts = flagCounts
        self.terminated = terminated
    }

    /// The last value of an option or positional.
    public func string(_ key: String) -> String? { values[key]?.last }

    /// Every value of a repeating option or positional.
    public func strings(_ key: String) -> [String] { values[key] ?? [] }

    /// Whether a flag was given.
    public func flag(_ key: String) -> Bool { (flagCounts[key] ?? 0) > 0 }

    /// Whether the flag or option was given on the command line.
    public func has(_ key: String) -> Bool { flag(key) || sources[key] == .commandLine }

    /// The value only if it was typed on the command line (used by configuration, which does its own
    /// environment lookup so it can report where each value came from).
    public func commandLineValue(_ key: String) -> String? {
        sources[key] == .commandLine ? values[key]?.last : nil
    }

    /// An integer option, or a usage error naming the option.
    public func int(_ key: String, in range: ClosedRange<Int>? = nil) throws(UsageError) -> Int? {
        guard let text = string(key) else { return nil }
        guard let value = Int(text), range.map({ $0.contains(value) }) ?? true else {
            let expected = range.map { "an integer from \($0.lowerBound) to \($0.upperBound)" } ?? "an integer"
            throw UsageError("The value '\(text)' is invalid for '\(displayName(key))'; expected \(expected).")
        }
        return value
    }

    /// A duration option (`500ms`, `10s`, `2m`, `1h`, `7d`, bare seconds), or a usage error naming the option and
    /// the range.
    public func duration(_ key: String, in range: ClosedRange<Duration>) throws(UsageError) -> Duration? {
        guard let text = string(key) else { return nil }
        switch DurationText.parse(text, in: range) {
        case .success(let duration):
            return duration
        case .failure(let invalid):
            throw UsageError("The value '\(text)' is invalid for '\(displayName(key))'; \(invalid.reason).")
        }
    }

    private func displayName(_ key: String) -> String {
        values[key] != nil && sources[key] != nil ? "--\(key)" : key
    }
}

/// A mistake in how a command was called. Printed as `Error: …` followed by the command's usage; exit 64.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// The command path whose usage should follow, when known.
    public var commandPath: [String]
    /// Show the whole help instead of only the usage line (no arguments where some are required).
    public var showHelp: Bool

    public init(_ message: String, commandPath: [String] = [], showHelp: Bool = false) {
        self.message = message
        self.commandPath = commandPath
        self.showHelp = showHelp
    }

    public var description: String { message }
}

/// Exit codes every command uses.
public enum ExitCode {
    public static let success: Int32 = 0
    public static let failure: Int32 = 1
    /// EX_USAGE
    public static let usage: Int32 = 64
}
