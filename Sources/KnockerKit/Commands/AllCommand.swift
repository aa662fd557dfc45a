import Foundation

/// `knocker all`: every role in one process, for a single machine.
enum AllCommand {
    static var spec: CommandSpec {
        CommandSpec(
            name: "all",
            abstract: "Run the scheduler and a worker for the local region in one process.",
            discussion: """
                The region is APP_REGION (default `local`); it is created when it does not exist yet, so a fresh \
                install works with no further setup. The database must be migrated (knocker migrate up). SIGTERM \
                or SIGINT stops both roles gracefully (the worker drains as `knocker work` does) and exits 0. With \
                METRICS_LISTEN set, both roles' metrics are served at http://METRICS_LISTEN/metrics.
                """,
            arguments: [
                WorkCommand.regionOption(help: "The region to check from (by name); created if missing."),
                WorkCommand.concurrencyOption,
            ],
            action: run
        )
    }

    @Sendable static func run(_ context: CommandContext) async throws -> Int32 {
        let runtime = try Runtime.start(context)
        let workerConfig = try WorkCommand.workerConfig(runtime, context.arguments)
        let regionName = context.arguments.string("region") ?? runtime.config.region
        guard !regionName.isEmpty, regionName.count <= 100 else {
            throw UsageError("The region name must be 1 to 100 characters.")
        }
        let ids = IDGenerator(machineID: runtime.config.machineID)
        let logger = runtime.logger
        let metricsServer = try runtime.startMetricsServer()
        defer { metricsServer?.stop() }
        let workerMetrics = WorkerMetrics()
        return try await runtime.withPostgres(requireSchema: true) { postgres in
            let newID = try ids.next()
            let (region, created) = try await postgres.withConnection { connection in
                try RegionStore.ensure(connection, name: regionName, displayName: regionName, id: newID)
            }
            if created { logger.info("created region", ("region", region.name), ("id", region.id)) }
            return try await runtime.withRedis(poolSize: max(runtime.config.redisPoolSize, 16)) { redis in
                let signals = ShutdownSignals(logger: logger)
                defer { signals.cancel() }
                let scheduler = ScheduleCommand.makeScheduler(
                    runtime,
                    postgres: postgres,
                    redis: redis,
                    logger: logger.with("component", "scheduler")
                )
                let worker = Worker(
                    region: region,
                    config: workerConfig,
                    postgres: postgres,
                    redis: redis,
                    ids: ids,
                    logger: logger,
                    metrics: workerMetrics
                )
                metricsServer?.registry.register { scheduler.metrics.metricFamilies() }
                metricsServer?.registry.register { workerMetrics.metricFamilies() }
                let scheduling = Task { await scheduler.run() }
                let stopScheduler = Task {
                    await signals.stop.wait()
                    scheduler.shutdown()
                }
                logger.info("knocker all running", ("region", region.name))
                let worked = await Task { try await worker.run(until: signals.stop) }.result
                // The worker returns on a signal or on an error; either way the scheduler stops too.
                signals.stop.stop()
                await scheduling.value
                stopScheduler.cancel()
                try worked.get()
                return ExitCode.success
            }
        }
    }
}
