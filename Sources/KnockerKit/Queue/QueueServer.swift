import Foundation
import Synchronization

/// Consumes asynq queues: dequeues with leases, runs handlers with bounded concurrency and deadlines, and records
/// each outcome (done, retry with backoff, archive) exactly as asynq v0.25 does, so it can share queues with Go
/// workers and be watched with asynqmon. Alongside it runs the lease heartbeat, the forwarder for scheduled and
/// retry tasks, the recoverer for tasks of crashed workers, the janitor and the `asynq:cancel` subscriber.
///
/// ``run()`` returns after ``shutdown()``: it stops taking tasks, waits up to the shutdown timeout for running
/// ones, cancels and requeues the rest, and removes its heartbeat.
public final class QueueServer: Sendable {
    let redis: RedisClient
    let configuration: QueueServerConfiguration
    let priorities: QueuePriorities
    let mux: TaskMux
    let logger: Logger
    let now: @Sendable () -> Date
    let inFlight = InFlightTasks()
    let stopSignal = StopSignal()
    let identity: ServerInfo
    let started: Date

    /// - Throws: ``QueuePriorities/ValidationError`` for an invalid queue list.
    public init(
        redis: RedisClient,
        configuration: QueueServerConfiguration,
        mux: TaskMux,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.redis = redis
        self.configuration = configuration
        self.priorities = try QueuePriorities(configuration.queues, strict: configuration.strictPriority)
        self.mux = mux
        self.logger = logger.with("component", "queue-server")
        self.now = now
        let started = now()
        self.started = started
        self.identity = ServerInfo(
            host: ProcessInfo.processInfo.hostName,
            pid: ProcessInfo.processInfo.processIdentifier,
            serverID: UUID().uuidString.lowercased(),
            concurrency: Int32(clamping: configuration.concurrency),
            queues: priorities.serverInfoQueues,
            strictPriority: configuration.strictPriority,
            status: "active",
            startTime: ProtobufTimestamp(started),
            activeWorkerCount: 0
        )
    }

    /// The number of tasks running now.
    public var runningTasks: Int { inFlight.count }

    /// Asks ``run()`` to stop gracefully. Safe to call from any thread, any number of times.
    public func shutdown() { stopSignal.stop() }

    /// Serves the queues until ``shutdown()``.
    public func run() async throws {
        logger.info(
            "queue server started",
            ("queues", priorities.weights.map { "\($0.key):\($0.value)" }.sorted().joined(separator: ",")),
            ("concurrency", configuration.concurrency)
        )
        await heartbeat()
        await recoverExpiredLeases()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.every(self.configuration.heartbeatInterval) { await self.heartbeat() } }
            group.addTask { await self.every(self.configuration.forwardInterval) { await self.forwardDueTasks() } }
            group.addTask { await self.every(self.configuration.recoverInterval) { await self.recoverExpiredLeases() } }
            group.addTask {
                await self.every(self.configuration.janitorInterval) { await self.deleteExpiredCompleted() }
            }
            group.addTask { await self.listenForCancellations() }
            await self.processUntilStopped()
            // Processing has drained; the background loops wake from their sleeps and end.
            self.stopSignal.stop()
            group.cancelAll()
        }
        await clearHeartbeat()
        logger.info("queue server stopped")
    }

    /// Runs `body` now and then every `interval` until stopped.
    private func every(_ interval: Duration, _ body: @Sendable () async -> Void) async {
        while !stopSignal.isStopped {
            if await stopSignal.sleep(for: interval) { return }
            await body()
        }
    }

    // MARK: - Processing

    /// Runs a few fetch loops side by side (one round trip per dequeue would otherwise cap throughput), sharing
    /// the concurrency slots.
    private func processUntilStopped() async {
        let slots = AsyncSlots(count: configuration.concurrency)
        let work = configuration.workConcurrency.flatMap {
            $0 < configuration.concurrency ? AsyncSlots(count: $0) : nil
        }
        let running = RunningCount()
        let fetchers = max(
            1,
            min(4, configuration.workConcurrency ?? configuration.concurrency, configuration.concurrency)
        )
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.drainOnStop(running: running) }
            await withTaskGroup(of: Void.self) { fetching in
                for _ in 0..<fetchers {
                    fetching.addTask { await self.fetchAndRun(slots: slots, work: work, running: running) }
                }
            }
            // Every fetcher has stopped and every task it started has ended.
            group.cancelAll()
        }
    }

    /// Once stopped, gives the tasks still running (in every fetcher) the shutdown timeout, then cancels what is left
    /// so it is requeued. Cancelled when they have all ended.
    private func drainOnStop(running: RunningCount) async {
        await stopSignal.wait()
        let timeout = configuration.shutdownTimeout
        if running.value > 0 {
            logger.info(
                "waiting for running tasks",
                ("count", running.value),
                ("timeout", DurationText.format(timeout))
            )
        }
        if (try? await Task.sleep(for: timeout)) != nil {
            inFlight.cancelAll(reason: .shutdown)
        }
    }

    /// Takes tasks while slots are free and runs each in a child task; on stop, waits for its children (which
    /// ``drainOnStop(running:)`` cancels after the shutdown timeout). A discarding group: a finished child is
    /// released at once, not kept until the server stops.
    private func fetchAndRun(slots: AsyncSlots, work: AsyncSlots?, running: RunningCount) async {
        await withDiscardingTaskGroup { handlers in
            var failures = 0
            while !stopSignal.isStopped {
                guard await acquire(slots) else { break }
                var workSlot: QueueWorkSlot?
                if let work {
                    guard await acquire(work) else {
                        slots.release()
                        break
                    }
                    workSlot = QueueWorkSlot(work)
                }
                let dequeued: DequeuedTask?
                do {
                    dequeued = try await dequeueNext()
                    failures = 0
                } catch {
                    workSlot?.release()
                    slots.release()
                    failures += 1
                    if failures == 1 || failures % 30 == 0 {
                        logger.warning("cannot dequeue", ("error", "\(error)"), ("attempts", failures))
                    }
                    await stopSignal.sleep(for: .milliseconds(min(5000, 100 << min(failures, 6))))
                    continue
                }
                guard let dequeued else {
                    workSlot?.release()
                    slots.release()
                    await stopSignal.sleep(for: idlePause())
                    continue
                }
                running.add(1)
                handlers.addTask { [workSlot] in
                    await self.process(dequeued, workSlot: workSlot)
                    workSlot?.release()
                    running.add(-1)
                    slots.release()
                }
            }
            slots.close()
            work?.close()
        }
    }

    /// Takes a concurrency slot, giving up when the server stops.
    private func acquire(_ slots: AsyncSlots) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await slots.acquire() }
            group.addTask {
                await self.stopSignal.wait()
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            // If the slot arrived but the stop won the race, the acquire task returns true later: give it back.
            var acquired = first
            while let other = await group.next() {
                if other && acquired { slots.release() } else if other { acquired = true }
            }
            if acquired && stopSignal.isStopped {
                slots.release()
                return false
            }
            return acquired
        }
    }

    /// `pollInterval/2 + random(0 ..< pollInterval)`, as asynq sleeps when every queue is empty.
    private func idlePause() -> Duration {
        let millis = max(1, configuration.pollInterval.wholeMilliseconds)
        return .milliseconds(millis / 2 + Int64.random(in: 0..<millis))
    }
}

/// How many handler tasks are running.
private final class RunningCount: Sendable {
    private let count = Atomic<Int>(0)
    func add(_ delta: Int) { count.add(delta, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
