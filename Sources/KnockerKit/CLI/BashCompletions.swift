/// The bash completion script (`complete -o filenames -F _knocker knocker`).
enum BashCompletions {
    static func script(for root: CommandSpec) -> String {
        let tool = CompletionScripts.identifier(root.name)
        var text = """
            #!/bin/bash

            __\(tool)_add_completions() {
                local completion
                while IFS='' read -r completion; do
                    COMPREPLY+=("${completion}")
                done < <(IFS=$'\\n' compgen "${@}" -- "${cur}")
            }

            __\(tool)_cursor_index_in_current_word() {
                local remaining="${COMP_LINE}"
                local word
                for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
                    remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
                done
                local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
                if [[ "${index}" -le 0 ]]; then
                    printf 0
                else
                    printf %s "${index}"
                fi
            }

            # Asks the binary for candidates: $1 is '--option' or 'positional@N'.
            __\(tool)_custom_complete() {
                local candidates
                candidates="$("${COMP_WORDS[0]}" ---completion "${subcommand_path[@]}" -- "${1}" "${COMP_CWORD}" \\
                    "$(__\(tool)_cursor_index_in_current_word)" "${COMP_WORDS[@]}" 2>/dev/null)"
                __\(tool)_add_completions -W "${candidates}"
            }

            # Whether $1 is an option that takes a value in the current (sub)command.
            __\(tool)_takes_value() {
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${1}" == "${option}" ]] && return 0
                done
                return 1
            }

            # Counts the positionals before the cursor into positional_number (1-based, for the word being
            # completed) and offers the flags and options when the word starts with '-'.
            __\(tool)_offer_flags_options() {
                positional_number=1
                local -i word_index
                local -i skip_next=0
                local -i terminated=0
                for ((word_index = command_start; word_index < COMP_CWORD; word_index++)); do
                    local word="${COMP_WORDS[word_index]}"
                    if ((skip_next)); then
                        skip_next=0
                    elif ((!terminated)) && [[ "${word}" == -- ]]; then
                        terminated=1
                    elif ((!terminated)) && [[ "${word}" == -* ]]; then
                        if [[ "${word}" != *=* ]] && __\(tool)_takes_value "${word}"; then
                            skip_next=1
                        fi
                    else
                        ((positional_number++))
                    fi
                done
                if ((!terminated)) && [[ "${cur}" == -* ]]; then
                    local -a offered=("${repeating_flags[@]}" "${repeating_options[@]}")
                    local option
                    for option in "${non_repeating_flags[@]}" "${non_repeating_options[@]}"; do
                        local used=0
                        for ((word_index = command_start; word_index < COMP_CWORD; word_index++)); do
                            [[ "${COMP_WORDS[word_index]}" == "${option}" ]] && used=1
                        done
                        ((used)) || offered+=("${option}")
                    done
                    local IFS=$'\\n'
                    __\(tool)_add_completions -W "${offered[*]}"
                    return 0
                fi
                return 1
            }

            """
        for location in CompletionScripts.locations(root) {
            text += "\n" + function(location, tool: tool)
        }
        text += "\ncomplete -o filenames -F \(CompletionScripts.functionName(CommandLocation(stack: [root]))) "
        text += "\(root.name)\n"
        return text
    }

    private static func function(_ location: CommandLocation, tool: String) -> String {
        let name = CompletionScripts.functionName(location)
        let options = location.options.filter { !$0.isHidden } + location.builtInOptions
        func names(_ argument: ArgumentSpec) -> [String] {
            (argument.longName.map { ["--\($0)"] } ?? []) + (argument.shortName.map { ["-\($0)"] } ?? [])
        }
        func array(_ name: String, _ selected: [ArgumentSpec]) -> String {
            "    \(name)=(\(selected.flatMap(names).joined(separator: " ")))\n"
        }
        var body = "\(name)() {\n"
        if location.isRoot {
            body += """
                    local -r state="$(shopt -p extglob)"
                    trap "${state}; trap - RETURN" RETURN
                    shopt -s extglob
                    export SAP_SHELL=bash
                    export SAP_SHELL_VERSION="${BASH_VERSINFO[0]}"
                    local -r cur="${2}"
                    local -r prev="${3}"
                    local -i command_start=1
                    local -i positional_number
                    local -a subcommand_path=()
                    local -a repeating_flags non_repeating_flags repeating_options non_repeating_options
                    COMPREPLY=()

                """
        }
        let flags = options.filter { $0.kind == .flag }
        let valued = options.filter { $0.kind == .option }
        body += array("repeating_flags", flags.filter(\.isRepeating))
        body += array("non_repeating_flags", flags.filter { !$0.isRepeating })
        body += array("repeating_options", valued.filter(\.isRepeating))
        body += array("non_repeating_options", valued.filter { !$0.isRepeating })

        let subcommands = location.command.visibleSubcommands
        if !subcommands.isEmpty {
            body += """
                    local -i word_index
                    local -i skip_next=0
                    for ((word_index = command_start; word_index < COMP_CWORD; word_index++)); do
                        local word="${COMP_WORDS[word_index]}"
                        if ((skip_next)); then
                            skip_next=0
                            continue
                        fi
                        case "${word}" in

                """
            for subcommand in subcommands {
                let child = CommandLocation(stack: location.stack + [subcommand])
                let patterns = ([subcommand.name] + subcommand.aliases).map(CompletionScripts.singleQuoted)
                body += "        \(patterns.joined(separator: "|")))\n"
                body += "            subcommand_path+=(\(CompletionScripts.singleQuoted(subcommand.name)))\n"
                body += "            command_start=$((word_index + 1))\n"
                body += "            \(CompletionScripts.functionName(child))\n"
                body += "            return\n"
                body += "            ;;\n"
            }
            body += """
                        -*)
                            if [[ "${word}" != *=* ]] && __\(tool)_takes_value "${word}"; then
                                skip_next=1
                            fi
                            ;;
                        esac
                    done

                """
        }

        if !valued.isEmpty {
            body += "    case \"${prev}\" in\n"
            for option in valued {
                let patterns = names(option).map(CompletionScripts.singleQuoted).joined(separator: "|")
                body += "    \(patterns))\n"
                if let line = completionLine(option, command: location.command, tool: tool) {
                    body += "        \(line)\n"
                }
                body += "        return\n        ;;\n"
            }
            body += "    esac\n"
        }
        body += "    __\(tool)_offer_flags_options && return\n"

        let positionals = location.command.positionals.filter { !$0.isHidden }
        if !positionals.isEmpty {
            body += "    case \"${positional_number}\" in\n"
            for (number, positional) in positionals.enumerated() {
                let label = positional.isRepeating ? "\(number + 1)|[\(number + 2)-9]|[1-9][0-9]" : "\(number + 1)"
                body += "    \(label))\n"
                if let line = completionLine(positional, command: location.command, tool: tool) {
                    body += "        \(line)\n"
                }
                body += "        return\n        ;;\n"
                if positional.isRepeating { break }
            }
            body += "    esac\n"
        }
        if !subcommands.isEmpty {
            let words = subcommands.map { CompletionScripts.singleQuoted($0.name) }.joined(separator: "$'\\n'")
            body += "    if ((positional_number == 1)); then\n"
            body += "        __\(tool)_add_completions -W \(words)\n"
            body += "    fi\n"
        }
        return body + "}\n"
    }

    /// The `__knocker_add_completions …` line completing an option's or positional's value.
    private static func completionLine(_ argument: ArgumentSpec, command: CommandSpec, tool: String) -> String? {
        switch argument.completion {
        case .none:
            return nil
        case .list(let values):
            let words = values.map(CompletionScripts.singleQuoted).joined(separator: "$'\\n'")
            return "__\(tool)_add_completions -W \(words)"
        case .file(let extensions):
            if extensions.isEmpty { return "__\(tool)_add_completions -f" }
            return "__\(tool)_add_completions -o plusdirs -fX '!*.@(\(extensions.joined(separator: "|")))'"
        case .directory:
            return "__\(tool)_add_completions -d"
        case .custom:
            let identifier = CompletionScripts.callbackIdentifier(argument, in: command)
            return "__\(tool)_custom_complete \(CompletionScripts.singleQuoted(identifier))"
        }
    }
}
