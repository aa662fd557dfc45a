import Synchronization
import Testing

@testable import KnockerKit

/// What one in-process run printed and returned.
struct CLIRun: Sendable {
    var code: Int32
    var standardOutput: String
    var standardError: String
}

/// Keeps the arguments the last action saw.
final class ArgumentCapture: Sendable {
    private let storage = Mutex<ParsedArguments?>(nil)

    var last: ParsedArguments? { storage.withLock { $0 } }

    func record(_ arguments: ParsedArguments) { storage.withLock { $0 = arguments } }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String { "the monitor exploded" }
}

/// A small command tree standing in for the real one.
enum CLITestTree {
    static func root(_ capture: ArgumentCapture = ArgumentCapture()) -> CommandSpec {
        let record: CommandSpec.Action = { context in
            capture.record(context.arguments)
            return 0
        }
        var region = ArgumentSpec.option(
            "region",
            value: "region",
            help: "Region to check from.",
            environment: "KNOCKER_REGION",
            completion: .custom
        )
        region.dynamicCompletion = { _ in ["eu-west", "us-east"] }
        let add = CommandSpec(
            name: "add",
            abstract: "Add a monitor.",
            arguments: [
                .option("name", value: "name", help: "Display name.", required: true),
                .option(
                    "format",
                    short: "f",
                    value: "format",
                    help: "Output format.",
                    default: "text",
                    values: ["text", "json", "csv"]
                ),
                .option("tag", value: "tag", help: "A tag (repeatable).", repeating: true),
                region,
                .flag("quiet", short: "q", help: "Print only the ID."),
                .option("timeout", short: "t", value: "seconds", help: "Request timeout."),
                .positional("url", help: "The URL to check.", completion: .file(extensions: ["txt"])),
            ],
            action: record
        )
        let remove = CommandSpec(
            name: "remove",
            aliases: ["rm"],
            abstract: "Remove a monitor.",
            arguments: [.positional("id", help: "The monitor ID.", completion: .custom)],
            action: record
        )
        let list = CommandSpec(
            name: "list",
            abstract: "List monitors.",
            arguments: [.jsonFlag, .outputOption],
            action: record
        )
        let monitors = CommandSpec(
            name: "monitors",
            aliases: ["mon"],
            abstract: "Manage monitors.",
            subcommands: [add, remove, list]
        )
        let migrate = CommandSpec(
            name: "migrate",
            abstract: "Manage database migrations.",
            subcommands: [
                CommandSpec(name: "status", abstract: "Show applied migrations.", action: record),
                CommandSpec(
                    name: "up",
                    abstract: "Apply pending migrations.",
                    arguments: [
                        .option("steps", value: "n", help: "How many to apply."),
                        .flag("dry-run", help: "Only print the SQL."),
                        .option("dir", value: "path", help: "Migrations directory.", completion: .directory),
                    ],
                    action: record
                ),
            ],
            defaultSubcommand: "status"
        )
        let exec = CommandSpec(
            name: "exec",
            abstract: "Run a command with the configuration in its environment.",
            arguments: [.positional("command", help: "Command and arguments.", required: false, repeating: true)],
            action: record
        )
        let fail = CommandSpec(name: "fail", abstract: "Always fails.", isHidden: true) { _ in throw TestFailure() }
        let misuse = CommandSpec(name: "misuse", abstract: "Throws a usage error.", isHidden: true) { _ in
            throw UsageError("Pick one of '--a' or '--b'.")
        }
        let exitWith = CommandSpec(name: "exit3", abstract: "Exits with 3.", isHidden: true) { _ in 3 }
        return CommandSpec(
            name: "knocker",
            abstract: "Multi-region uptime monitoring.",
            arguments: [
                .option(
                    "log-level",
                    value: "level",
                    help: "How much to log.",
                    default: "info",
                    values: ["debug", "info", "warn"],
                    environment: "KNOCKER_LOG_LEVEL",
                    inherited: true
                ),
                .flag("verbose", short: "v", help: "Log more (repeatable).", repeating: true, inherited: true),
            ],
            subcommands: [migrate, monitors, exec, fail, misuse, exitWith],
            version: "1.2.3"
        )
    }
}

/// Runs `arguments` against the test tree (or `root`) in-process with buffered streams.
func runCLI(
    _ arguments: [String],
    environment: [String: String] = [:],
    root: CommandSpec = CLITestTree.root(),
    isTerminal: Bool = false,
    columns: Int = 80
) async -> CLIRun {
    let (output, readOutput) = TextStream.buffer(isTerminal: isTerminal, columns: columns)
    let (error, readError) = TextStream.buffer(isTerminal: isTerminal, columns: columns)
    let code = await CommandRunner.run(
        root: root,
        arguments: arguments,
        environment: environment,
        standardOutput: output,
        standardError: error,
        currentDirectory: "/tmp"
    )
    return CLIRun(code: code, standardOutput: readOutput(), standardError: readError())
}
