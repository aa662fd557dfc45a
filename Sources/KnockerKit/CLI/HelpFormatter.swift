/// Renders `--help` text exactly as swift-argument-parser lays it out (see style.md §9.1).
public enum HelpFormatter {
    /// Labels are indented this far.
    public static let helpIndent = 2
    /// Help text starts at this column.
    public static let labelColumnWidth = 26
    /// Above this many options the synopsis shows `[<options>]`.
    public static let synopsisOptionLimit = 12

    /// The full help of the command at `path` (starting with the root's name), wrapped to `width` columns.
    /// Ends with a newline.
    public static func help(root: CommandSpec, path: [String], width: Int) -> String {
        help(for: CommandLocation(root: root, path: path), width: width)
    }

    /// The `USAGE:`-less synopsis of the command at `path`, on one line: `knocker migrate up [--steps <n>]`.
    public static func synopsis(root: CommandSpec, path: [String]) -> String {
        synopsis(for: CommandLocation(root: root, path: path))
    }

    static func help(for location: CommandLocation, width: Int) -> String {
        let command = location.command
        var blocks: [String] = []
        if !command.abstract.isEmpty {
            var overview = TextWrap.wrap("OVERVIEW: " + command.abstract, width: width).joined(separator: "\n")
            if !command.discussion.isEmpty {
                overview += "\n\n" + TextWrap.wrapParagraphs(command.discussion, width: width).joined(separator: "\n")
            }
            blocks.append(overview + "\n")
        }
        blocks.append(TextWrap.hanging("USAGE: ", synopsis(for: location), width: width) + "\n")

        let arguments = command.positionals.filter { !$0.isHidden }
        if !arguments.isEmpty {
            blocks.append(section("ARGUMENTS", arguments.map { row($0, width: width) }))
        }
        blocks.append(section("OPTIONS", location.visibleOptions.map { row($0, width: width) }))

        let subcommands = command.visibleSubcommands
        if !subcommands.isEmpty {
            let rows = subcommands.map { subcommand in
                var label = ([subcommand.name] + subcommand.aliases).joined(separator: ", ")
                if subcommand.name == command.defaultSubcommand { label += " (default)" }
                return element(label: label, text: subcommand.abstract, width: width)
            }
            let pathText = location.path.dropFirst().map { $0 + " " }.joined()
            let footer = "  See '\(location.root.name) help \(pathText)<subcommand>' for detailed help.\n"
            blocks.append(section("SUBCOMMANDS", rows) + "\n" + footer)
        }
        return blocks.joined(separator: "\n")
    }

    static func synopsis(for location: CommandLocation) -> String {
        let command = location.command
        var parts = location.path
        let arguments = command.arguments.filter { !$0.isHidden }
        let optionCount = arguments.filter { $0.kind != .positional }.count
        if optionCount > synopsisOptionLimit {
            parts.append("[<options>]")
            parts += arguments.filter { $0.kind == .positional }.map(synopsisElement)
        } else {
            parts += arguments.map(synopsisElement)
        }
        if !command.subcommands.isEmpty { parts.append("<subcommand>") }
        return parts.joined(separator: " ")
    }

    static func synopsisElement(_ argument: ArgumentSpec) -> String {
        var text: String
        switch argument.kind {
        case .flag: text = argument.preferredName
        case .option: text = "\(argument.preferredName) <\(argument.valueName)>"
        case .positional: text = "<\(argument.valueName)>"
        }
        if argument.isRepeating { text += " ..." }
        return argument.isOptionalInSynopsis ? "[\(text)]" : text
    }

    /// `(values: a, b; default: x; env: VAR)`, or nothing.
    static func suffix(_ argument: ArgumentSpec) -> String {
        var parts: [String] = []
        if !argument.allowedValues.isEmpty { parts.append("values: " + argument.allowedValues.joined(separator: ", ")) }
        if let defaultValue = argument.defaultValue { parts.append("default: \(defaultValue)") }
        if let environment = argument.environment { parts.append("env: \(environment)") }
        return parts.isEmpty ? "" : "(" + parts.joined(separator: "; ") + ")"
    }

    private static func row(_ argument: ArgumentSpec, width: Int) -> String {
        let suffix = suffix(argument)
        let text = [argument.help, suffix].filter { !$0.isEmpty }.joined(separator: " ")
        return element(label: argument.helpLabel, text: text, width: width)
    }

    private static func section(_ title: String, _ rows: [String]) -> String {
        "\(title):\n" + rows.joined()
    }

    /// One labelled row: the label at column 2, the text from column 26 (on the next line if the label is long).
    static func element(label: String, text: String, width: Int) -> String {
        let padded = String(repeating: " ", count: helpIndent) + label
        guard !text.isEmpty else { return padded + "\n" }
        var lines = TextWrap.wrap(text, width: width, indent: labelColumnWidth)
        if padded.count < labelColumnWidth {
            lines[0] = padded + lines[0].dropFirst(padded.count)
            return lines.joined(separator: "\n") + "\n"
        }
        return padded + "\n" + lines.joined(separator: "\n") + "\n"
    }
}
