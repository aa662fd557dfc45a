import Testing

@testable import KnockerKit

@Suite struct CLIErrorTests {
    private let addUsage = """
        Usage: knocker monitors add --name <name> [--format <format>] [--tag <tag> ...]
               [--region <region>] [--quiet] [--timeout <seconds>] <url>
          See 'knocker monitors add --help' for more information.

        """

    private func expectUsageError(_ arguments: [String], _ message: String, usage: String) async {
        let run = await runCLI(arguments)
        #expect(run.code == 64)
        #expect(run.standardOutput == "")
        #expect(run.standardError == "Error: \(message)\n" + usage)
    }

    @Test func unknownOptionSuggestsClosest() async {
        await expectUsageError(
            ["monitors", "add", "--nme", "x", "u"],
            "Unknown option '--nme'. Did you mean '--name'?",
            usage: addUsage
        )
        await expectUsageError(
            ["monitors", "add", "--hepl"],
            "Unknown option '--hepl'. Did you mean '--help'?",
            usage: addUsage
        )
        await expectUsageError(
            ["monitors", "add", "--log-lev=debug"],
            "Unknown option '--log-lev'. Did you mean '--log-level'?",
            usage: addUsage
        )
        await expectUsageError(["monitors", "add", "--zzzzzz"], "Unknown option '--zzzzzz'", usage: addUsage)
        await expectUsageError(["monitors", "add", "-z"], "Unknown option '-z'", usage: addUsage)
    }

    @Test func missingValue() async {
        await expectUsageError(
            ["monitors", "add", "--name", "n", "u", "--format"],
            "Missing value for '--format <format>'",
            usage: addUsage
        )
        await expectUsageError(
            ["monitors", "add", "--format", "--name", "n"],
            "Missing value for '--format <format>'",
            usage: addUsage
        )
    }

    @Test func missingExpectedArgument() async {
        await expectUsageError(
            ["monitors", "add", "u"],
            "Missing expected argument '--name <name>'",
            usage: addUsage
        )
        await expectUsageError(
            ["monitors", "add", "--name", "n"],
            "Missing expected argument '<url>'",
            usage: addUsage
        )
    }

    @Test func noArgumentsAtAllShowsFullHelp() async {
        let run = await runCLI(["monitors", "remove"])
        #expect(run.code == 64)
        #expect(
            run.standardError == """
                Error: Missing expected argument '<id>'

                OVERVIEW: Remove a monitor.

                USAGE: knocker monitors remove <id>

                ARGUMENTS:
                  <id>                    The monitor ID.

                OPTIONS:
                  --log-level <level>     How much to log. (values: debug, info, warn; default:
                                          info; env: KNOCKER_LOG_LEVEL)
                  -v, --verbose           Log more (repeatable).
                  -h, --help              Show help information.

                """
        )
    }

    @Test func unexpectedArgument() async {
        await expectUsageError(
            ["mon", "rm", "a", "b"],
            "Unexpected argument 'b'",
            usage: """
                Usage: knocker monitors remove <id>
                  See 'knocker monitors remove --help' for more information.

                """
        )
    }

    @Test func strayWordForCommandWithoutSubcommandsOrAction() async {
        let root = CommandSpec(name: "tool", abstract: "Nothing to run.")
        let run = await runCLI(["foo"], root: root)
        #expect(run.code == 64)
        #expect(
            run.standardError
                == "Error: Unexpected argument 'foo'\nUsage: tool\n  See 'tool --help' for more information.\n"
        )
        #expect(await runCLI([], root: root).code == 0)
    }

    @Test func invalidValue() async {
        await expectUsageError(
            ["monitors", "add", "--name", "n", "-f", "png", "u"],
            "The value 'png' is invalid for '--format <format>'. Please provide one of 'text', 'json' or 'csv'.",
            usage: addUsage
        )
    }

    @Test func flagGivenAValue() async {
        await expectUsageError(
            ["monitors", "add", "--quiet=yes"],
            "Unexpected value 'yes' for '--quiet'",
            usage: addUsage
        )
    }

    @Test func unknownCommandSuggestsClosest() async {
        let rootUsage = """
            Usage: knocker [--log-level <level>] [--verbose ...] <subcommand>
              See 'knocker --help' for more information.

            """
        await expectUsageError(["mgirate"], "Unknown command 'mgirate'. Did you mean 'migrate'?", usage: rootUsage)
        await expectUsageError(["bogus"], "Unknown command 'bogus'", usage: rootUsage)
        await expectUsageError(
            ["monitors", "ad"],
            "Unknown command 'ad'. Did you mean 'add'?",
            usage: """
                Usage: knocker monitors <subcommand>
                  See 'knocker monitors --help' for more information.

                """
        )
        await expectUsageError(
            ["help", "mgirate"],
            "Unknown command 'mgirate'. Did you mean 'migrate'?",
            usage: rootUsage
        )
    }

    @Test func thrownUsageErrorFromAction() async {
        await expectUsageError(
            ["misuse"],
            "Pick one of '--a' or '--b'.",
            usage: """
                Usage: knocker misuse
                  See 'knocker misuse --help' for more information.

                """
        )
    }

    @Test func thrownOtherErrorFromAction() async {
        let run = await runCLI(["fail"])
        #expect(run.code == 1)
        #expect(run.standardOutput == "")
        #expect(run.standardError == "Error: the monitor exploded\n")
    }

    @Test func unknownShellListsTheThree() async {
        let run = await runCLI(["--generate-completion-script", "tcsh"])
        #expect(run.code == 64)
        #expect(
            run.standardError.hasPrefix(
                "Error: Can't generate completion scripts for 'tcsh'. "
                    + "Please provide one of 'bash', 'zsh' or 'fish'.\n"
            )
        )
        let nested = await runCLI(["migrate", "--generate-completion-script", "bash"])
        #expect(nested.code == 64)
    }
}
