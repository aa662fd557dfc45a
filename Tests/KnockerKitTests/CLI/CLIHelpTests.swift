import Testing

@testable import KnockerKit

@Suite struct CLIHelpTests {
    private let rootHelp = """
        OVERVIEW: Multi-region uptime monitoring.

        USAGE: knocker [--log-level <level>] [--verbose ...] <subcommand>

        OPTIONS:
          --log-level <level>     How much to log. (values: debug, info, warn; default:
                                  info; env: KNOCKER_LOG_LEVEL)
          -v, --verbose           Log more (repeatable).
          --version               Show the version.
          -h, --help              Show help information.

        SUBCOMMANDS:
          migrate                 Manage database migrations.
          monitors, mon           Manage monitors.
          exec                    Run a command with the configuration in its
                                  environment.

          See 'knocker help <subcommand>' for detailed help.

        """

    private let addHelp = """
        OVERVIEW: Add a monitor.

        USAGE: knocker monitors add --name <name> [--format <format>] [--tag <tag> ...]
               [--region <region>] [--quiet] [--timeout <seconds>] <url>

        ARGUMENTS:
          <url>                   The URL to check.

        OPTIONS:
          --name <name>           Display name.
          -f, --format <format>   Output format. (values: text, json, csv; default:
                                  text)
          --tag <tag>             A tag (repeatable).
          --region <region>       Region to check from. (env: KNOCKER_REGION)
          -q, --quiet             Print only the ID.
          -t, --timeout <seconds> Request timeout.
          --log-level <level>     How much to log. (values: debug, info, warn; default:
                                  info; env: KNOCKER_LOG_LEVEL)
          -v, --verbose           Log more (repeatable).
          -h, --help              Show help information.

        """

    @Test func rootHelpSnapshot() async {
        let run = await runCLI(["--help"])
        #expect(run.code == 0)
        #expect(run.standardError == "")
        #expect(run.standardOutput == rootHelp)
        #expect(HelpFormatter.help(root: CLITestTree.root(), path: ["knocker"], width: 80) == rootHelp)
    }

    @Test func subcommandHelpSnapshot() async {
        #expect(await runCLI(["monitors", "add", "--help"]).standardOutput == addHelp)
    }

    @Test func nestedHelpShowsDefaultAndFooterPath() async {
        let run = await runCLI(["migrate", "-h"])
        #expect(
            run.standardOutput == """
                OVERVIEW: Manage database migrations.

                USAGE: knocker migrate <subcommand>

                OPTIONS:
                  --log-level <level>     How much to log. (values: debug, info, warn; default:
                                          info; env: KNOCKER_LOG_LEVEL)
                  -v, --verbose           Log more (repeatable).
                  -h, --help              Show help information.

                SUBCOMMANDS:
                  status (default)        Show applied migrations.
                  up                      Apply pending migrations.

                  See 'knocker help migrate <subcommand>' for detailed help.

                """
        )
    }

    @Test func helpFormsAreEquivalent() async {
        let forms: [[String]] = [
            ["monitors", "add", "--help"], ["monitors", "add", "-h"], ["help", "monitors", "add"],
            ["mon", "add", "--help"], ["help", "mon", "add"], ["monitors", "add", "--nme", "--help"],
            ["monitors", "add", "--help", "--format", "png"],
        ]
        for form in forms {
            let run = await runCLI(form)
            #expect(run.code == 0, "\(form)")
            #expect(run.standardOutput == addHelp, "\(form)")
        }
        #expect(await runCLI(["help"]).standardOutput == rootHelp)
    }

    @Test func versionAnywhere() async {
        for form in [["--version"], ["migrate", "up", "--version"], ["mon", "add", "--version"]] {
            let run = await runCLI(form)
            #expect(run.code == 0)
            #expect(run.standardOutput == "1.2.3\n")
            #expect(run.standardError == "")
        }
    }

    @Test func hiddenCommandsAndArgumentsAreOmitted() {
        var root = CLITestTree.root()
        root.arguments.append(.flag("secret", help: "Hidden.", hidden: true))
        let help = HelpFormatter.help(root: root, path: ["knocker"], width: 80)
        #expect(!help.contains("fail"))
        #expect(!help.contains("misuse"))
        #expect(!help.contains("--secret"))
        #expect(!help.contains("generate"))
    }

    @Test func wrapsToWidthAndMovesLongLabels() {
        let root = CommandSpec(
            name: "tool",
            abstract: "Does things.",
            arguments: [
                .option("a-very-long-option-name", value: "value", help: "Text that has to wrap at forty columns.")
            ]
        )
        #expect(
            HelpFormatter.help(root: root, path: ["tool"], width: 40) == """
                OVERVIEW: Does things.

                USAGE: tool [--a-very-long-option-name
                       <value>]

                OPTIONS:
                  --a-very-long-option-name <value>
                                          Text that has
                                          to wrap at
                                          forty columns.
                  -h, --help              Show help
                                          information.

                """
        )
    }

    @Test func manyOptionsCollapseTheSynopsis() {
        let options = (1...13).map { ArgumentSpec.flag("flag\($0)", help: "") }
        let root = CommandSpec(
            name: "tool",
            abstract: "",
            arguments: options + [.positional("file", help: "")]
        )
        #expect(HelpFormatter.synopsis(root: root, path: ["tool"]) == "tool [<options>] <file>")
        let fewer = CommandSpec(name: "tool", abstract: "", arguments: Array(options.prefix(12)))
        #expect(HelpFormatter.synopsis(root: fewer, path: ["tool"]).hasSuffix("[--flag12]"))
    }

    @Test func widthComesFromTheStream() async {
        let run = await runCLI(["--help"], columns: 60)
        #expect(run.standardOutput.contains("  --log-level <level>     How much to log. (values: debug,\n"))
    }
}
