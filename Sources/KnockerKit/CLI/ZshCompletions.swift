/// The zsh completion script (`#compdef knocker`, `_arguments` per command).
enum ZshCompletions {
    static func script(for root: CommandSpec) -> String {
        let tool = CompletionScripts.identifier(root.name)
        let rootFunction = CompletionScripts.functionName(CommandLocation(stack: [root]))
        var text = """
            #compdef \(root.name)

            __\(tool)_complete() {
                local -ar candidates=("${@}")
                _describe -V '' candidates
            }

            # Asks the binary for candidates: the arguments are the subcommand path, '--' and '--option' or
            # 'positional@N'.
            __\(tool)_custom_complete() {
                local -a candidates
                candidates=("${(@f)"$("${command_name}" ---completion "${@}" "$((CURRENT - 1))" \\
                    "$(__\(tool)_cursor_index_in_current_word)" "${command_line[@]}" 2>/dev/null)"}")
                _describe -V '' candidates
            }

            __\(tool)_cursor_index_in_current_word() {
                if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
                    printf 0
                else
                    printf %s "${#${(z)LBUFFER}[-1]}"
                fi
            }

            """
        for location in CompletionScripts.locations(root) {
            text += "\n" + function(location, tool: tool)
        }
        text += """

            if [[ "${funcstack[1]}" = \(rootFunction) ]]; then
                \(rootFunction) "${@}"
            else
                compdef \(rootFunction) \(root.name)
            fi

            """
        return text
    }

    private static func function(_ location: CommandLocation, tool: String) -> String {
        var body = "\(CompletionScripts.functionName(location))() {\n"
        if location.isRoot {
            body += """
                    emulate -RL zsh -G
                    setopt extendedglob nullglob numericglobsort
                    unsetopt aliases banghist

                    local -xr SAP_SHELL=zsh
                    local -x SAP_SHELL_VERSION
                    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
                    local -r SAP_SHELL_VERSION

                    local context state state_descr line
                    local -A opt_args
                    local -r command_name="${words[1]}"
                    local -ar command_line=("${words[@]}")

                """
        }
        body += "    local -i ret=1\n    local -ar arg_specs=(\n"
        let options = location.options.filter { !$0.isHidden } + location.builtInOptions
        for option in options {
            body += "        \(optionSpec(option, location: location))\n"
        }
        for positional in location.command.positionals where !positional.isHidden {
            let prefix = positional.isRepeating ? "*" : (positional.isRequired ? "" : ":")
            let action = self.action(positional, location: location, tool: tool)
            body += "        \(quote("\(prefix):\(positional.valueName):\(action)"))\n"
        }
        let subcommands = location.command.visibleSubcommands
        if !subcommands.isEmpty {
            body += "        '(-): :->command'\n        '(-)*:: :->arg'\n"
        }
        body += "    )\n    _arguments -w -s -S : \"${arg_specs[@]}\" && ret=0\n"
        if !subcommands.isEmpty {
            body += "\n    case \"${state}\" in\n    command)\n        local -ar subcommands=(\n"
            for subcommand in subcommands {
                body += "            \(quote("\(escapeColon(subcommand.name)):\(subcommand.abstract)"))\n"
            }
            body += "        )\n        _describe -V subcommand subcommands\n        ;;\n    arg)\n"
            body += "        case \"${words[1]}\" in\n"
            for subcommand in subcommands {
                let child = CommandLocation(stack: location.stack + [subcommand])
                let patterns = ([subcommand.name] + subcommand.aliases).map(CompletionScripts.singleQuoted)
                body += "        \(patterns.joined(separator: "|")))\n"
                body += "            \(CompletionScripts.functionName(child))\n            ;;\n"
            }
            body += "        esac\n        ;;\n    esac\n"
        }
        return body + "\n    return \"${ret}\"\n}\n"
    }

    /// `'(-h --help)'{-h,--help}'[Show help information.]'` and friends.
    private static func optionSpec(_ option: ArgumentSpec, location: CommandLocation) -> String {
        var names: [String] = []
        if let short = option.shortName { names.append("-\(short)") }
        if let long = option.longName { names.append("--\(long)") }
        var tail = "[\(escapeBrackets(option.help))]"
        if option.kind == .option {
            let tool = CompletionScripts.identifier(location.root.name)
            tail += ":\(escapeColon(option.valueName)):\(action(option, location: location, tool: tool))"
        }
        let repeatPrefix = option.isRepeating ? "*" : ""
        if names.count == 1 {
            return quote(repeatPrefix + names[0] + tail)
        }
        let exclusion = option.isRepeating ? quote("*") : quote("(\(names.joined(separator: " ")))")
        return exclusion + "{\(names.joined(separator: ","))}" + quote(tail)
    }

    /// The `_arguments` action completing a value.
    private static func action(_ argument: ArgumentSpec, location: CommandLocation, tool: String) -> String {
        switch argument.completion {
        case .none:
            return ""
        case .list(let values):
            return "{__\(tool)_complete \(values.map(CompletionScripts.shellWord).joined(separator: " "))}"
        case .file(let extensions):
            if extensions.isEmpty { return "_files" }
            return "_files -g \(CompletionScripts.singleQuoted(extensions.map { "*.\($0)" }.joined(separator: " ")))"
        case .directory:
            return "_files -/"
        case .custom:
            let path = location.path.dropFirst().map(CompletionScripts.shellWord).joined(separator: " ")
            let identifier = CompletionScripts.callbackIdentifier(argument, in: location.command)
            let arguments = (path.isEmpty ? "" : path + " ") + "-- " + CompletionScripts.shellWord(identifier)
            return "{__\(tool)_custom_complete \(arguments)}"
        }
    }

    /// `text` single-quoted for zsh, with embedded single quotes closed and reopened.
    private static func quote(_ text: String) -> String { CompletionScripts.singleQuoted(text) }

    private static func escapeBrackets(_ text: String) -> String {
        text.replacingAll("\\", with: "\\\\").replacingAll("[", with: "\\[").replacingAll("]", with: "\\]")
    }

    private static func escapeColon(_ text: String) -> String { text.replacingAll(":", with: "\\:") }
}
