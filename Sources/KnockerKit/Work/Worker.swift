import Foundation

/// One region's worker: serves the region's queue, `critical` and `default` with the original's weights (1, 6, 3),
/// runs checks through the ``CheckEngine``, and records pings (and incidents) through a ``PingRecorder``. It also
/// sweeps notifications left in the outbox into the queue (``NotificationOutbox``).
///
/// Shutdown (``run(until:)`` returns after `stop` fires): stop taking tasks; let running checks finish within the
/// grace period, then put the rest back in the queue; write every recorded ping; stop the engine.
public final class Worker: Sendable {
    private let region: Region
    private let config: WorkerConfig
    private let postgres: PostgresClient
    private let redis: RedisClient
    private let ids: IDGenerator
    private let logger: Logger
    private let metrics: WorkerMetrics?
    private let extraHandlers: @Sendable (inout TaskMux) -> Void

    /// A worker for `region`. `metrics`, when given, is filled in once the worker runs, for a metrics endpoint.
    /// `extraHandlers` registers more task types (notification dispatch).
    public init(
        region: Region,
        config: WorkerConfig,
        postgres: PostgresClient,
        redis: RedisClient,
        ids: IDGenerator,
        logger: Logger,
        metrics: WorkerMetrics? = nil,
        extraHandlers: @escaping @Sendable (inout TaskMux) -> Void = { _ in }
    ) {
        self.region = region
        self.config = config
        self.postgres = postgres
        self.redis = redis
        self.ids = ids
        self.logger = logger.with("region", region.name)
        self.metrics = metrics
        self.extraHandlers = extraHandlers
    }

    /// The queues a worker of `region` serves, with their weights.
    public static func queues(for region: Region) -> [String: Int] {
        ["critical": 1, region.queueName: 6, "default": 3]
    }

    /// The queue server's idle poll: when every queue is empty, a fetcher waits half of this plus up to all of it
    /// (0.1–0.3 s) before asking again. The scheduler enqueues a tick's checks at once, so after the queue ran dry
    /// the next tick's checks wait for the first fetcher to wake: asynq's 1 s (0.5–1.5 s) would add up to 1.5 s of
    /// schedule lag; at 200 ms four fetchers cost ~20 Redis calls a second while idle.
    static let idlePoll = Duration.milliseconds(200)

    /// How often the worker looks for tasks whose lease expired (a worker that died holding them): asynq's 1 min
    /// would let a killed worker's checks wait up to 2 minutes (30 s lease + 30 s asynq cutoff + the interval).
    static let recoverInterval = Duration.seconds(10)

    /// Tasks held at once: `concurrency` checks running (the queue server's work slots: a task is taken from the
    /// queue only when one is free), plus as many again as the writers' buffers fill while their batches are being
    /// written (a task ends when its ping is in Postgres), so full batches form under load.
    static func taskConcurrency(_ config: WorkerConfig) -> Int {
        config.concurrency + 2 * config.recorder.writers * config.recorder.batchSize
    }

    /// Seconds before retry `retried + 1` of a notification: `first` doubled per retry, at most an hour.
    static func notificationRetrySeconds(retried: Int, first: Duration) -> Int {
        let base = max(1, Int(first.wholeMilliseconds + 999) / 1000)
        return min(3600, base << min(max(retried, 0), 12))
    }

    /// Works until `stop` fires, then drains as described above.
    public func run(until stop: StopSignal) async throws {
        let engine = CheckEngine(options: config.engine)
        let writer = PingBatchWriter(postgres: postgres, redis: redis, ids: ids, logger: logger)
        let recorder = PingRecorder(settings: config.recorder, logger: logger.with("component", "recorder")) {
            try await writer.write($0)
        }
        let sender = NotificationSender(
            timeout: config.notificationTimeout,
            telegramAPIBase: config.telegramAPIURL,
            caFile: config.notificationCAFile
        )
        defer { sender.shutdown() }
        var mux = TaskMux()
        mux.handle(
            PingTask.type,
            with: PingTaskHandler(
                engine: engine,
                recorder: recorder,
                configs: MonitorConfigCache(),
                logger: logger
            )
        )
        mux.handle(
            NotificationTask.type,
            with: NotificationDispatchHandler(
                postgres: postgres,
                sender: sender,
                ids: ids,
                logger: logger.with("component", "notify")
            )
        )
        extraHandlers(&mux)
        let notificationDelay = config.notificationRetryDelay
        let server = try QueueServer(
            redis: redis,
            configuration: QueueServerConfiguration(
                queues: Self.queues(for: region),
                concurrency: Self.taskConcurrency(config),
                workConcurrency: config.concurrency,
                shutdownTimeout: config.shutdownGrace,
                pollInterval: Self.idlePoll,
                recoverInterval: Self.recoverInterval,
                retryDelay: { retried, _, message in
                    switch message.type {
                    case NotificationTask.type:
                        Self.notificationRetrySeconds(retried: retried, first: notificationDelay)
                    // A ping task is retried only when its worker died holding it (a check that fails is a recorded
                    // failure): the check is late already, so it runs again at once.
                    case PingTask.type: 0
                    default: RetryBackoff.delay(retried: retried)
                    }
                }
            ),
            mux: mux,
            logger: logger
        )
        metrics?.attach(region: region.name, recorder: recorder, server: server)
        let recording = Task { await recorder.run() }
        let sweeping = Task {
            await NotificationOutbox(
                postgres: postgres,
                queue: QueueClient(redis: redis),
                logger: logger.with("component", "outbox")
            ).runSweeper()
        }
        defer { sweeping.cancel() }
        let serving = Task { try await server.run() }
        let watcher = Task {
            await stop.wait()
            server.shutdown()
            // Tasks end once their ping is written: write without waiting for the flush interval.
            recorder.drain()
        }
        let served = await serving.result
        watcher.cancel()
        recorder.stop()
        let reporter = Task {
            // While Postgres is down at shutdown, say what is left (never drop pings silently).
            var waited = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(5))
                guard !Task.isCancelled else { return }
                waited += 5
                let left = recorder.statistics.buffered
                logger.warning(
                    "still writing pings before exit; send the signal again to exit without them",
                    ("buffered", left),
                    ("waited", "\(waited)s")
                )
            }
        }
        await recording.value
        reporter.cancel()
        await writer.finishPublishing()
        await engine.shutdown()
        let statistics = recorder.statistics
        logger.info("worker stopped", ("pings", statistics.written), ("failed_writes", statistics.failedWrites))
        try served.get()
    }
}
