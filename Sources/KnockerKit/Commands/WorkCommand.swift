import Foundation

/// `knocker work --region NAME`: a region's check worker.
enum WorkCommand {
    static var spec: CommandSpec {
        CommandSpec(
            name: "work",
            abstract: "Run checks for one region: serve its queue, record pings, open and resolve incidents.",
            discussion: """
                Serves the region's queue (weight 6), `default` (3) and `critical` (1), as the original's workers \
                do. SIGTERM or SIGINT stops taking tasks, lets running checks finish within WORKER_SHUTDOWN_GRACE \
                (then puts them back in the queue), writes every recorded ping and exits 0; a second signal exits at \
                once. With METRICS_LISTEN set, ping and task counts are served as Prometheus metrics at \
                http://METRICS_LISTEN/metrics. It exits 1 at start-up when Postgres or Redis cannot be reached or the \
                database is not migrated; outages after a start are waited out.
                """,
            arguments: [regionOption(help: "The region to check from (by name)."), concurrencyOption],
            action: run
        )
    }

    /// `--region NAME`, falling back to APP_REGION.
    static func regionOption(help: String) -> ArgumentSpec {
        .option("region", short: "r", value: "name", help: help, environment: "APP_REGION")
    }

    /// `--concurrency N`.
    static let concurrencyOption = ArgumentSpec.option(
        "concurrency",
        value: "n",
        help: "Most checks at once (default: WORKER_CONCURRENCY, 1000)."
    )

    /// The worker settings with `--concurrency` applied; refuses more ping writers than the connection pool serves.
    static func workerConfig(_ runtime: Runtime, _ arguments: ParsedArguments) throws -> WorkerConfig {
        var config = runtime.config.worker
        if let concurrency = try arguments.int("concurrency", in: 1...100_000) { config.concurrency = concurrency }
        let pool = runtime.config.database.poolSize
        guard config.recorder.writers < pool else {
            throw RuntimeError(
                "PING_WRITERS (\(config.recorder.writers)) must be less than DB_POOL_SIZE (\(pool)): each writer holds "
                    + "a Postgres connection while it writes, and the worker needs at least one more"
            )
        }
        return config
    }

    @Sendable static func run(_ context: CommandContext) async throws -> Int32 {
        let runtime = try Runtime.start(context)
        let config = try workerConfig(runtime, context.arguments)
        let regionName = context.arguments.string("region") ?? runtime.config.region
        let ids = IDGenerator(machineID: runtime.config.machineID)
        let logger = runtime.logger
        let metricsServer = try runtime.startMetricsServer()
        defer { metricsServer?.stop() }
        let metrics = WorkerMetrics()
        metricsServer?.registry.register { metrics.metricFamilies() }
        return try await runtime.withPostgres(requireSchema: true) { postgres in
            let region = try await findRegion(regionName, postgres: postgres)
            return try await runtime.withRedis(poolSize: max(runtime.config.redisPoolSize, 12)) { redis in
                let signals = ShutdownSignals(logger: logger)
                defer { signals.cancel() }
                logger.info("worker starting", ("region", region.name), ("concurrency", config.concurrency))
                try await Worker(
                    region: region,
                    config: config,
                    postgres: postgres,
                    redis: redis,
                    ids: ids,
                    logger: logger,
                    metrics: metrics
                ).run(until: signals.stop)
                return ExitCode.success
            }
        }
    }

    /// The region called `name`, or an error listing the known ones.
    static func findRegion(_ name: String, postgres: PostgresClient) async throws -> Region {
        let regions = try await postgres.withConnection { try RegionStore.all($0) }
        if let region = regions.first(where: { $0.name == name }) { return region }
        let known = regions.isEmpty ? "none yet" : regions.map(\.name).joined(separator: ", ")
        throw RuntimeError("unknown region \"\(name)\"; known regions: \(known)")
    }
}
