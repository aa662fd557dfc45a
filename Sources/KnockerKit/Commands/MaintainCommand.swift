/// `knocker maintain`: one run of the storage upkeep (partitions, retention, rollups).
enum MaintainCommand {
    static var spec: CommandSpec {
        CommandSpec(
            name: "maintain",
            abstract: "Create ping partitions ahead, drop expired days and refresh the 30-minute rollup, once.",
            discussion: """
                The scheduler runs the same upkeep periodically; this command runs it now. Only one process runs it \
                at a time: by default this waits for a run in progress, with --no-wait it exits at once (status 0, \
                "skipped").
                """,
            arguments: [
                .flag("no-wait", help: "Skip instead of waiting when another process is running the upkeep."),
                .jsonFlag,
            ],
            action: run
        )
    }

    @Sendable static func run(_ context: CommandContext) async throws -> Int32 {
        let runtime = try Runtime.start(context)
        let config = runtime.config
        let report = try await runtime.withPostgres(poolSize: 1, requireSchema: true) { client in
            try await Maintenance(
                client: client,
                settings: .init(
                    retentionDays: config.pingRetentionDays,
                    partitionsAheadDays: config.partitionsAheadDays,
                    rollupRetentionDays: config.rollupRetentionDays
                ),
                logger: runtime.logger
            ).run(wait: !context.arguments.flag("no-wait"))
        }
        let out = context.standardOutput
        if context.arguments.flag("json") {
            try out.writeJSON(report)
        } else if !report.ran {
            out.line("skipped: another process is running the upkeep")
        } else {
            out.line(
                "partitions created: \(report.partitionsCreated.isEmpty ? "none" : report.partitionsCreated.joined(separator: ", "))"
            )
            out.line(
                "partitions dropped: \(report.partitionsDropped.isEmpty ? "none" : report.partitionsDropped.joined(separator: ", "))"
            )
            out.line("rollup rows written: \(report.rollupRowsWritten)")
            out.line("rollup rows pruned: \(report.rollupRowsDeleted)")
        }
        return ExitCode.success
    }
}
