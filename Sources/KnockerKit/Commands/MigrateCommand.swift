import Foundation

/// `knocker migrate up|down|status|create`
enum MigrateCommand {
    static var spec: CommandSpec {
        CommandSpec(
            name: "migrate",
            abstract: "Apply, revert and inspect database schema migrations.",
            discussion: """
                The migrations are built into the binary, so these commands work from any directory. Concurrent \
                runs wait for each other; each migration runs in a transaction; an applied migration whose SQL \
                changed since is refused.
                """,
            subcommands: [upSpec, downSpec, statusSpec, createSpec]
        )
    }

    static let directoryOption = ArgumentSpec.option(
        "migrations-dir",
        value: "dir",
        help: "Read migrations from this folder instead of the ones built into the binary.",
        completion: .directory
    )

    static var upSpec: CommandSpec {
        CommandSpec(
            name: "up",
            abstract: "Apply pending migrations.",
            arguments: [
                .option("to", value: "version", help: "Stop after this version instead of applying all."),
                directoryOption, .jsonFlag,
            ],
            action: up
        )
    }

    static var downSpec: CommandSpec {
        CommandSpec(
            name: "down",
            abstract: "Revert the most recently applied migrations.",
            arguments: [
                .positional("count", help: "How many migrations to revert (default 1).", required: false),
                .flag("all", help: "Revert every applied migration."),
                directoryOption, .jsonFlag,
            ],
            action: down
        )
    }

    static var statusSpec: CommandSpec {
        CommandSpec(
            name: "status",
            abstract: "List migrations and whether each is applied, pending or changed.",
            arguments: [directoryOption, .jsonFlag, .outputOption],
            action: status
        )
    }

    static var createSpec: CommandSpec {
        CommandSpec(
            name: "create",
            abstract: "Create a new pair of empty migration files.",
            discussion: "Writes NNNN_<name>.up.sql and NNNN_<name>.down.sql with the next free version number.",
            arguments: [
                .positional("name", help: "Lower-case words joined by underscores, e.g. add_monitor_tags."),
                .option(
                    "dir",
                    value: "dir",
                    help: "The migrations folder of the source checkout.",
                    default: "migrations",
                    completion: .directory
                ),
            ],
            action: create
        )
    }

    // MARK: - Actions

    static func catalog(_ context: CommandContext) throws -> [Migration] {
        guard let directory = context.arguments.string("migrations-dir") else { return try MigrationCatalog.embedded() }
        return try MigrationCatalog.load(directory: absolute(directory, in: context))
    }

    static func absolute(_ path: String, in context: CommandContext) -> String {
        path.hasPrefix("/") ? path : (context.currentDirectory as NSString).appendingPathComponent(path)
    }

    @Sendable static func up(_ context: CommandContext) async throws -> Int32 {
        let target = try context.arguments.int("to", in: 1...Int(Int32.max))
        let runtime = try Runtime.start(context)
        let migrations = try catalog(context)
        let runs = try await runtime.withPostgres(poolSize: 1) { client in
            try await Migrator(client: client, migrations: migrations, logger: runtime.logger).up(to: target)
        }
        report(runs, verb: "applied", nothingMessage: "the database is up to date", context: context)
        return ExitCode.success
    }

    @Sendable static func down(_ context: CommandContext) async throws -> Int32 {
        let all = context.arguments.flag("all")
        let count = try context.arguments.int("count", in: 1...100_000)
        if all && count != nil {
            throw UsageError("Give either a count or --all, not both.", commandPath: context.arguments.commandPath)
        }
        let runtime = try Runtime.start(context)
        let migrations = try catalog(context)
        let runs = try await runtime.withPostgres(poolSize: 1) { client in
            try await Migrator(client: client, migrations: migrations, logger: runtime.logger)
                .down(steps: all ? Int.max : count ?? 1)
        }
        report(runs, verb: "reverted", nothingMessage: "no migrations are applied", context: context)
        return ExitCode.success
    }

    static func report(_ runs: [MigrationRun], verb: String, nothingMessage: String, context: CommandContext) {
        if context.arguments.flag("json") {
            let rows = runs.map {
                MigrationRunJSON(
                    version: $0.migration.version,
                    name: $0.migration.name,
                    direction: $0.direction.rawValue,
                    durationMs: Int($0.duration.wholeMilliseconds)
                )
            }
            try? context.standardOutput.writeJSON(rows)
            return
        }
        if runs.isEmpty {
            context.standardOutput.line(nothingMessage)
        }
        for run in runs {
            context.standardOutput.line(
                "\(verb) \(run.migration.label) (\(DurationText.format(.milliseconds(run.duration.wholeMilliseconds))))"
            )
        }
    }

    @Sendable static func status(_ context: CommandContext) async throws -> Int32 {
        let format = try OutputFormat.from(context.arguments)
        let runtime = try Runtime.start(context)
        let migrations = try catalog(context)
        let rows = try await runtime.withPostgres(poolSize: 1) { client in
            try await Migrator(client: client, migrations: migrations, logger: runtime.logger).status()
        }
        let table = Table(
            headers: ["Version", "Name", "State", "Applied At"],
            rows: rows.map {
                [String($0.version), $0.name, $0.state.rawValue, $0.appliedAt.map(Timestamp.rfc3339) ?? ""]
            }
        )
        context.standardOutput.write(table, format: format)
        return ExitCode.success
    }

    @Sendable static func create(_ context: CommandContext) async throws -> Int32 {
        let name = context.arguments.string("name") ?? ""
        guard MigrationCatalog.isValidName(name) else {
            throw UsageError(
                "The migration name '\(name)' is invalid; use lower-case letters, digits and underscores, starting "
                    + "with a letter.",
                commandPath: context.arguments.commandPath
            )
        }
        let directory = absolute(context.arguments.string("dir") ?? "migrations", in: context)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RuntimeError("no migrations folder at \(directory); run this in the source checkout or pass --dir")
        }
        let onDisk = try MigrationCatalog.load(directory: directory).map(\.version)
        let embedded = (try? MigrationCatalog.embedded().map(\.version)) ?? []
        let version = ((onDisk + embedded).max() ?? 0) + 1
        let label = MigrationCatalog.label(version: version, name: name)
        for direction in ["up", "down"] {
            let path = (directory as NSString).appendingPathComponent("\(label).\(direction).sql")
            let text = "-- \(label) (\(direction))\n"
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
                throw RuntimeError("cannot write \(path)")
            }
            context.standardOutput.line(path)
        }
        return ExitCode.success
    }
}

private struct MigrationRunJSON: Encodable {
    let version: Int
    let name: String
    let direction: String
    let durationMs: Int

    enum CodingKeys: String, CodingKey {
        case version, name, direction
        case durationMs = "duration_ms"
    }
}
