extension ConfigKey {
    static let workerConcurrency = ConfigKey(
        "WORKER_CONCURRENCY",
        default: "1000",
        .integer(1...100_000),
        "Most checks one worker runs at once."
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
        "Pings written per batch (COPY)."
    )
    static let pingBufferLimit = ConfigKey(
        "PING_BUFFER_LIMIT",
        default: "100000",
        .integer(1...10_000_000),
        "Pings a worker holds while Postgres is unreachable; when full, checks wait."
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

    /// The worker's settings, in README order.
    static let workerKeys: [ConfigKey] = [
        workerConcurrency, workerShutdownGrace, pingFlushInterval, pingBatchSize, pingBufferLimit, checkCAFile,
        checkMaxConnections, resolverThreads,
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
}

extension Config.Resolver {
    mutating func worker() throws(ConfigError) -> WorkerConfig {
        WorkerConfig(
            concurrency: try int(.workerConcurrency) ?? 1000,
            shutdownGrace: try duration(.workerShutdownGrace) ?? .seconds(10),
            recorder: PingRecorder.Settings(
                flushInterval: try duration(.pingFlushInterval) ?? .seconds(1),
                batchSize: try int(.pingBatchSize) ?? 1000,
                bufferLimit: try int(.pingBufferLimit) ?? 100_000
            ),
            engine: CheckEngine.Options(
                resolverThreads: try int(.resolverThreads) ?? 8,
                http: CurlMultiLoop.Options(
                    caFile: try string(.checkCAFile),
                    maxTotalConnections: try int(.checkMaxConnections) ?? 0
                )
            )
        )
    }
}
