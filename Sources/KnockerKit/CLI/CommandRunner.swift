/// Parses a command line against a ``CommandSpec`` tree and runs the chosen command.
public enum CommandRunner {
    /// Runs `arguments` (without the program name) against `root` and returns the process exit code.
    ///
    /// Handles `-h`/`--help`/`help <command…>`, `--version`, `--generate-completion-script`, `--generate-manual`
    /// and the hidden `---completion` callback itself. Otherwise it runs the command's action: its return value is
    /// the exit code; a thrown ``UsageError`` prints `Error:` plus the usage to standard error and gives 64; any
    /// other error prints `Error: <description>` and gives 1.
    public static func run(
        root: CommandSpec,
        arguments: [String],
        environment: [String: String],
        standardOutput: TextStream,
        standardError: TextStream,
        currentDirectory: String
    ) async -> Int32 {
        let parser = CommandParser(root: root, environment: environment)
        let outcome: ParseOutcome
        do {
            outcome = try parser.parse(arguments)
        } catch {
            report(error, root: root, fallbackPath: [root.name], to: standardError)
            return ExitCode.usage
        }
        switch outcome {
        case .help(let location):
            standardOutput.write(HelpFormatter.help(for: location, width: standardOutput.columns))
            return ExitCode.success
        case .version(let version):
            standardOutput.line(version)
            return ExitCode.success
        case .completionScript(let shell):
            standardOutput.write(CompletionScripts.script(for: root, shell: shell))
            return ExitCode.success
        case .manual:
            standardOutput.write(ManualPage.render(root))
            return ExitCode.success
        case .dynamicCompletion(_, let argument, let words):
            guard let provider = argument?.dynamicCompletion else { return ExitCode.success }
            for candidate in await provider(words) { standardOutput.line(candidate) }
            return ExitCode.success
        case .run(let location, let parsed):
            guard let action = location.command.action else { return ExitCode.success }
            let context = CommandContext(
                arguments: parsed,
                environment: environment,
                standardOutput: standardOutput,
                standardError: standardError,
                currentDirectory: currentDirectory
            )
            do {
                return try await action(context)
            } catch let error as UsageError {
                report(error, root: root, fallbackPath: location.path, to: standardError)
                return ExitCode.usage
            } catch {
                standardError.line("Error: \(String(describing: error))")
                return ExitCode.failure
            }
        }
    }

    /// Writes a usage error the way argument-parser does: the message, then the usage line and a pointer to
    /// `--help` (or the whole help when nothing at all was given).
    static func report(_ error: UsageError, root: CommandSpec, fallbackPath: [String], to stream: TextStream) {
        let path = error.commandPath.isEmpty ? fallbackPath : error.commandPath
        let location = CommandLocation(root: root, path: path)
        stream.line("Error: \(error.message)")
        if error.showHelp {
            stream.line()
            stream.write(HelpFormatter.help(for: location, width: stream.columns))
            return
        }
        stream.line(TextWrap.hanging("Usage: ", HelpFormatter.synopsis(for: location), width: stream.columns))
        stream.line("  See '\(location.path.joined(separator: " ")) --help' for more information.")
    }
}
