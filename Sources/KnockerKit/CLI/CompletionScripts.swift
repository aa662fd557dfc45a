import Foundation

/// Shell completion scripts generated from the command tree (`knocker --generate-completion-script <shell>`).
public enum CompletionScripts {
    /// The completion script for `shell`, following argument-parser's script shapes (style.md §9.3).
    public static func script(for root: CommandSpec, shell: CompletionShell) -> String {
        switch shell {
        case .bash: BashCompletions.script(for: root)
        case .zsh: ZshCompletions.script(for: root)
        case .fish: FishCompletions.script(for: root)
        }
    }

    /// Every visible command, root first, depth first.
    static func locations(_ root: CommandSpec) -> [CommandLocation] {
        var result: [CommandLocation] = []
        func visit(_ stack: [CommandSpec]) {
            result.append(CommandLocation(stack: stack))
            for subcommand in stack[stack.count - 1].visibleSubcommands { visit(stack + [subcommand]) }
        }
        visit([root])
        return result
    }

    /// `_knocker_migrate_up`: the shell function completing the command at `location`.
    static func functionName(_ location: CommandLocation) -> String {
        location.path.map(identifier).joined(separator: "_").withUnderscorePrefix
    }

    /// `name` with everything but letters, digits and `_` replaced by `_`.
    static func identifier(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    }

    /// The identifier the `---completion` callback uses for an argument: `--name` or `positional@N`.
    static func callbackIdentifier(_ argument: ArgumentSpec, in command: CommandSpec) -> String {
        if argument.kind == .positional {
            let number = command.positionals.firstIndex { $0.key == argument.key } ?? 0
            return "positional@\(number)"
        }
        return argument.preferredName
    }

    /// `text` unquoted when it is a plain word (letters, digits, `_`, `.`, `-`, `/`, `@`), else single-quoted.
    static func shellWord(_ text: String) -> String {
        let plain = !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || "_.-/@".contains($0) }
        return plain ? text : singleQuoted(text)
    }

    /// `text` as a single-quoted POSIX shell word.
    static func singleQuoted(_ text: String) -> String {
        "'" + text.replacingAll("'", with: "'\\''") + "'"
    }
}

extension String {
    fileprivate var withUnderscorePrefix: String { "_" + self }

    /// Every occurrence of `target` replaced by `replacement`.
    func replacingAll(_ target: String, with replacement: String) -> String {
        replacingOccurrences(of: target, with: replacement)
    }
}
