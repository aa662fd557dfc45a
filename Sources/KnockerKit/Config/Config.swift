import Foundation

/// Knocker's effective configuration: command-line flags > environment > `.env` file > documented defaults.
/// Every value is checked when loaded; a bad one fails start-up with a message naming the variable.
public struct Config: Sendable {
    public var appName: String
    public var appEnv: String
    public var machineID: UInt16
    public var port: Int
    public var region: String
    public var regions: [String]
    public var frontendDomain: String?
    public var jwtSecret: String?
    public var database: PostgresConfiguration
    public var redis: RedisEndpoint
    public var redisPoolSize: Int
    public var redisConnectTimeout: Duration
    public var redisCommandTimeout: Duration
    public var oauthStateExpiry: Int
    public var accessTokenExpiry: Int
    public var refreshTokenExpiry: Int
    public var googleClientID: String?
    public var googleClientSecret: String?
    public var googleRedirectURL: String?
    public var logLevel: Logger.Level
    public var logFormat: Logger.Format
    public var pingRetentionDays: Int
    public var partitionsAheadDays: Int
    public var rollupRetentionDays: Int
    /// Time between scheduler ticks.
    public var schedulerTick: Duration
    /// Most monitors claimed per scheduler transaction.
    public var schedulerBatch: Int
    /// How often a scheduler runs the storage upkeep; nil: never.
    public var maintenanceInterval: Duration?
    /// Where the Prometheus endpoint listens (`schedule`, `work`, `all`); nil: no endpoint.
    public var metricsListen: SocketAddress?
    /// Worker settings (`knocker work`, `knocker all`).
    public var worker: WorkerConfig
    /// Every setting with its source, for `knocker config`.
    public var settings: [ResolvedSetting]

    /// Loads the configuration.
    /// - Parameters:
    ///   - flags: values typed on the command line, by flag name (`database-url`).
    ///   - environment: the process environment.
    ///   - dotEnv: the parsed `.env` file and its path, if one was read.
    ///   - derivedMachineID: the machine id used when APP_MACHINE_ID is unset.
    public static func load(
        flags: [String: String],
        environment: [String: String],
        dotEnv: (path: String, values: [String: String])?,
        derivedMachineID: UInt16
    ) throws(ConfigError) -> Config {
        var resolver = Resolver(flags: flags, environment: environment, dotEnv: dotEnv)
        let machine = try resolver.int(.machineID).map(UInt16.init) ?? derivedMachineID
        if resolver.settings[ConfigKey.machineID.name]?.source == .unset {
            resolver.settings[ConfigKey.machineID.name] = ResolvedSetting(
                key: .machineID,
                value: String(derivedMachineID),
                source: .derived
            )
        }
        let connectionString = try resolver.databaseConnectionString()
        let database = PostgresConfiguration(
            connectionString: connectionString,
            poolSize: try resolver.int(.dbPoolSize) ?? 10,
            acquireTimeout: try resolver.duration(.dbAcquireTimeout) ?? .seconds(10),
            connectTimeout: try resolver.duration(.dbConnectTimeout) ?? .seconds(5),
            statementTimeout: try resolver.duration(.dbStatementTimeout).flatMap { $0 == .zero ? nil : $0 },
            tcpTimeout: try resolver.duration(.dbTCPTimeout).flatMap { $0 == .zero ? nil : $0 },
            applicationName: try resolver.string(.appName) ?? "knocker"
        )
        let config = Config(
            appName: try resolver.string(.appName) ?? "knocker",
            appEnv: try resolver.string(.appEnv) ?? "dev",
            machineID: machine,
            port: try resolver.int(.port) ?? 8000,
            region: try resolver.string(.region) ?? "local",
            regions: try resolver.list(.regions),
            frontendDomain: try resolver.string(.frontendDomain),
            jwtSecret: try resolver.string(.jwtSecret),
            database: database,
            redis: try resolver.redisEndpoint(),
            redisPoolSize: try resolver.int(.redisPoolSize) ?? 8,
            redisConnectTimeout: try resolver.duration(.redisConnectTimeout) ?? .seconds(5),
            redisCommandTimeout: try resolver.duration(.redisCommandTimeout) ?? .seconds(5),
            oauthStateExpiry: try resolver.int(.oauthStateExpiry) ?? 600,
            accessTokenExpiry: try resolver.int(.accessTokenExpiry) ?? 900,
            refreshTokenExpiry: try resolver.int(.refreshTokenExpiry) ?? 31_536_000,
            googleClientID: try resolver.string(.googleClientID),
            googleClientSecret: try resolver.string(.googleClientSecret),
            googleRedirectURL: try resolver.string(.googleRedirectURL),
            logLevel: Logger.Level(name: try resolver.string(.logLevel) ?? "info") ?? .info,
            logFormat: Logger.Format(rawValue: try resolver.string(.logFormat) ?? "text") ?? .text,
            pingRetentionDays: try resolver.int(.pingRetention) ?? 90,
            partitionsAheadDays: try resolver.int(.partitionsAhead) ?? 7,
            rollupRetentionDays: try resolver.int(.rollupRetention) ?? 400,
            schedulerTick: try resolver.duration(.schedulerTick) ?? .seconds(1),
            schedulerBatch: try resolver.int(.schedulerBatch) ?? 1000,
            maintenanceInterval: (try resolver.duration(.maintenanceInterval) ?? .seconds(600)).flatMap {
                $0 == .zero ? nil : $0
            },
            metricsListen: try resolver.listenAddress(.metricsListen),
            worker: try resolver.worker(),
            settings: []
        )
        var result = config
        result.settings = ConfigKey.all.map { key in
            resolver.settings[key.name] ?? resolver.resolve(key)
        }
        return result
    }
}

/// Where Redis is, from REDIS_URL or REDIS_HOST/PORT/PASSWORD/DB.
public struct RedisEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var password: String?
    public var database: Int
}
