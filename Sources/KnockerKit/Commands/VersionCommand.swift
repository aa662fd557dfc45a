/// `knocker version`
enum VersionCommand {
    static var spec: CommandSpec {
        CommandSpec(
            name: "version",
            abstract: "Show the version of Knocker and its C libraries.",
            arguments: [.jsonFlag],
            action: run
        )
    }

    @Sendable static func run(_ context: CommandContext) async throws -> Int32 {
        let libraries = LibraryVersions.current
        if context.arguments.flag("json") {
            try context.standardOutput.writeJSON(
                ["version": Knocker.version].merging(libraries.map { ($0.name, $0.version) }) { first, _ in first }
            )
        } else {
            context.standardOutput.line("knocker \(Knocker.version)")
            for library in libraries {
                context.standardOutput.line("  \(library.name) \(library.version)")
            }
        }
        return ExitCode.success
    }
}
