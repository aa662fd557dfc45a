import Foundation

/// The entry point the `knocker` executable calls.
public enum Knocker {
    /// The version printed by `knocker version` and `--version`.
    public static let version = "0.1.0"

    /// Runs the command line `arguments` (including the program name) and returns the exit code.
    public static func main(arguments: [String]) async -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        let environment = ProcessInfo.processInfo.environment
        return await CommandRunner.run(
            root: Commands.root,
            arguments: Array(arguments.dropFirst()),
            environment: environment,
            standardOutput: .fileDescriptor(1, environment: environment),
            standardError: .fileDescriptor(2, environment: environment),
            currentDirectory: FileManager.default.currentDirectoryPath
        )
    }
}
