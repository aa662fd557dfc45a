/// One left-to-right pass over argv: descends into subcommands, reads flags and options, collects positionals.
struct ArgumentWalk {
    let parser: CommandParser
    let arguments: [String]
    var wantsHelp = false
    var location: CommandLocation
    private var index = 0
    private var values: [String: [String]] = [:]
    private var sources: [String: ParsedArguments.Source] = [:]
    private var flagCounts: [String: Int] = [:]
    private var positionalWords: [String] = []
    private var wordsBeforeTerminator = 0
    private var terminated: [String] = []
    /// Words read since the current command was entered (for "no arguments at all" → full help).
    private var tokensForCommand = 0

    init(parser: CommandParser, arguments: [String]) {
        self.parser = parser
        self.arguments = arguments
        self.location = CommandLocation(stack: [parser.root])
    }

    mutating func run() throws(UsageError) {
        while index < arguments.count {
            let token = arguments[index]
            index += 1
            if token == "--" {
                terminated = Array(arguments[index...])
                tokensForCommand += terminated.count
                wordsBeforeTerminator = positionalWords.count
                positionalWords += terminated
                index = arguments.count
                return
            }
            let handled: Bool
            if token.hasPrefix("--") {
                handled = try longOption(token)
            } else if token.hasPrefix("-"), token.count > 1, !Self.isNegativeValue(token) {
                handled = try shortOptions(token)
            } else {
                handled = try word(token)
            }
            if handled {
                tokensForCommand += 1
            } else {
                index -= 1  // Entered the default subcommand; read the token again there.
            }
        }
        wordsBeforeTerminator = positionalWords.count
    }

    /// Enters the default subcommand when the current command cannot run by itself. Returns whether it did.
    @discardableResult
    mutating func enterDefaultSubcommand() -> Bool {
        let command = location.command
        guard command.action == nil, positionalWords.isEmpty, let name = command.defaultSubcommand,
            let next = command.subcommand(named: name)
        else { return false }
        location.stack.append(next)
        tokensForCommand = 0
        return true
    }

    // MARK: - Tokens

    private mutating func word(_ token: String) throws(UsageError) -> Bool {
        let command = location.command
        if positionalWords.isEmpty, let next = command.subcommand(named: token) {
            location.stack.append(next)
            tokensForCommand = -1  // The subcommand's own name is not one of its arguments.
            return true
        }
        if command.positionals.isEmpty, !command.subcommands.isEmpty {
            if enterDefaultSubcommand() { return false }
            throw parser.unknownCommand(token, in: location)
        }
        positionalWords.append(token)
        return true
    }

    private mutating func longOption(_ token: String) throws(UsageError) -> Bool {
        let body = token.dropFirst(2)
        let name = String(body.prefix { $0 != "=" })
        let inlineValue = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
        guard let spec = location.option(long: name) else {
            if name == "help" || (name == "version" && parser.root.version != nil) {
                if let inlineValue { throw parser.usage("Unexpected value '\(inlineValue)' for '--\(name)'", path) }
                return true
            }
            if enterDefaultSubcommand() { return false }
            let candidates = location.visibleOptions.compactMap(\.longName).map { "--\($0)" }
            var message = "Unknown option '--\(name)'"
            if let match = Suggestions.closest(to: "--\(name)", among: candidates) {
                message += ". Did you mean '\(match)'?"
            }
            throw parser.usage(message, path)
        }
        if spec.kind == .flag {
            if let inlineValue { throw parser.usage("Unexpected value '\(inlineValue)' for '--\(name)'", path) }
            flagCounts[spec.key, default: 0] += 1
            sources[spec.key] = .commandLine
        } else {
            let value: String
            if let inlineValue { value = inlineValue } else { value = try nextValue(for: spec) }
            try record(spec, value)
        }
        return true
    }

    private mutating func shortOptions(_ token: String) throws(UsageError) -> Bool {
        let characters = Array(token.dropFirst())
        var position = 0
        while position < characters.count {
            let character = characters[position]
            position += 1
            guard let spec = location.option(short: character) else {
                if character == "h" { continue }
                if position == 1, enterDefaultSubcommand() { return false }
                throw parser.usage("Unknown option '-\(character)'", path)
            }
            if spec.kind == .flag {
                flagCounts[spec.key, default: 0] += 1
                sources[spec.key] = .commandLine
                continue
            }
            var attached = String(characters[position...])
            if attached.hasPrefix("=") { attached.removeFirst() }
            try record(spec, attached.isEmpty ? nextValue(for: spec) : attached)
            return true
        }
        return true
    }

    /// The word after an option, unless it is missing or is itself an option.
    private mutating func nextValue(for spec: ArgumentSpec) throws(UsageError) -> String {
        guard index < arguments.count else {
            throw parser.usage("Missing value for '\(spec.displayName)'", path)
        }
        let candidate = arguments[index]
        if candidate.hasPrefix("-"), candidate.count > 1, !Self.isNegativeValue(candidate) {
            throw parser.usage("Missing value for '\(spec.displayName)'", path)
        }
        index += 1
        return candidate
    }

    /// Whether a word that starts with `-` is a value rather than options: a number (`-1`, `-1.5`, `-inf`) or what
    /// starts like one (`-5m`, `-.5s`). No short option is a digit, so `--since -5m` reaches the command, which says
    /// what is wrong with the value, instead of failing with "Missing value".
    static func isNegativeValue(_ word: String) -> Bool {
        guard word.hasPrefix("-") else { return false }
        if Double(word) != nil { return true }
        let rest = word.utf8.dropFirst()
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard let first = rest.first else { return false }
        if digits.contains(first) { return true }
        return first == UInt8(ascii: ".") && rest.dropFirst().first.map(digits.contains) == true
    }

    private mutating func record(_ spec: ArgumentSpec, _ value: String) throws(UsageError) {
        try validate(spec, value)
        if spec.isRepeating {
            values[spec.key, default: []].append(value)
        } else {
            values[spec.key] = [value]
        }
        sources[spec.key] = .commandLine
    }

    private func validate(_ spec: ArgumentSpec, _ value: String) throws(UsageError) {
        guard !spec.allowedValues.isEmpty, !spec.allowedValues.contains(value) else { return }
        throw parser.usage(
            "The value '\(value)' is invalid for '\(spec.displayName)'. "
                + "Please provide one of \(quotedAlternatives(spec.allowedValues)).",
            path
        )
    }

    private var path: [String] { location.path }

    // MARK: - Finishing

    /// For a command that only shows its help: any positional word is unexpected.
    func rejectStrayWords() throws(UsageError) {
        if let word = positionalWords.first { throw parser.usage("Unexpected argument '\(word)'", path) }
    }

    /// Assigns positionals, applies environment and default fallbacks, and checks required arguments.
    mutating func finish() throws(UsageError) -> ParsedArguments {
        var words = positionalWords[...]
        let positionals = location.command.positionals
        for spec in positionals {
            guard let first = words.first else { break }
            if spec.isRepeating {
                for word in words { try validate(spec, word) }
                values[spec.key] = Array(words)
                words = []
            } else {
                try validate(spec, first)
                values[spec.key] = [first]
                words = words.dropFirst()
            }
            sources[spec.key] = .commandLine
        }
        let leftoverOffset = positionalWords.count - words.count
        if let extra = words.first, !(positionals.isEmpty && leftoverOffset >= wordsBeforeTerminator) {
            throw parser.usage("Unexpected argument '\(extra)'", path)
        }
        for spec in location.allArguments {
            try applyFallbacks(spec)
        }
        for spec in location.allArguments where spec.isRequired && spec.kind != .flag && values[spec.key] == nil {
            let showHelp = tokensForCommand <= 0  // Nothing at all was given: show the whole help.
            throw parser.usage("Missing expected argument '\(spec.displayName)'", path, showHelp: showHelp)
        }
        return ParsedArguments(
            commandPath: path,
            values: values,
            sources: sources,
            flagCounts: flagCounts,
            terminated: terminated
        )
    }

    private mutating func applyFallbacks(_ spec: ArgumentSpec) throws(UsageError) {
        if spec.kind == .flag {
            guard flagCounts[spec.key] == nil, let name = spec.environment,
                let text = parser.environment[name], !text.isEmpty
            else { return }
            if !["0", "false", "no", "off"].contains(text.lowercased()) {
                flagCounts[spec.key] = 1
                sources[spec.key] = .environment(name)
            }
            return
        }
        guard values[spec.key] == nil else { return }
        if let name = spec.environment, let text = parser.environment[name], !text.isEmpty {
            try validate(spec, text)
            values[spec.key] = [text]
            sources[spec.key] = .environment(name)
        } else if let defaultValue = spec.defaultValue {
            values[spec.key] = [defaultValue]
            sources[spec.key] = .defaultValue
        }
    }
}
