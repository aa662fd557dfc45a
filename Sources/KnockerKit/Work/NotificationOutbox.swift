import Foundation

/// Puts notification tasks in the queue without losing any while Redis is unreachable. The incident engine's
/// notifications are written to the `notification_outbox` table in the transaction that changed the incident;
/// ``deliver(_:)`` enqueues them after the commit and deletes their rows. Rows left behind (Redis down for longer
/// than the few tries, or a worker that died in between) are enqueued by ``sweep()``, which every worker runs every
/// ``sweepInterval`` for rows older than ``staleAge`` (30 s). Enqueueing one twice is harmless: the task ID is fixed per
/// incident, channel and kind, and a delivery is recorded (and sent) once.
struct NotificationOutbox: Sendable {
    /// How often a worker sweeps the outbox.
    static let sweepInterval = Duration.seconds(10)
    /// Most rows one sweep takes.
    static let sweepLimit = 500
    /// Sweeps a row may be refused by Redis (an invalid task) before it is dropped, with an error logged.
    static let maxAttempts = 10

    let postgres: PostgresClient
    let queue: QueueClient
    let logger: Logger
    /// How long a row waits before a sweep takes it (longer than ``deliver(_:)`` keeps trying).
    var staleAge = Duration.seconds(30)

    /// Enqueues `notifications` (already in the outbox), trying a few times while Redis is unreachable, and deletes
    /// the rows of those enqueued. Those it could not enqueue stay for ``sweep()``.
    func deliver(_ notifications: [NotificationTask]) async {
        guard !notifications.isEmpty else { return }
        var pending = notifications.map { Entry(taskID: $0.taskID, payload: $0.payload()) }
        for attempt in 1...5 {
            do {
                let failed = try await enqueue(pending)
                let done = Set(pending.map(\.taskID)).subtracting(failed.map(\.taskID))
                await forget(Array(done))
                if failed.isEmpty { return }
                pending = failed
            } catch {
                logger.warning(
                    "enqueueing notifications failed",
                    ("attempt", attempt),
                    ("notifications", pending.count),
                    ("error", "\(error)")
                )
            }
            try? await Task.sleep(for: .milliseconds(200 * attempt))
        }
        logger.error(
            "notifications could not be enqueued yet; they stay in the outbox and a worker's sweep enqueues them",
            ("notifications", pending.map(\.taskID).joined(separator: " "))
        )
    }

    /// Enqueues up to ``sweepLimit`` rows older than ``staleAge`` and deletes them; returns how many it enqueued.
    /// Rows another worker is sweeping are skipped.
    @discardableResult
    func sweep() async throws -> Int {
        try await postgres.withSession { session in
            _ = try await session.run { try $0.execute("BEGIN") }
            let stale = try await session.run { connection in
                try NotificationOutboxStore.lockStale(connection, age: staleAge, limit: Self.sweepLimit)
            }
            guard !stale.isEmpty else {
                _ = try await session.run { try $0.execute("COMMIT") }
                return 0
            }
            // The rows stay locked while Redis answers, so other workers' sweeps skip them.
            let entries = stale.map { Entry(taskID: $0.taskID, payload: Array($0.payload.utf8)) }
            let failed = try await enqueue(entries)
            let refused = failed.map(\.taskID)
            let done = Array(Set(entries.map(\.taskID)).subtracting(refused))
            let dropped = try await session.run { connection in
                try NotificationOutboxStore.remove(connection, taskIDs: done)
                // Refused rows go to the back of the line, so they never keep newer ones from being swept.
                let dropped = try NotificationOutboxStore.refused(
                    connection,
                    taskIDs: refused,
                    maxAttempts: Self.maxAttempts
                )
                _ = try connection.execute("COMMIT")
                return dropped
            }
            if !dropped.isEmpty {
                logger.error(
                    "notifications refused by Redis \(Self.maxAttempts) times are dropped from the outbox",
                    ("notifications", dropped.joined(separator: " "))
                )
            }
            return done.count
        }
    }

    /// Sweeps every ``sweepInterval`` until cancelled.
    func runSweeper() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.sweepInterval)
            guard !Task.isCancelled else { return }
            do {
                let enqueued = try await sweep()
                if enqueued > 0 {
                    logger.info("enqueued notifications left in the outbox", ("notifications", enqueued))
                }
            } catch {
                logger.debug("sweeping the notification outbox failed", ("error", "\(error)"))
            }
        }
    }

    private struct Entry: Sendable {
        var taskID: String
        var payload: [UInt8]
    }

    private static func tasks(_ entries: [Entry]) -> [NewTask] {
        entries.map { entry in
            NewTask(
                type: NotificationTask.type,
                payload: entry.payload,
                options: TaskOptions(
                    queue: NotificationTask.queue,
                    maxRetry: NotificationTask.maxRetry,
                    timeout: NotificationTask.timeout,
                    taskID: entry.taskID
                )
            )
        }
    }

    /// Enqueues `entries`; returns those Redis refused as invalid (a task ID already there is one enqueued before).
    private func enqueue(_ entries: [Entry]) async throws -> [Entry] {
        let results = try await queue.enqueue(Self.tasks(entries))
        return zip(entries, results).compactMap { entry, result in
            if case .failure(let error) = result, case .invalid = error { return entry }
            return nil
        }
    }

    private func forget(_ taskIDs: [String]) async {
        guard !taskIDs.isEmpty else { return }
        do {
            try await postgres.withConnection { try NotificationOutboxStore.remove($0, taskIDs: taskIDs) }
        } catch {
            // Left for a sweep, which enqueues them again: harmless.
            logger.debug("deleting enqueued notifications from the outbox failed", ("error", "\(error)"))
        }
    }
}
