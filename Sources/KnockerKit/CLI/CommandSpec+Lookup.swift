/// Lookups shared by the parser, help, completions and the man page, so they all see the same tree.
extension CommandSpec {
    /// The commands from `self` (the root) down along `path` (whose first element is the root's name). Stops at
    /// the deepest command that exists.
    func stack(for path: [String]) -> [CommandSpec] {
        var stack = [self]
        for name in path.dropFirst() {
            guard let next = stack[stack.count - 1].subcommand(named: name) else { break }
            stack.append(next)
        }
        return stack
    }

    /// The command's flags and options, in declaration order (positionals excluded).
    var ownOptions: [ArgumentSpec] { arguments.filter { $0.kind != .positional } }

    /// The command's positional arguments, in declaration order.
    var positionals: [ArgumentSpec] { arguments.filter { $0.kind == .positional } }

    /// The subcommands shown in help and offered by completions.
    var visibleSubcommands: [CommandSpec] { subcommands.filter { !$0.isHidden } }
}

/// A command together with where it sits in the tree.
struct CommandLocation {
    /// From the root down to the command.
    var stack: [CommandSpec]

    var root: CommandSpec { stack[0] }
    var command: CommandSpec { stack[stack.count - 1] }
    var isRoot: Bool { stack.count == 1 }
    /// Canonical names from the root down, e.g. `["knocker", "migrate", "up"]`.
    var path: [String] { stack.map(\.name) }

    init(root: CommandSpec, path: [String]) {
        stack = root.stack(for: path)
    }

    init(stack: [CommandSpec]) {
        self.stack = stack
    }

    /// Root options marked inherited, when this is not the root itself.
    var inheritedOptions: [ArgumentSpec] {
        isRoot ? [] : root.ownOptions.filter(\.isInherited)
    }

    /// Flags and options this command accepts besides the built-ins: its own, then inherited ones.
    var options: [ArgumentSpec] { command.ownOptions + inheritedOptions }

    /// Every argument whose value ends up in this command's ``ParsedArguments``.
    var allArguments: [ArgumentSpec] { command.arguments + inheritedOptions }

    /// `--version` (root only, when a version is set) and `-h, --help`, as shown in help and completions.
    var builtInOptions: [ArgumentSpec] {
        var result: [ArgumentSpec] = []
        if isRoot, root.version != nil, !options.contains(where: { $0.longName == "version" }) {
            result.append(.flag("version", help: "Show the version."))
        }
        result.append(.flag("help", short: "h", help: "Show help information."))
        return result
    }

    /// Flags and options shown in help and offered by completions, built-ins last.
    var visibleOptions: [ArgumentSpec] { options.filter { !$0.isHidden } + builtInOptions }

    /// The flag or option called `--name`.
    func option(long name: String) -> ArgumentSpec? { options.first { $0.longName == name } }

    /// The flag or option called `-c`.
    func option(short character: Character) -> ArgumentSpec? { options.first { $0.shortName == character } }
}

extension ArgumentSpec {
    /// `--name` if there is a long name, else `-n`.
    var preferredName: String {
        if let longName { return "--\(longName)" }
        if let shortName { return "-\(shortName)" }
        return key
    }

    /// How errors name the argument: `--format <format>`, `--json`, `<name>`.
    var displayName: String {
        switch kind {
        case .flag: preferredName
        case .option: "\(preferredName) <\(valueName)>"
        case .positional: "<\(valueName)>"
        }
    }

    /// Every name, short first: `-f, --format <format>`; `<name>` for positionals.
    var helpLabel: String {
        switch kind {
        case .positional:
            return "<\(valueName)>"
        case .flag, .option:
            var names: [String] = []
            if let shortName { names.append("-\(shortName)") }
            if let longName { names.append("--\(longName)") }
            let joined = names.joined(separator: ", ")
            return kind == .option ? "\(joined) <\(valueName)>" : joined
        }
    }

    /// Whether the synopsis shows the argument in brackets.
    var isOptionalInSynopsis: Bool { !isRequired || defaultValue != nil || kind == .flag }
}

/// Quoted list in argument-parser's style: `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`.
func quotedAlternatives(_ values: [String]) -> String {
    let quoted = values.map { "'\($0)'" }
    guard quoted.count > 1 else { return quoted.first ?? "" }
    return quoted.dropLast().joined(separator: ", ") + " or " + quoted[quoted.count - 1]
}
