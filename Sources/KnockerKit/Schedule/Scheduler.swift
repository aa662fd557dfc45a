import Foundation
import Synchronization

/// `knocker schedule`'s engine: every tick it claims due, unpaused monitors and enqueues one
/// `monitor:ping:{region}` task per monitor and region, exactly once per due time however many schedulers run.
///
/// One claim is one Postgres transaction on one connection: lock up to `batch` due rows (`FOR UPDATE SKIP
/// LOCKED`, so schedulers never wait for or double-claim each other's rows), enqueue their tasks while the rows
/// stay locked, advance last_checked / next_check (now + interval + jitter), commit. Each task has a
/// deterministic ID, `ping:<monitor>:<region>:<due time in unix ms>`, so if the commit fails after the enqueue,
/// the next claim of the same due time is refused by Redis as an ID conflict, which counts as done.
///
/// The ID only stays reserved while the task is in Redis: pending, running, retrying, archived, or completed
/// within its retention (``Settings/taskRetention``). A re-claim after a failed commit normally follows within a
/// tick or two, well inside the default 60 s; a Postgres outage longer than that between an enqueue and its commit
/// can cause at most one extra check of those monitors. A longer retention closes that gap at the cost of Redis
/// memory: every completed check stays in Redis for the retention (tasks per second × retention × ~1 KiB).
public final class Scheduler: Sendable {
    /// How the scheduler runs.
    public struct Settings: Sendable {
        /// Time between ticks.
        public var tick: Duration
        /// Most monitors claimed in one transaction; a tick claims batches until one comes back short.
        public var batch: Int
        /// How often the maintenance routine runs (by one scheduler at a time); nil: never.
        public var maintenanceInterval: Duration?
        /// How long a completed task (and so its ID) is kept in Redis.
        public var taskRetention: Duration
        /// The window lag percentiles are computed over.
        public var metricsWindow: Duration
        /// How often metrics are logged.
        public var logInterval: Duration
        /// p99 lag above which the periodic metrics line is a warning.
        public var lagWarning: Duration
        /// A uniform random number in [0, 1]; jitter is this times ``Scheduler/maxJitter(interval:)``.
        public var random: @Sendable () -> Double

        /// Settings with the documented defaults.
        public init(
            tick: Duration = .seconds(1),
            batch: Int = 1000,
            maintenanceInterval: Duration? = .seconds(600),
            taskRetention: Duration = .seconds(60),
            metricsWindow: Duration = .seconds(60),
            logInterval: Duration = .seconds(10),
            lagWarning: Duration = .seconds(2),
            random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
        ) {
            self.tick = tick
            self.batch = batch
            self.maintenanceInterval = maintenanceInterval
            self.taskRetention = taskRetention
            self.metricsWindow = metricsWindow
            self.logInterval = logInterval
            self.lagWarning = lagWarning
            self.random = random
        }
    }

    /// The largest jitter added to a monitor's interval, in seconds: min(30% of the interval, 5 s).
    public static func maxJitter(interval: Int) -> Double {
        min(0.3 * Double(max(0, interval)), 5)
    }

    /// The jitter for `interval` given a uniform `unit` in [0, 1] (clamped): `unit` × ``maxJitter(interval:)``.
    public static func jitter(interval: Int, unit: Double) -> Double {
        let unit = unit.isFinite ? min(1, max(0, unit)) : 0
        return unit * maxJitter(interval: interval)
    }

    /// The task ID of `monitorID`'s check from `regionID` for the due time `due`: `ping:<monitor>:<region>:<unix ms>`.
    public static func taskID(monitorID: Int64, regionID: Int64, due: Date) -> String {
        let milliseconds = Int64((due.timeIntervalSince1970 * 1000).rounded(.down))
        return "ping:\(monitorID):\(regionID):\(milliseconds)"
    }

    private let postgres: PostgresClient
    private let queue: QueueClient
    private let settings: Settings
    private let maintenance: Maintenance?
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let stopSignal = StopSignal()
    private let recorder: SchedulerMetricsRecorder
    /// Monitors without regions already logged, so each is logged once per process.
    private let loggedWithoutRegions = Mutex<Set<Int64>>([])

    /// A scheduler claiming from `postgres` and enqueueing through `queue`.
    /// - Parameters:
    ///   - maintenance: the upkeep run every ``Settings/maintenanceInterval``; nil to never run it.
    ///   - now: the clock claims compare next_check with (injectable for tests).
    public init(
        postgres: PostgresClient,
        queue: QueueClient,
        settings: Settings = Settings(),
        maintenance: Maintenance? = nil,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.postgres = postgres
        self.queue = queue
        var settings = settings
        settings.batch = max(1, settings.batch)
        self.settings = settings
        self.maintenance = maintenance
        self.logger = logger
        self.now = now
        self.recorder = SchedulerMetricsRecorder(window: settings.metricsWindow)
    }

    /// Counters and schedule lag so far.
    public var metrics: SchedulerMetrics {
        recorder.snapshot(now: now())
    }

    /// Asks ``run()`` to return after the claim in progress; safe from any thread, more calls do nothing.
    public func shutdown() {
        stopSignal.stop()
    }

    /// Ticks until ``shutdown()``: claims due monitors, runs the maintenance when due, logs metrics. A failed
    /// claim is logged and retried on the next tick. Returns after the claim in progress finishes; a maintenance
    /// run still going is cancelled.
    public func run() async {
        logger.info(
            "scheduler started",
            ("tick", DurationText.format(settings.tick)),
            ("batch", settings.batch)
        )
        await withTaskGroup(of: Void.self) { group in
            if let maintenance, let interval = settings.maintenanceInterval {
                group.addTask { [self] in await maintenanceLoop(maintenance, every: interval) }
            }
            await tickLoop()
            group.cancelAll()
        }
        logMetrics()
        logger.info("scheduler stopped")
    }

    private func tickLoop() async {
        let clock = ContinuousClock()
        var nextLog = clock.now + settings.logInterval
        // While claims keep failing (Postgres or Redis down), the error is logged once and then every 30 s.
        var failures = 0
        var nextFailureLog = clock.now
        while !stopSignal.isStopped {
            let started = clock.now
            do {
                _ = try await tick()
                if failures > 0 {
                    logger.notice("claiming due monitors works again", ("failed_ticks", failures))
                    failures = 0
                }
            } catch {
                recorder.record { $0.failedTicks += 1 }
                failures += 1
                if failures == 1 || clock.now >= nextFailureLog {
                    logger.error(
                        "claiming due monitors failed; retrying every tick",
                        ("error", "\(error)"),
                        ("failed_ticks", failures)
                    )
                    nextFailureLog = clock.now + .seconds(30)
                }
            }
            if clock.now >= nextLog {
                logMetrics()
                nextLog = clock.now + settings.logInterval
            }
            let elapsed = clock.now - started
            if elapsed < settings.tick {
                await stopSignal.sleep(for: settings.tick - elapsed)
            }
        }
    }

    private func maintenanceLoop(_ maintenance: Maintenance, every interval: Duration) async {
        while !Task.isCancelled && !stopSignal.isStopped {
            do {
                _ = try await maintenance.run(wait: false)
            } catch {
                if Task.isCancelled { return }
                logger.error("maintenance failed", ("error", "\(error)"))
            }
            if await stopSignal.sleep(for: interval) { return }
        }
    }

    /// One tick: claims batches until one comes back smaller than the batch size (or ``shutdown()`` is called).
    /// - Returns: the number of monitors claimed.
    @discardableResult
    public func tick() async throws -> Int {
        var total = 0
        while true {
            let claimed = try await claimBatch()
            total += claimed
            if claimed < settings.batch || stopSignal.isStopped { break }
        }
        recorder.record { $0.lastTick = now() }
        return total
    }

    /// One claim transaction: lock up to `batch` due monitors, enqueue their tasks, advance them, commit.
    /// - Returns: the number of monitors claimed.
    public func claimBatch() async throws -> Int {
        let now = now()
        let batch = settings.batch
        return try await postgres.withSession { session in
            let monitors = try await session.run { connection in
                try MonitorStore.begin(connection)
                return try MonitorStore.claimDue(connection, now: now, limit: batch)
            }
            guard !monitors.isEmpty else {
                try await session.run { try MonitorStore.commit($0) }
                return 0
            }
            try await enqueue(monitors)
            let jitter = monitors.map { Self.jitter(interval: $0.interval, unit: settings.random()) }
            let ids = monitors.map(\.id)
            try await session.run { connection in
                try MonitorStore.advance(connection, ids: ids, jitterSeconds: jitter, now: now)
                try MonitorStore.commit(connection)
            }
            recorder.record { $0.claimed += monitors.count }
            recorder.recordLags(monitors.map { now.timeIntervalSince($0.nextCheck) }, at: now)
            return monitors.count
        }
    }

    /// Enqueues one task per monitor and region; an ID conflict means this due time is already enqueued.
    /// - Throws: when Redis fails (the transaction then rolls back and the monitors stay due).
    private func enqueue(_ monitors: [Monitor]) async throws {
        var tasks: [NewTask] = []
        var withoutRegions: [Int64] = []
        for monitor in monitors {
            if monitor.regionIDs.isEmpty {
                withoutRegions.append(monitor.id)
                continue
            }
            for region in monitor.regionIDs {
                tasks.append(
                    NewTask(
                        type: PingTask.type,
                        payload: PingTask(monitor: monitor, regionID: region).payload(),
                        options: TaskOptions(
                            queue: String(region),
                            timeout: PingTask.timeout,
                            taskID: Self.taskID(monitorID: monitor.id, regionID: region, due: monitor.nextCheck),
                            retention: settings.taskRetention
                        )
                    )
                )
            }
        }
        if !withoutRegions.isEmpty { logWithoutRegions(withoutRegions) }
        let results = tasks.isEmpty ? [] : try await queue.enqueue(tasks)
        var enqueued = 0
        var conflicts = 0
        var rejected = 0
        for (task, result) in zip(tasks, results) {
            switch result {
            case .success:
                enqueued += 1
            case .failure(.taskIDConflict):
                conflicts += 1
            case .failure(let error):
                rejected += 1
                logger.error(
                    "a ping task was refused",
                    ("task_id", task.options.taskID ?? ""),
                    ("error", error.description)
                )
            }
        }
        recorder.record {
            $0.enqueued += enqueued
            $0.alreadyEnqueued += conflicts
            $0.rejected += rejected
            $0.withoutRegions += withoutRegions.count
        }
    }

    private func logWithoutRegions(_ ids: [Int64]) {
        let new = loggedWithoutRegions.withLock { logged in ids.filter { logged.insert($0).inserted } }
        for id in new {
            logger.warning("monitor has no regions; nothing to enqueue", ("monitor_id", id))
        }
    }

    private func logMetrics() {
        let metrics = metrics
        let fields: [(String, CustomStringConvertible)] = [
            ("claimed", metrics.claimed),
            ("enqueued", metrics.enqueued),
            ("already_enqueued", metrics.alreadyEnqueued),
            ("lag_p50_ms", Self.milliseconds(metrics.lagP50)),
            ("lag_p99_ms", Self.milliseconds(metrics.lagP99)),
            ("lag_max_ms", Self.milliseconds(metrics.lagMax)),
            ("failed_ticks", metrics.failedTicks),
        ]
        if metrics.lagP99 > settings.lagWarning {
            logger.log(.warning, "schedule lag is high", fields)
        } else {
            logger.log(.info, "scheduler metrics", fields)
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
