import Foundation

/// What commands share at start-up: the configuration (flags > environment > .env > defaults), a logger and,
/// for commands that need it, a Postgres client that is shut down when the command ends.
struct Runtime: Sendable {
    let config: Config
    let logger: Logger
    let context: CommandContext

    /// Options every command accepts, because they configure the process rather than the command.
    static let globalOptions: [ArgumentSpec] = [
        .option(
            "database-url",
            value: "url",
            help: "Postgres connection URL.",
            environment: "DATABASE_URL",
            inherited: true
        ),
        .option("redis-url", value: "url", help: "Redis connection URL.", environment: "REDIS_URL", inherited: true),
        .option(
            "log-level",
            value: "level",
            help: "Least severe log level written to stderr.",
            default: "info",
            environment: "LOG_LEVEL",
            inherited: true,
            completion: .list(Logger.Level.allCases.map(\.description))
        ),
        .option(
            "log-format",
            value: "format",
            help: "Log line format.",
            default: "text",
            environment: "LOG_FORMAT",
            inherited: true,
            completion: .list(Logger.Format.allCases.map(\.rawValue))
        ),
        .option(
            "env-file",
            value: "path",
            help: "File of KEY=value settings read before the defaults.",
            default: ".env",
            environment: "KNOCKER_ENV_FILE",
            inherited: true,
            completion: .file(extensions: [])
        ),
    ]

    /// Loads configuration and sets up logging for a command.
    /// - Throws: ``ConfigError`` naming the bad variable, or a ``RuntimeError`` for an unreadable `.env`.
    static func start(_ context: CommandContext) throws -> Runtime {
        let dotEnv = try loadDotEnv(context)
        var flags: [String: String] = [:]
        for key in ConfigKey.all {
            if let flag = key.flag, let value = context.arguments.commandLineValue(flag) { flags[flag] = value }
        }
        let config: Config
        do {
            config = try Config.load(
                flags: flags,
                environment: context.environment,
                dotEnv: dotEnv,
                derivedMachineID: IDGenerator.derivedMachineID(
                    hostName: ProcessInfo.processInfo.hostName,
                    processID: ProcessInfo.processInfo.processIdentifier
                )
            )
        } catch {
            // A bad value typed as a flag (`--tick abc`) is a usage error like any other flag's: exit 64 and the usage.
            if case .flag = error.source { throw UsageError(error.description) }
            throw error
        }
        let logger = Logger(level: config.logLevel, format: config.logFormat)
        return Runtime(config: config, logger: logger, context: context)
    }

    /// Reads `--env-file` / KNOCKER_ENV_FILE, or `.env` in the working directory when it exists.
    static func loadDotEnv(_ context: CommandContext) throws -> (path: String, values: [String: String])? {
        let explicit = context.arguments.commandLineValue("env-file") ?? context.environment["KNOCKER_ENV_FILE"]
        let path = explicit ?? ".env"
        let fullPath = path.hasPrefix("/") ? path : (context.currentDirectory as NSString).appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: fullPath) else {
            if explicit != nil && !path.isEmpty {
                throw RuntimeError("cannot read the env file \(path)")
            }
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RuntimeError("the env file \(path) is not UTF-8 text")
        }
        return (path, try DotEnv.parse(text, path: path))
    }

    /// Runs `body` with a Postgres client for this process, shutting it down afterwards.
    ///
    /// With `requireSchema`, the start-up check of the commands that need Knocker's tables runs first: a Postgres
    /// that cannot be reached or has no tables fails the command at once (exit 1, "cannot connect to Postgres" or
    /// advice to run `knocker migrate up`) instead of being retried like an outage of a running role.
    func withPostgres<T: Sendable>(
        poolSize: Int? = nil,
        requireSchema: Bool = false,
        _ body: (PostgresClient) async throws -> T
    ) async throws -> T {
        var configuration = config.database
        if let poolSize { configuration.poolSize = poolSize }
        let client = try PostgresClient(configuration: configuration, logger: logger.with("component", "postgres"))
        do {
            if requireSchema { try await Self.checkSchema(client, logger: logger) }
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch let error as PostgresError where error.code == .connectionFailed {
            await client.shutdown()
            throw RuntimeError("cannot connect to Postgres: \(error.message)")
        } catch {
            await client.shutdown()
            throw error
        }
    }
}

extension Runtime {
    /// Fails unless Postgres answers, has Knocker's tables and every migration this binary knows: missing tables or
    /// pending migrations become advice to migrate.
    static func checkSchema(_ postgres: PostgresClient, logger: Logger) async throws {
        do {
            try await postgres.withConnection { connection in
                _ = try connection.query("SELECT 1 FROM regions, monitors LIMIT 0")
            }
        } catch let error as PostgresError where error.sqlState == "42P01" {
            throw RuntimeError("the database has no Knocker tables yet (\(error.message)); run `knocker migrate up`")
        }
        // Tables from an older Knocker (a binary upgraded, the database not yet): fail now, not on a missing column.
        let migrator = Migrator(client: postgres, migrations: try MigrationCatalog.embedded(), logger: logger)
        let pending = try await migrator.status().filter { $0.state == .pending }
        guard pending.isEmpty else {
            let names = pending.map { MigrationCatalog.label(version: $0.version, name: $0.name) }.joined(
                separator: ", "
            )
            throw RuntimeError(
                "the database lacks \(pending.count == 1 ? "a migration" : "\(pending.count) migrations") this "
                    + "knocker needs (\(names)); run `knocker migrate up`"
            )
        }
    }

    /// Runs `body` with a Redis client for this process, shutting it down afterwards.
    ///
    /// Redis is checked first (one PING): one that cannot be reached at start-up fails the command at once (exit 1,
    /// "cannot reach Redis") instead of being retried; outages that begin later are the running roles' to ride out.
    func withRedis<T: Sendable>(poolSize: Int? = nil, _ body: (RedisClient) async throws -> T) async throws -> T {
        let configuration = RedisConfiguration(
            endpoint: config.redis,
            connectTimeout: config.redisConnectTimeout,
            commandTimeout: config.redisCommandTimeout,
            poolSize: poolSize ?? config.redisPoolSize
        )
        let client = RedisClient(configuration: configuration, logger: logger.with("component", "redis"))
        do {
            _ = try await client.command(["PING"])
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch let error as RedisError where error.isConnectionError {
            await client.shutdown()
            let address = "\(config.redis.host):\(config.redis.port)"
            // The client's own message often says the same ("cannot connect to Redis at …: refused"): once is enough.
            let repeated = "cannot connect to Redis at \(address): "
            let reason =
                error.message.hasPrefix(repeated) ? String(error.message.dropFirst(repeated.count)) : error.message
            throw RuntimeError("cannot reach Redis at \(address): \(reason)")
        } catch {
            await client.shutdown()
            throw error
        }
    }
}

/// A failure a command reports as `Error: <message>` with exit status 1.
struct RuntimeError: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
