/// `knocker config`: the effective configuration, secrets masked, with where each value came from.
enum ConfigCommand {
    static var spec: CommandSpec {
        CommandSpec(
            name: "config",
            abstract: "Show the effective configuration and where each value came from.",
            discussion: """
                Values come from flags, then the environment, then the .env file, then defaults. Secrets are \
                masked. An invalid value is reported with the variable's name and exits 1.
                """,
            arguments: [.jsonFlag, .outputOption],
            action: run
        )
    }

    @Sendable static func run(_ context: CommandContext) async throws -> Int32 {
        let format = try OutputFormat.from(context.arguments)
        let runtime = try Runtime.start(context)
        let table = Table(
            headers: ["Variable", "Value", "Source"],
            rows: runtime.config.settings.map { [$0.key.name, $0.displayValue, $0.source.description] }
        )
        context.standardOutput.write(table, format: format)
        return ExitCode.success
    }
}
