extension ConfigKey {
    static let workerConcurrency = ConfigKey(
        "WORKER_CONCURRENCY",
        default: "1000",
        .integer(1...100_000),
        "Most checks one worker runs at once (tasks whose ping waits to be written do not count)."
    )
    static let workerShutdownGrace = ConfigKey(
        "WORKER_SHUTDOWN_GRACE",
        default: "10s",
        .duration(0...600_000),
        "On SIGTERM, how long running checks may finish before they are put back in the queue."
    )
    static let pingFlushInterval = ConfigKey(
        "PING_FLUSH_INTERVAL",
        default: "1s",
        .duration(10...60_000),
        "Longest a recorded ping waits before its batch is written."
    )
    static let pingBatchSize = ConfigKey(
        "PING_BATCH_SIZE",
        default: "1000",
        .integer(1...100_000),
        "Pings written per batch (one INSERT)."
    )
    static let pingWriters = ConfigKey(
        "PING_WRITERS",
        default: "2",
        .integer(1...64),
        "Ping batches one worker writes at once, each on its own Postgres connection with its share of the monitors."
    )
    static let pingBufferLimit = ConfigKey(
        "PING_BUFFER_LIMIT",
        default: "100000",
        .integer(1...10_000_000),
        "Most pings a worker holds unwritten (shared among the writers); when full, checks wait. The tasks a worker holds usually bound it first."
    )
    static let checkCAFile = ConfigKey(
        "CHECK_CA_FILE",
        "PEM file of CA certificates HTTP checks trust instead of the system's (for private CAs)."
    )
    static let checkMaxConnections = ConfigKey(
        "CHECK_MAX_CONNECTIONS",
        default: "0",
        .integer(0...1_000_000),
        "Most HTTP check connections open at once per worker; 0 means no limit."
    )
    static let resolverThreads = ConfigKey(
        "CHECK_RESOLVER_THREADS",
        default: "8",
        .integer(1...256),
        "Threads resolving host names for TCP and ping checks."
    )
    static let notificationTimeout = ConfigKey(
        "NOTIFICATION_TIMEOUT",
        default: "10s",
        .duration(100...300_000),
        "Longest one notification delivery (HTTP or SMTP) may take."
    )
    static let notificationRetryDelay = ConfigKey(
        "NOTIFICATION_RETRY_DELAY",
        default: "10s",
        .duration(1...3_600_000),
        "Wait before the first retry of a failed notification; doubled each retry, at most 1 h, 25 retries."
    )
    static let notificationCAFile = ConfigKey(
        "NOTIFICATION_CA_FILE",
        "PEM file of CA certificates notification deliveries (webhooks, SMTP) trust instead of the system's (for a private CA)."
    )
    static let telegramAPIURL = ConfigKey(
        "TELEGRAM_API_URL",
        default: "https://api.telegram.org",
        .url(["http", "https"]),
        "Base URL of the Telegram Bot API."
    )

    /// The worker's settings, in README order.
    static let workerKeys: [ConfigKey] = [
        workerConcurrency, workerShutdownGrace, pingFlushInterval, pingBatchSize, pingWriters, pingBufferLimit,
        checkCAFile,
        checkMaxConnections, resolverThreads, notificationTimeout, notificationRetryDelay, notificationCAFile,
        telegramAPIURL,
    ]
}

/// What `knocker work` and `knocker all` take from the configuration.
public struct WorkerConfig: Sendable, Equatable {
    /// Most checks at once.
    public var concurrency: Int
    /// How long running checks may finish on shutdown.
    public var shutdownGrace: Duration
    /// The ping recorder's limits.
    public var recorder: PingRecorder.Settings
    /// The check engine's options.
    public var engine: CheckEngine.Options
    /// Longest one notification delivery may take.
    public var notificationTimeout: Duration
    /// First retry delay of a failed notification.
    public var notificationRetryDelay: Duration
    /// Telegram Bot API base URL.
    public var telegramAPIURL: String
    /// CA certificates notification deliveries trust instead of the system's; nil for the system store.
    public var notificationCAFile: String?
}

extension Config.Resolver {
    mutating func worker() throws(ConfigError) -> WorkerConfig {
        WorkerConfig(
            concurrency: try int(.workerConcurrency) ?? 1000,
            shutdownGrace: try duration(.workerShutdownGrace) ?? .seconds(10),
            recorder: PingRecorder.Settings(
                flushInterval: try duration(.pingFlushInterval) ?? .seconds(1),
                batchSize: try int(.pingBatchSize) ?? 1000,
                bufferLimit: try int(.pingBufferLimit) ?? 100_000,
                writers: try int(.pingWriters) ?? 2
            ),
            engine: CheckEngine.Options(
                resolverThreads: try int(.resolverThreads) ?? 8,
                http: CurlMultiLoop.Options(
                    caFile: try string(.checkCAFile),
                    maxTotalConnections: try int(.checkMaxConnections) ?? 0
                )
            ),
            notificationTimeout: try duration(.notificationTimeout) ?? .seconds(10),
            notificationRetryDelay: try duration(.notificationRetryDelay) ?? .seconds(10),
            telegramAPIURL: try string(.telegramAPIURL) ?? "https://api.telegram.org",
            notificationCAFile: try string(.notificationCAFile)
        )
    }
}
