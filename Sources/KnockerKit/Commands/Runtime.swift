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
        let config = try Config.load(
            flags: flags,
            environment: context.environment,
            dotEnv: dotEnv,
            derivedMachineID: IDGenerator.derivedMachineID(
                hostName: ProcessInfo.processInfo.hostName,
                processID: ProcessInfo.processInfo.processIdentifier
            )
        )
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
    func withPostgres<T: Sendable>(
        poolSize: Int? = nil,
        _ body: (PostgresClient) async throws -> T
    ) async throws -> T {
        var configuration = config.database
        if let poolSize { configuration.poolSize = poolSize }
        let client = try PostgresClient(configuration: configuration, logger: logger.with("component", "postgres"))
        do {
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
    /// Runs `body` with a Redis client for this process, shutting it down afterwards.
    func withRedis<T: Sendable>(poolSize: Int? = nil, _ body: (RedisClient) async throws -> T) async throws -> T {
        let configuration = RedisConfiguration(
            endpoint: config.redis,
            connectTimeout: config.redisConnectTimeout,
            commandTimeout: config.redisCommandTimeout,
            poolSize: poolSize ?? config.redisPoolSize
        )
        let client = RedisClient(configuration: configuration, logger: logger.with("component", "redis"))
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch let error as RedisError where error.isConnectionError {
            await client.shutdown()
            throw RuntimeError("cannot reach Redis at \(config.redis.host):\(config.redis.port): \(error.message)")
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
