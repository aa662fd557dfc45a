import Foundation
import Testing

@testable import KnockerKit

@Suite struct CLICompletionTests {
    private func script(_ shell: String) async -> String {
        let run = await runCLI(["--generate-completion-script", shell])
        #expect(run.code == 0)
        #expect(run.standardError == "")
        return run.standardOutput
    }

    /// Runs `shell -n` on `text`; `nil` when the shell is not installed.
    private func syntaxCheck(_ shell: String, _ text: String) async throws -> (Int32, String)? {
        guard let path = requiredTool(shell, candidates: ["/bin/\(shell)", "/usr/bin/\(shell)"]) else { return nil }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("knocker-\(UUID().uuidString)")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try await runTool(path, ["-n", file.path])
        return (run.status, run.standardError)
    }

    @Test func bashScript() async throws {
        let text = await script("bash")
        #expect(text.hasPrefix("#!/bin/bash\n"))
        #expect(text.hasSuffix("complete -o filenames -F _knocker knocker\n"))
        for function in ["_knocker()", "_knocker_migrate()", "_knocker_migrate_up()", "_knocker_monitors_add()"] {
            #expect(text.contains("\n\(function) {\n"), "\(function)")
        }
        #expect(!text.contains("_knocker_fail"))
        #expect(text.contains("    non_repeating_flags=(--quiet -q --help -h)\n"))
        #expect(text.contains("    repeating_options=(--tag)\n"))
        #expect(text.contains("'--format'|'-f')\n        __knocker_add_completions -W 'text'$'\\n''json'$'\\n''csv'\n"))
        #expect(text.contains("__knocker_add_completions -o plusdirs -fX '!*.@(txt)'"))
        #expect(text.contains("'--dir')\n        __knocker_add_completions -d\n"))
        #expect(text.contains("__knocker_custom_complete 'positional@0'"))
        #expect(text.contains("'monitors'|'mon')\n"))
        #expect(text.contains("__knocker_add_completions -W 'migrate'$'\\n''monitors'$'\\n''exec'\n"))
        let check = try await syntaxCheck("bash", text)
        #expect(check?.0 == 0, "\(check?.1 ?? "")")
    }

    @Test func bashScriptCompletesWhenSourced() async throws {
        let text = BashCompletions.script(for: CLITestTree.root())
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("knocker-\(UUID().uuidString)")
        let driver =
            text + """

                COMP_WORDS=(knocker mon add --format '')
                COMP_CWORD=4
                COMP_LINE='knocker mon add --format '
                COMP_POINT=${#COMP_LINE}
                _knocker knocker '' --format
                printf '%s\\n' "${COMPREPLY[@]}"
                COMP_WORDS=(knocker mi)
                COMP_CWORD=1
                COMPREPLY=()
                _knocker knocker mi knocker
                printf '%s\\n' "${COMPREPLY[@]}"

                """
        try driver.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try await runTool("/bin/bash", [file.path]).standardOutput
        #expect(output == "text\njson\ncsv\nmigrate\n")
    }

    @Test func zshScript() async throws {
        let text = await script("zsh")
        #expect(text.hasPrefix("#compdef knocker\n"))
        #expect(text.contains("_knocker() {\n    emulate -RL zsh -G\n"))
        #expect(text.contains("_knocker_monitors_add() {\n"))
        #expect(text.contains("'(-h --help)'{-h,--help}'[Show help information.]'"))
        #expect(
            text.contains("'(-f --format)'{-f,--format}'[Output format.]:format:{__knocker_complete text json csv}'")
        )
        #expect(text.contains("'*--tag[A tag (repeatable).]:tag:'"))
        #expect(text.contains("'*'{-v,--verbose}'[Log more (repeatable).]'"))
        #expect(text.contains("{__knocker_custom_complete monitors add -- --region}"))
        #expect(text.contains("'(-): :->command'"))
        #expect(text.contains("'monitors:Manage monitors.'"))
        #expect(text.contains("_files -/"))
        #expect(text.contains("_arguments -w -s -S : \"${arg_specs[@]}\" && ret=0"))
        #expect(text.hasSuffix("else\n    compdef _knocker knocker\nfi\n"))
        if let check = try await syntaxCheck("zsh", text) {
            #expect(check.0 == 0, "\(check.1)")
        }
    }

    @Test func fishScript() async {
        let text = await script("fish")
        #expect(text.contains("function __knocker_parse_tokens\n"))
        #expect(text.contains("complete -c 'knocker' -f\n"))
        #expect(
            text.contains(
                "complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "
                    + "\"knocker monitors add\" format f' -l 'format' -s 'f' -d 'Output format.' "
                    + "-rfka 'text json csv'\n"
            )
        )
        #expect(
            text.contains(
                "complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional \"knocker\" -eq 1' "
                    + "-fa 'monitors' -d 'Manage monitors.'\n"
            )
        )
        #expect(text.contains("case 'knocker monitors' 'knocker mon'\n"))
        #expect(text.contains("-rfka '(__knocker_custom_completion monitors add -- --region)'"))
    }

    @Test func shellIsDetectedFromEnvironment() async {
        let run = await runCLI(["--generate-completion-script"], environment: ["SHELL": "/usr/bin/zsh"])
        #expect(run.code == 0)
        #expect(run.standardOutput.hasPrefix("#compdef knocker\n"))
        let equals = await runCLI(["--generate-completion-script=fish"])
        #expect(equals.standardOutput.contains("complete -c 'knocker' -f\n"))
    }

    @Test func dynamicCompletionCallback() async {
        let region = await runCLI(["---completion", "monitors", "add", "--", "--region", "3", "0", "knocker"])
        #expect(region.code == 0)
        #expect(region.standardOutput == "eu-west\nus-east\n")
        let noProvider = await runCLI(["---completion", "monitors", "remove", "--", "positional@0", "3", "0"])
        #expect(noProvider.code == 0)
        #expect(noProvider.standardOutput == "")
        let unknown = await runCLI(["---completion", "nosuch", "--", "--nope"])
        #expect(unknown.code == 0)
        #expect(unknown.standardOutput == "")
    }
}
