/// The fish completion script (`complete -c knocker …`).
enum FishCompletions {
    static func script(for root: CommandSpec) -> String {
        let tool = CompletionScripts.identifier(root.name)
        var switchArms = ""
        for location in CompletionScripts.locations(root) where !location.isRoot {
            let parent = location.path.dropLast().joined(separator: " ")
            let names = [location.command.name] + location.command.aliases
            let patterns = names.map { quote("\(parent) \($0)") }.joined(separator: " ")
            switchArms += "            case \(patterns)\n"
            switchArms += "                set path \(quote(location.path.joined(separator: " ")))\n"
            switchArms += "                set positionals 0\n                continue\n"
        }
        let valued = CompletionScripts.locations(root).flatMap { location in
            location.options.filter { $0.kind == .option }.flatMap { option in
                (option.longName.map { ["--\($0)"] } ?? []) + (option.shortName.map { ["-\($0)"] } ?? [])
            }
        }
        var text = """
            # Prints the subcommand path being completed (e.g. 'knocker migrate') and how many positionals follow it.
            function __\(tool)_parse_tokens
                set -l path \(quote(root.name))
                set -l positionals 0
                set -l skip_next 0
                set -l terminated 0
                for token in (commandline -opc)[2..-1]
                    if test $skip_next -eq 1
                        set skip_next 0
                        continue
                    end
                    if test $terminated -eq 0
                        if test "$token" = '--'
                            set terminated 1
                            continue
                        end
                        if string match -q -- '-*' $token
                            if contains -- $token \(valued.map(quote).joined(separator: " "))
                                set skip_next 1
                            end
                            continue
                        end
                        if test $positionals -eq 0
                            switch "$path $token"

            """
        text += switchArms
        text += """
                            end
                        end
                    end
                    set positionals (math $positionals + 1)
                end
                echo $path
                echo $positionals
            end

            function __\(tool)_should_offer_completions_for_flags_or_options -a expected_path
                set -l parsed (__\(tool)_parse_tokens)
                test "$parsed[1]" = "$expected_path"
            end

            function __\(tool)_should_offer_completions_for_positional -a expected_path comparison number
                set -l parsed (__\(tool)_parse_tokens)
                test "$parsed[1]" = "$expected_path"; and test (math $parsed[2] + 1) $comparison $number
            end

            function __\(tool)_complete_directories
                __fish_complete_directories (commandline -ct) ''
            end

            # Asks the binary for candidates: the arguments are the subcommand path, '--' and '--option' or
            # 'positional@N'.
            function __\(tool)_custom_completion
                set -l tokens (commandline -op)
                set -l cursor (string length -- (commandline -ct))
                \(quote(root.name)) ---completion $argv (math (count $tokens) - 1) $cursor $tokens
            end

            complete -c \(quote(root.name)) -f

            """
        for location in CompletionScripts.locations(root) {
            text += lines(location, tool: tool)
        }
        return text
    }

    private static func lines(_ location: CommandLocation, tool: String) -> String {
        let command = quote(location.root.name)
        let path = location.path.joined(separator: " ")
        var text = ""
        let options = location.options.filter { !$0.isHidden } + location.builtInOptions
        for option in options {
            let names = [option.longName, option.shortName.map(String.init)].compactMap { $0 }.joined(separator: " ")
            let condition = "__\(tool)_should_offer_completions_for_flags_or_options \"\(path)\" \(names)"
            var line = "complete -c \(command) -n \(quote(condition))"
            if let long = option.longName { line += " -l \(quote(long))" }
            if let short = option.shortName { line += " -s \(quote(String(short)))" }
            line += " -d \(quote(option.help))"
            if option.kind == .option { line += " " + valueFlags(option, location: location, tool: tool) }
            text += line + "\n"
        }
        for (number, positional) in location.command.positionals.enumerated() where !positional.isHidden {
            let comparison = positional.isRepeating ? "-ge" : "-eq"
            let condition = "__\(tool)_should_offer_completions_for_positional \"\(path)\" \(comparison) \(number + 1)"
            let flags = valueFlags(positional, location: location, tool: tool, requiresValue: false)
            text += "complete -c \(command) -n \(quote(condition)) \(flags) -d \(quote(positional.help))\n"
        }
        for subcommand in location.command.visibleSubcommands {
            let condition = "__\(tool)_should_offer_completions_for_positional \"\(path)\" -eq 1"
            text += "complete -c \(command) -n \(quote(condition)) -fa \(quote(subcommand.name))"
            text += " -d \(quote(subcommand.abstract))\n"
        }
        return text
    }

    /// `-rfka 'a b'`, `-rF`, … for an option's value.
    private static func valueFlags(
        _ argument: ArgumentSpec,
        location: CommandLocation,
        tool: String,
        requiresValue: Bool = true
    ) -> String {
        let r = requiresValue ? "-r" : "-"
        switch argument.completion {
        case .none:
            return "\(r)f"
        case .list(let values):
            return "\(r)fka \(quote(values.joined(separator: " ")))"
        case .file:
            return "\(r)F"
        case .directory:
            return "\(r)fa '(__\(tool)_complete_directories)'"
        case .custom:
            let path = location.path.dropFirst().joined(separator: " ")
            let identifier = CompletionScripts.callbackIdentifier(argument, in: location.command)
            let call = "(__\(tool)_custom_completion \(path.isEmpty ? "" : path + " ")-- \(identifier))"
            return "\(r)fka \(quote(call))"
        }
    }

    /// `text` single-quoted for fish (`\'` and `\\` escape inside single quotes).
    private static func quote(_ text: String) -> String {
        "'" + text.replacingAll("\\", with: "\\\\").replacingAll("'", with: "\\'") + "'"
    }
}
