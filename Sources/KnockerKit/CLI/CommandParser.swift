/// What a command line asks for, once parsed.
enum ParseOutcome {
    /// Run the command's action.
    case run(CommandLocation, ParsedArguments)
    /// Print the help of the command at this path (stdout, exit 0).
    case help(CommandLocation)
    /// Print this version (stdout, exit 0).
    case version(String)
    /// `--generate-completion-script <shell>`.
    case completionScript(CompletionShell)
    /// `--generate-manual`.
    case manual
    /// `---completion <path…> -- <argument> <word-index> <cursor-index> <words…>`.
    case dynamicCompletion(CommandLocation, ArgumentSpec?, [String])
}

/// Turns argv into a ``ParseOutcome`` following argument-parser's rules and error texts.
struct CommandParser {
    let root: CommandSpec
    let environment: [String: String]

    /// Parses `arguments` (without the program name).
    func parse(_ arguments: [String]) throws(UsageError) -> ParseOutcome {
        if let first = arguments.first {
            switch first {
            case "---completion":
                return dynamicCompletion(Array(arguments.dropFirst()))
            case "--generate-manual":
                if arguments.count > 1 { throw usage("Unexpected argument '\(arguments[1])'", [root.name]) }
                return .manual
            case "help" where !root.subcommands.isEmpty && root.subcommand(named: "help") == nil:
                return try helpCommand(Array(arguments.dropFirst()))
            default:
                if first == "--generate-completion-script" || first.hasPrefix("--generate-completion-script=") {
                    return try completionScript(arguments)
                }
            }
        }
        let beforeTerminator = arguments.prefix { $0 != "--" }
        var walk = ArgumentWalk(parser: self, arguments: arguments)
        walk.wantsHelp = beforeTerminator.contains("--help") || beforeTerminator.contains("-h")
        let version = root.version.flatMap { beforeTerminator.contains("--version") ? $0 : nil }
        do {
            try walk.run()
        } catch {
            if walk.wantsHelp { return .help(walk.location) }
            if let version { return .version(version) }
            throw error
        }
        if walk.wantsHelp { return .help(walk.location) }
        if let version { return .version(version) }
        walk.enterDefaultSubcommand()
        if walk.location.command.action == nil {
            try walk.rejectStrayWords()
            return .help(walk.location)
        }
        return .run(walk.location, try walk.finish())
    }

    /// `knocker help <command…>`: the help of that command, or an unknown-command error.
    private func helpCommand(_ words: [String]) throws(UsageError) -> ParseOutcome {
        var location = CommandLocation(stack: [root])
        for word in words where !word.hasPrefix("-") {
            guard let next = location.command.subcommand(named: word) else {
                throw unknownCommand(word, in: location)
            }
            location.stack.append(next)
        }
        return .help(location)
    }

    private func completionScript(_ arguments: [String]) throws(UsageError) -> ParseOutcome {
        var rest = Array(arguments.dropFirst())
        var name: String?
        if let equals = arguments[0].firstIndex(of: "=") {
            name = String(arguments[0][arguments[0].index(after: equals)...])
        } else if !rest.isEmpty {
            name = rest.removeFirst()
        }
        if let extra = rest.first { throw usage("Unexpected argument '\(extra)'", [root.name]) }
        let shellName = name ?? environment["SHELL"].map { String($0.split(separator: "/").last ?? "") } ?? ""
        guard let shell = CompletionShell(rawValue: shellName) else {
            let names = quotedAlternatives(CompletionShell.allCases.map(\.rawValue))
            let shown = shellName.isEmpty ? "an unknown shell" : "'\(shellName)'"
            throw usage("Can't generate completion scripts for \(shown). Please provide one of \(names).", [root.name])
        }
        return .completionScript(shell)
    }

    private func dynamicCompletion(_ words: [String]) -> ParseOutcome {
        var location = CommandLocation(stack: [root])
        var index = 0
        while index < words.count, words[index] != "--" {
            if let next = location.command.subcommand(named: words[index]) { location.stack.append(next) }
            index += 1
        }
        index += 1
        guard index < words.count else { return .dynamicCompletion(location, nil, []) }
        let identifier = words[index]
        let rest = Array(words.dropFirst(index + 1))
        var argument: ArgumentSpec?
        if identifier.hasPrefix("--") {
            argument = location.option(long: String(identifier.dropFirst(2)))
        } else if identifier.hasPrefix("positional@"), let number = Int(identifier.dropFirst("positional@".count)) {
            let positionals = location.command.positionals
            if positionals.indices.contains(number) { argument = positionals[number] }
        }
        return .dynamicCompletion(location, argument, rest)
    }

    func usage(_ message: String, _ path: [String], showHelp: Bool = false) -> UsageError {
        UsageError(message, commandPath: path, showHelp: showHelp)
    }

    func unknownCommand(_ word: String, in location: CommandLocation) -> UsageError {
        let names = location.command.visibleSubcommands.flatMap { [$0.name] + $0.aliases }
        var message = "Unknown command '\(word)'"
        if let match = Suggestions.closest(to: word, among: names) { message += ". Did you mean '\(match)'?" }
        return usage(message, location.path)
    }
}

/// The shells `--generate-completion-script` knows.
public enum CompletionShell: String, CaseIterable, Sendable {
    case bash
    case zsh
    case fish
}
