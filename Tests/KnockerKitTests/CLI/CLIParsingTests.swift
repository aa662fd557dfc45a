import Testing

@testable import KnockerKit

@Suite struct CLIParsingTests {
    private func parsed(
        _ arguments: [String],
        environment: [String: String] = [:]
    ) async -> (CLIRun, ParsedArguments?) {
        let capture = ArgumentCapture()
        let run = await runCLI(arguments, environment: environment, root: CLITestTree.root(capture))
        return (run, capture.last)
    }

    @Test func optionForms() async throws {
        let (run, arguments) = await parsed([
            "monitors", "add", "--name=api", "-f", "json", "-t5", "--tag", "a", "--tag=b", "-q", "https://x",
        ])
        #expect(run.code == 0)
        #expect(run.standardError == "")
        let values = try #require(arguments)
        #expect(values.commandPath == ["knocker", "monitors", "add"])
        #expect(values.string("name") == "api")
        #expect(values.string("format") == "json")
        #expect(values.string("timeout") == "5")
        #expect(values.strings("tag") == ["a", "b"])
        #expect(values.flag("quiet"))
        #expect(values.string("url") == "https://x")
        #expect(values.sources["name"] == .commandLine)
    }

    @Test func nonRepeatingOptionLastOneWins() async throws {
        let (_, arguments) = await parsed(["monitors", "add", "--name", "a", "--name", "b", "u"])
        #expect(try #require(arguments).strings("name") == ["b"])
    }

    @Test func combinedShortFlagsAndRepeatableCount() async throws {
        let (run, arguments) = await parsed(["-vv", "monitors", "add", "-qv", "--name", "n", "u"])
        #expect(run.code == 0)
        let values = try #require(arguments)
        #expect(values.flagCounts["verbose"] == 3)
        #expect(values.flag("quiet"))
    }

    @Test func terminatorMakesWordsPositional() async throws {
        let (run, arguments) = await parsed(["exec", "--", "ls", "-la", "--help"])
        #expect(run.code == 0)
        #expect(run.standardOutput == "")
        let values = try #require(arguments)
        #expect(values.strings("command") == ["ls", "-la", "--help"])
        #expect(values.terminated == ["ls", "-la", "--help"])
    }

    @Test func environmentFallbackAndSource() async throws {
        let environment = ["KNOCKER_REGION": "eu-west", "KNOCKER_LOG_LEVEL": "debug"]
        let (_, fromEnvironment) = await parsed(["mon", "add", "--name", "n", "u"], environment: environment)
        let values = try #require(fromEnvironment)
        #expect(values.string("region") == "eu-west")
        #expect(values.sources["region"] == .environment("KNOCKER_REGION"))
        #expect(values.string("log-level") == "debug")
        #expect(values.sources["log-level"] == .environment("KNOCKER_LOG_LEVEL"))
        #expect(values.commandLineValue("region") == nil)

        let (_, typed) = await parsed(["mon", "add", "--name", "n", "--region", "us", "u"], environment: environment)
        #expect(try #require(typed).string("region") == "us")
        #expect(try #require(typed).sources["region"] == .commandLine)
        #expect(try #require(typed).commandLineValue("region") == "us")
    }

    @Test func emptyEnvironmentFallsBackToDefault() async throws {
        let (_, arguments) = await parsed(["mon", "add", "--name", "n", "u"], environment: ["KNOCKER_LOG_LEVEL": ""])
        let values = try #require(arguments)
        #expect(values.string("log-level") == "info")
        #expect(values.sources["log-level"] == .defaultValue)
        #expect(values.string("format") == "text")
        #expect(values.sources["format"] == .defaultValue)
        #expect(values.string("region") == nil)
    }

    @Test func invalidEnvironmentValueIsAUsageError() async {
        let run = await runCLI(["exec"], environment: ["KNOCKER_LOG_LEVEL": "loud"])
        #expect(run.code == 64)
        #expect(run.standardError.hasPrefix("Error: The value 'loud' is invalid for '--log-level <level>'."))
    }

    @Test func inheritedOptionsAtAnyDepth() async throws {
        let (run, arguments) = await parsed(["migrate", "up", "--log-level", "warn", "-v", "--steps", "2"])
        #expect(run.code == 0)
        let values = try #require(arguments)
        #expect(values.string("log-level") == "warn")
        #expect(values.flagCounts["verbose"] == 1)
        #expect(values.string("steps") == "2")
        #expect(try values.int("steps") == 2)
    }

    @Test func aliasesAndDefaultSubcommand() async throws {
        let (_, removed) = await parsed(["mon", "rm", "abc"])
        #expect(try #require(removed).commandPath == ["knocker", "monitors", "remove"])
        #expect(try #require(removed).string("id") == "abc")

        let (run, status) = await parsed(["migrate"])
        #expect(run.code == 0)
        #expect(try #require(status).commandPath == ["knocker", "migrate", "status"])
    }

    @Test func commandWithoutActionPrintsHelp() async {
        let run = await runCLI(["monitors"])
        #expect(run.code == 0)
        #expect(run.standardOutput.hasPrefix("OVERVIEW: Manage monitors.\n\nUSAGE: knocker monitors <subcommand>\n"))
        #expect(run.standardError == "")
    }

    @Test func actionExitCodeIsReturned() async {
        #expect(await runCLI(["exit3"]).code == 3)
    }

    @Test func negativeNumbersAreValues() async throws {
        let (run, arguments) = await parsed(["migrate", "up", "--steps", "-1"])
        #expect(run.code == 0)
        #expect(try #require(arguments).string("steps") == "-1")
    }

    /// `--timeout -5m` gives the option the value (for the command to judge), not "Missing value".
    @Test func wordsThatStartLikeNegativeNumbersAreValues() async throws {
        for value in ["-5m", "-1.5s", "-.5s", "-0", "-1e3"] {
            let (run, arguments) = await parsed(["monitors", "add", "--name", "a", "--timeout", value, "u"])
            #expect(run.code == 0, "\(value): \(run.standardError)")
            #expect(arguments?.string("timeout") == value)
        }
        for option in ["-q", "--quiet", "-.", "-x5"] {
            let (run, _) = await parsed(["monitors", "add", "--name", "a", "--timeout", option, "u"])
            #expect(run.code == 64, "\(option)")
            #expect(run.standardError.contains("Missing value for '--timeout <seconds>'"), "\(run.standardError)")
        }
        #expect(ArgumentWalk.isNegativeValue("-5m"))
        #expect(ArgumentWalk.isNegativeValue("-inf"))
        #expect(!ArgumentWalk.isNegativeValue("-"))
        #expect(!ArgumentWalk.isNegativeValue("-h"))
        #expect(!ArgumentWalk.isNegativeValue("5m"))
    }

    @Test func durationOptionsAreCheckedAgainstTheirRange() throws {
        let arguments = ParsedArguments(
            values: ["since": ["-5m"], "tick": ["2h"], "wait": ["90s"]],
            sources: ["since": .commandLine, "tick": .commandLine, "wait": .commandLine]
        )
        let range = Duration.zero...Duration.seconds(3600)
        #expect(try arguments.duration("wait", in: range) == .seconds(90))
        #expect(try arguments.duration("missing", in: range) == nil)
        #expect(
            throws: UsageError(
                "The value '2h' is invalid for '--tick'; expected a duration from 0s to 1h such as 500ms, 10s or 2m."
            )
        ) { try arguments.duration("tick", in: range) }
        #expect(
            throws: UsageError(
                "The value '-5m' is invalid for '--since'; durations cannot be negative (expected a duration from 0s "
                    + "to 1h such as 500ms, 10s or 2m)."
            )
        ) { try arguments.duration("since", in: range) }
    }
}
