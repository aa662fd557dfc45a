/// The one command table. Parsing, `--help`, usage errors, shell completions and the man page are all produced
/// from this tree, so they cannot disagree.
public struct CommandSpec: Sendable {
    /// What a command does when it runs. Returns the process exit code; throwing prints `Error: …` and exits 1
    /// (``UsageError`` prints the usage too and exits 64).
    public typealias Action = @Sendable (CommandContext) async throws -> Int32

    public var name: String
    public var aliases: [String]
    public var abstract: String
    public var discussion: String
    public var arguments: [ArgumentSpec]
    public var subcommands: [CommandSpec]
    /// The subcommand run when none is named (e.g. `migrate` → `status`); `nil` means help is shown instead.
    public var defaultSubcommand: String?
    /// Version string printed by `--version` (set on the root).
    public var version: String?
    public var isHidden: Bool
    public var action: Action?

    public init(
        name: String,
        aliases: [String] = [],
        abstract: String,
        discussion: String = "",
        arguments: [ArgumentSpec] = [],
        subcommands: [CommandSpec] = [],
        defaultSubcommand: String? = nil,
        version: String? = nil,
        isHidden: Bool = false,
        action: Action? = nil
    ) {
        self.name = name
        self.aliases = aliases
        self.abstract = abstract
        self.discussion = discussion
        self.arguments = arguments
        self.subcommands = subcommands
        self.defaultSubcommand = defaultSubcommand
        self.version = version
        self.isHidden = isHidden
        self.action = action
    }

    /// The subcommand called `name` or with `name` as an alias.
    public func subcommand(named name: String) -> CommandSpec? {
        subcommands.first { $0.name == name || $0.aliases.contains(name) }
    }
}

/// One flag, option or positional argument of a command.
public struct ArgumentSpec: Sendable {
    public enum Kind: Sendable, Equatable {
        /// `--verbose`: present or not (repeatable flags count).
        case flag
        /// `--region eu`, `--region=eu`, `-r eu`.
        case option
        /// A bare word at a position.
        case positional
    }

    /// How shells complete the value.
    public enum Completion: Sendable, Equatable {
        case none
        case list([String])
        case file(extensions: [String])
        case directory
        /// Ask the binary at completion time (`knocker ---completion …`), e.g. for monitor IDs.
        case custom
    }

    public var kind: Kind
    /// The key the parsed value is stored under: the long name for flags and options, the value name for
    /// positionals.
    public var key: String
    public var longName: String?
    public var shortName: Character?
    /// `<level>` in `--log-level <level>`, `<name>` for a positional.
    public var valueName: String
    public var help: String
    public var defaultValue: String?
    /// The only accepted values, when the set is closed.
    public var allowedValues: [String]
    /// An environment variable consulted when the argument is absent from the command line; shown in help.
    public var environment: String?
    public var isRepeating: Bool
    public var isRequired: Bool
    /// Options of the root marked inherited are accepted after any subcommand and listed in its help.
    public var isInherited: Bool
    public var isHidden: Bool
    public var completion: Completion
    /// Produces candidates for ``Completion/custom`` when a shell calls `knocker ---completion …`; receives the
    /// words after the argument identifier (word index, cursor index, then the command line's words).
    public var dynamicCompletion: (@Sendable ([String]) async -> [String])? = nil

    public init(
        kind: Kind,
        key: String,
        longName: String?,
        shortName: Character?,
        valueName: String,
        help: String,
        defaultValue: String?,
        allowedValues: [String],
        environment: String?,
        isRepeating: Bool,
        isRequired: Bool,
        isInherited: Bool,
        isHidden: Bool,
        completion: Completion
    ) {
        self.kind = kind
        self.key = key
        self.longName = longName
        self.shortName = shortName
        self.valueName = valueName
        self.help = help
        self.defaultValue = defaultValue
        self.allowedValues = allowedValues
        self.environment = environment
        self.isRepeating = isRepeating
        self.isRequired = isRequired
        self.isInherited = isInherited
        self.isHidden = isHidden
        self.completion = completion
    }

    /// A flag such as `--json` or `-v, --verbose`.
    public static func flag(
        _ long: String,
        short: Character? = nil,
        help: String,
        repeating: Bool = false,
        inherited: Bool = false,
        hidden: Bool = false
    ) -> ArgumentSpec {
        ArgumentSpec(
            kind: .flag,
            key: long,
            longName: long,
            shortName: short,
            valueName: "",
            help: help,
            defaultValue: nil,
            allowedValues: [],
            environment: nil,
            isRepeating: repeating,
            isRequired: false,
            isInherited: inherited,
            isHidden: hidden,
            completion: .none
        )
    }

    /// An option that takes a value, such as `--log-level <level>`.
    public static func option(
        _ long: String,
        short: Character? = nil,
        value: String,
        help: String,
        default defaultValue: String? = nil,
        values allowedValues: [String] = [],
        environment: String? = nil,
        repeating: Bool = false,
        required: Bool = false,
        inherited: Bool = false,
        hidden: Bool = false,
        completion: Completion? = nil
    ) -> ArgumentSpec {
        ArgumentSpec(
            kind: .option,
            key: long,
            longName: long,
            shortName: short,
            valueName: value,
            help: help,
            defaultValue: defaultValue,
            allowedValues: allowedValues,
            environment: environment,
            isRepeating: repeating,
            isRequired: required,
            isInherited: inherited,
            isHidden: hidden,
            completion: completion ?? (allowedValues.isEmpty ? .none : .list(allowedValues))
        )
    }

    /// A positional argument such as `<name>`.
    public static func positional(
        _ name: String,
        help: String,
        required: Bool = true,
        repeating: Bool = false,
        values allowedValues: [String] = [],
        completion: Completion? = nil
    ) -> ArgumentSpec {
        ArgumentSpec(
            kind: .positional,
            key: name,
            longName: nil,
            shortName: nil,
            valueName: name,
            help: help,
            defaultValue: nil,
            allowedValues: allowedValues,
            environment: nil,
            isRepeating: repeating,
            isRequired: required,
            isInherited: false,
            isHidden: false,
            completion: completion ?? (allowedValues.isEmpty ? .none : .list(allowedValues))
        )
    }
}
