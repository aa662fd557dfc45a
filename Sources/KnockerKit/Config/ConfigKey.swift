/// One configuration setting: its environment variable, optional command-line flag, default and meaning.
/// ``ConfigKey/all`` is the single list the loader, `knocker config` and the README table come from.
public struct ConfigKey: Sendable, Hashable {
    /// What a value must look like.
    public enum Kind: Sendable, Hashable {
        case text
        case integer(ClosedRange<Int>)
        /// `500ms`, `10s`, `2m`… within the range (in milliseconds).
        case duration(ClosedRange<Int64>)
        case choice([String])
        /// A comma-separated list.
        case list
        /// A URL with one of these schemes.
        case url([String])
    }

    public let name: String
    public let flag: String?
    public let defaultValue: String?
    public let summary: String
    public let kind: Kind
    public let isSecret: Bool

    init(
        _ name: String,
        flag: String? = nil,
        default defaultValue: String? = nil,
        _ kind: Kind,
        secret: Bool = false,
        _ summary: String
    ) {
        self.name = name
        self.flag = flag
        self.defaultValue = defaultValue
        self.kind = kind
        self.isSecret = secret
        self.summary = summary
    }

    init(
        _ name: String,
        flag: String? = nil,
        default defaultValue: String? = nil,
        secret: Bool = false,
        _ summary: String
    ) {
        self.init(name, flag: flag, default: defaultValue, .text, secret: secret, summary)
    }

    /// The accepted range in words, for help texts: "10ms to 1h", "1 to 100000"; empty for other kinds.
    public var rangeText: String {
        switch kind {
        case .integer(let range): "\(range.lowerBound) to \(range.upperBound)"
        case .duration(let range):
            "\(DurationText.format(.milliseconds(range.lowerBound))) to "
                + DurationText.format(.milliseconds(range.upperBound))
        default: ""
        }
    }

    /// What ``kind`` expects, for error messages: "an integer from 1 to 65535".
    public var expectation: String {
        switch kind {
        case .text: "text"
        case .integer(let range): "an integer from \(range.lowerBound) to \(range.upperBound)"
        case .duration(let range):
            DurationText.describe(.milliseconds(range.lowerBound)...(.milliseconds(range.upperBound)))
        case .choice(let values): "one of " + values.joined(separator: ", ")
        case .list: "a comma-separated list"
        case .url(let schemes): "a URL starting with " + schemes.map { "\($0)://" }.joined(separator: " or ")
        }
    }
}

extension ConfigKey {
    static let appName = ConfigKey("APP_NAME", default: "knocker", "Application name; the JWT issuer.")
    static let appEnv = ConfigKey(
        "APP_ENV",
        default: "dev",
        .choice(["dev", "prod"]),
        "Environment; `prod` marks cookies Secure."
    )
    static let machineID = ConfigKey(
        "APP_MACHINE_ID",
        .integer(0...65535),
        "Machine part of generated IDs; give each process that writes to one database its own. "
            + "Default: derived from the host name and process id."
    )
    static let port = ConfigKey("APP_PORT", default: "8000", .integer(1...65535), "Port of the REST API.")
    static let region = ConfigKey(
        "APP_REGION",
        default: "local",
        "Region (by name) this process checks from; created on first start."
    )
    static let regions = ConfigKey("APP_REGIONS", .list, "Comma-separated regions known to this deployment.")
    static let frontendDomain = ConfigKey("FRONTEND_DOMAIN", "Cookie domain and CORS origin of the web front end.")
    static let jwtSecret = ConfigKey("JWT_SECRET_KEY", secret: true, "Key that signs access tokens (HS256).")
    static let databaseURL = ConfigKey(
        "DATABASE_URL",
        flag: "database-url",
        .url(["postgres", "postgresql"]),
        secret: true,
        "Postgres connection URL; when set, the DB_* settings are ignored."
    )
    static let dbHost = ConfigKey("DB_HOST", default: "localhost", "Postgres host.")
    static let dbPort = ConfigKey("DB_PORT", default: "5432", .integer(1...65535), "Postgres port.")
    static let dbUser = ConfigKey("DB_USER", default: "knocker", "Postgres user.")
    static let dbPassword = ConfigKey("DB_PASSWORD", default: "knocker", secret: true, "Postgres password.")
    static let dbName = ConfigKey("DB_NAME", default: "knocker", "Postgres database.")
    static let dbSSLMode = ConfigKey(
        "DB_SSL_MODE",
        default: "disable",
        .choice(["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]),
        "Postgres sslmode."
    )
    static let dbPoolSize = ConfigKey(
        "DB_POOL_SIZE",
        default: "10",
        .integer(1...1000),
        "Most Postgres connections one process opens."
    )
    static let dbAcquireTimeout = ConfigKey(
        "DB_ACQUIRE_TIMEOUT",
        default: "10s",
        .duration(1...3_600_000),
        "How long a request waits for a free pooled connection before failing."
    )
    static let dbConnectTimeout = ConfigKey(
        "DB_CONNECT_TIMEOUT",
        default: "5s",
        .duration(1000...600_000),
        "How long connecting to Postgres may take (whole seconds, at least 2 s in effect)."
    )
    static let dbStatementTimeout = ConfigKey(
        "DB_STATEMENT_TIMEOUT",
        default: "30s",
        .duration(0...86_400_000),
        "Longest a single SQL statement may run; 0 means no limit."
    )
    static let dbTCPTimeout = ConfigKey(
        "DB_TCP_TIMEOUT",
        default: "30s",
        .duration(0...3_600_000),
        "How long a Postgres TCP connection may go without the server acknowledging data or answering keepalives "
            + "before it counts as dead (a half-open connection); 0 leaves the system's defaults."
    )
    static let redisURL = ConfigKey(
        "REDIS_URL",
        flag: "redis-url",
        .url(["redis"]),
        secret: true,
        "Redis connection URL (redis://[:password@]host[:port][/db]); when set, REDIS_HOST/PORT/PASSWORD/DB are "
            + "ignored."
    )
    static let redisHost = ConfigKey("REDIS_HOST", default: "localhost", "Redis host.")
    static let redisPort = ConfigKey("REDIS_PORT", default: "6379", .integer(1...65535), "Redis port.")
    static let redisPassword = ConfigKey("REDIS_PASSWORD", secret: true, "Redis password.")
    static let redisDB = ConfigKey("REDIS_DB", default: "0", .integer(0...1023), "Redis database number.")
    static let redisPoolSize = ConfigKey(
        "REDIS_POOL_SIZE",
        default: "8",
        .integer(1...1000),
        "Most Redis connections one process opens."
    )
    static let redisConnectTimeout = ConfigKey(
        "REDIS_CONNECT_TIMEOUT",
        default: "5s",
        .duration(100...600_000),
        "How long connecting to Redis may take."
    )
    static let redisCommandTimeout = ConfigKey(
        "REDIS_COMMAND_TIMEOUT",
        default: "5s",
        .duration(100...600_000),
        "How long one Redis command may wait for its reply."
    )
    static let oauthStateExpiry = ConfigKey(
        "OAUTH_STATE_EXPIRES_AT",
        default: "600",
        .integer(1...86_400),
        "Seconds an OAuth state stays valid."
    )
    static let accessTokenExpiry = ConfigKey(
        "ACCESS_TOKEN_EXPIRES_AT",
        default: "900",
        .integer(1...86_400 * 7),
        "Seconds an access token lives."
    )
    static let refreshTokenExpiry = ConfigKey(
        "REFRESH_TOKEN_EXPIRES_AT",
        default: "31536000",
        .integer(60...315_360_000),
        "Seconds a refresh token lives."
    )
    static let googleClientID = ConfigKey("GOOGLE_CLIENT_ID", "Google OAuth client id (sign-in with Google).")
    static let googleClientSecret = ConfigKey("GOOGLE_CLIENT_SECRET", secret: true, "Google OAuth client secret.")
    static let googleRedirectURL = ConfigKey(
        "GOOGLE_REDIRECT_URL",
        .url(["http", "https"]),
        "Google OAuth redirect URL."
    )
    static let logLevel = ConfigKey(
        "LOG_LEVEL",
        flag: "log-level",
        default: "info",
        .choice(Logger.Level.allCases.map(\.description)),
        "Least severe log level written to stderr."
    )
    static let logFormat = ConfigKey(
        "LOG_FORMAT",
        flag: "log-format",
        default: "text",
        .choice(Logger.Format.allCases.map(\.rawValue)),
        "Log line format."
    )
    static let pingRetention = ConfigKey(
        "PING_RETENTION_DAYS",
        default: "90",
        .integer(1...3650),
        "Days of raw pings kept; older days are dropped."
    )
    static let partitionsAhead = ConfigKey(
        "PING_PARTITIONS_AHEAD_DAYS",
        default: "7",
        .integer(1...365),
        "Days of ping partitions created ahead."
    )
    static let rollupRetention = ConfigKey(
        "ROLLUP_RETENTION_DAYS",
        default: "400",
        .integer(1...36500),
        "Days of 30-minute ping rollups kept."
    )
    static let schedulerTick = ConfigKey(
        "SCHEDULER_TICK",
        flag: "tick",
        default: "1s",
        .duration(10...3_600_000),
        "Time between the scheduler's claims of due monitors."
    )
    static let schedulerBatch = ConfigKey(
        "SCHEDULER_BATCH",
        flag: "batch",
        default: "1000",
        .integer(1...100_000),
        "Most monitors the scheduler claims in one transaction."
    )
    static let maintenanceInterval = ConfigKey(
        "MAINTENANCE_INTERVAL",
        default: "10m",
        .duration(0...86_400_000),
        "How often a scheduler runs the storage upkeep (one scheduler at a time); 0 turns it off."
    )
    static let metricsListen = ConfigKey(
        "METRICS_LISTEN",
        "Address (host:port) of the Prometheus endpoint `/metrics` of schedule, work and all; unset: none."
    )

    /// Every setting, in the order `knocker config` and the README list them.
    public static let all: [ConfigKey] =
        [
            appName, appEnv, machineID, port, region, regions, frontendDomain, jwtSecret,
            databaseURL, dbHost, dbPort, dbUser, dbPassword, dbName, dbSSLMode,
            dbPoolSize, dbAcquireTimeout, dbConnectTimeout, dbStatementTimeout, dbTCPTimeout,
            redisURL, redisHost, redisPort, redisPassword, redisDB, redisPoolSize, redisConnectTimeout,
            redisCommandTimeout,
            oauthStateExpiry, accessTokenExpiry, refreshTokenExpiry, googleClientID, googleClientSecret,
            googleRedirectURL,
            logLevel, logFormat, pingRetention, partitionsAhead, rollupRetention,
            schedulerTick, schedulerBatch, maintenanceInterval, metricsListen,
        ] + workerKeys
}
