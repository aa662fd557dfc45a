// BOOTSTRAP: replaced by the real parser/runner (CLI helper).
public enum CommandRunner {
    public static func run(
        root: CommandSpec,
        arguments: [String],
        environment: [String: String],
        standardOutput: TextStream,
        standardError: TextStream,
        currentDirectory: String
    ) async -> Int32 {
        standardError.line("bootstrap")
        return 1
    }
}
