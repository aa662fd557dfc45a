import Foundation

/// `knocker schedule`: the scheduler role.
enum ScheduleCommand {
    static var spec: CommandSpec {
        CommandSpec(
            name: "schedule",
            abstract: "Claim due monitors and enqueue their checks into each region's queue, until stopped.",
            discussion: """
                Every tick the scheduler locks due, unpaused monitors (skipping rows another scheduler holds), \
                enqueues one monitor:ping:{region} task per monitor and region into the queue named by the region \
                id, and sets next_check to now + interval + jitter in the same transaction. Any number of \
                schedulers may run; each monitor is enqueued once per due time. One scheduler at a time also runs \
                the storage upkeep every MAINTENANCE_INTERVAL. Schedule lag is logged every 10 s. SIGTERM or \
                SIGINT finishes the claim in progress and exits 0. With METRICS_LISTEN set, the counters and lag are also \
                served as Prometheus metrics at http://METRICS_LISTEN/metrics. It exits 1 at start-up when Postgres or \
                Redis cannot be reached or the database is not migrated; outages after a start are waited out.
                """,
            arguments: [
                .option(
                    "tick",
                    value: "duration",
                    help: "Time between claims of due monitors (\(ConfigKey.schedulerTick.rangeText)).",
                    default: "1s",
                    environment: "SCHEDULER_TICK"
                ),
                .option(
                    "batch",
                    value: "count",
                    help: "Most monitors claimed in one transaction (\(ConfigKey.schedulerBatch.rangeText)).",
                    default: "1000",
                    environment: "SCHEDULER_BATCH"
                ),
            ],
            action: run
        )
    }

    @Sendable static func run(_ context: CommandContext) async throws -> Int32 {
        let runtime = try Runtime.start(context)
        let config = runtime.config
        let logger = runtime.logger.with("component", "scheduler")
        let metricsServer = try runtime.startMetricsServer()
        defer { metricsServer?.stop() }
        try await runtime.withPostgres(poolSize: 2, requireSchema: true) { postgres in
            try await runtime.withRedis { redis in
                let scheduler = makeScheduler(runtime, postgres: postgres, redis: redis, logger: logger)
                metricsServer?.registry.register { scheduler.metrics.metricFamilies() }
                let signals = ShutdownSignals(logger: logger)
                let watcher = Task {
                    await signals.stop.wait()
                    scheduler.shutdown()
                }
                await scheduler.run()
                watcher.cancel()
                signals.cancel()
            }
        }
        return ExitCode.success
    }

    /// The scheduler of this process's configuration, with the storage upkeep.
    static func makeScheduler(
        _ runtime: Runtime,
        postgres: PostgresClient,
        redis: RedisClient,
        logger: Logger
    )
        -> Scheduler
    {
        let config = runtime.config
        let maintenance = Maintenance(
            client: postgres,
            settings: .init(
                retentionDays: config.pingRetentionDays,
                partitionsAheadDays: config.partitionsAheadDays,
                rollupRetentionDays: config.rollupRetentionDays
            ),
            logger: runtime.logger.with("component", "maintenance")
        )
        return Scheduler(
            postgres: postgres,
            queue: QueueClient(redis: redis),
            settings: Scheduler.Settings(
                tick: config.schedulerTick,
                batch: config.schedulerBatch,
                maintenanceInterval: config.maintenanceInterval
            ),
            maintenance: maintenance,
            logger: logger
        )
    }
}
