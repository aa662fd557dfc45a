import Foundation

/// Writes one batch of pings: in one transaction, COPY into `pings` and run the incident engine over them; after
/// the commit, publish each ping on ``channel`` (for `knocker tail-pings`) and enqueue the notifications the
/// engine asked for. The ``PingRecorder`` calls ``write(_:)`` and retries it when it throws.
public final class PingBatchWriter: Sendable {
    /// The Redis pub/sub channel every recorded ping is published on, as JSON arrays of pings (one message per written
    /// batch): `knocker:pings`, or
    /// `knocker:pings:<db>` for a Redis database other than 0 (pub/sub ignores database numbers, so deployments
    /// sharing a Redis server on different databases stay apart).
    public static func channel(database: Int) -> String {
        database == 0 ? "knocker:pings" : "knocker:pings:\(database)"
    }

    private let postgres: PostgresClient
    private let redis: RedisClient
    private let queue: QueueClient
    private let ids: IDGenerator
    private let logger: Logger
    /// Pairs whose successes need no evaluation (see ``SettledPairs``).
    let settled = SettledPairs()

    /// A writer using these clients; `ids` makes incident and event ids.
    public init(postgres: PostgresClient, redis: RedisClient, ids: IDGenerator, logger: Logger) {
        self.postgres = postgres
        self.redis = redis
        self.queue = QueueClient(redis: redis)
        self.ids = ids
        self.logger = logger
    }

    /// Writes `batch`; throws (to be retried) when Postgres cannot take it.
    public func write(_ batch: [RecordedPing]) async throws {
        let notifications = try await store(batch)
        await publish(batch)
        await enqueue(notifications)
    }

    /// The write without publishing or enqueueing: COPY and incident evaluation in one transaction, as
    /// ``write(_:)`` does (for `bench/PipelineBench`, to tell the cost of evaluation from that of publishing).
    @_spi(Benchmarks) public func storeWithoutPublishing(_ batch: [RecordedPing]) async throws {
        _ = try await store(batch)
    }

    private func store(_ batch: [RecordedPing]) async throws -> [NotificationTask] {
        let ids = self.ids
        let settled = self.settled
        do {
            return try await postgres.transaction { connection in
                _ = try PingStore.copy(connection, batch)
                return try IncidentEvaluation.run(connection, pings: batch, ids: ids, settled: settled)
            }
        } catch let error as PostgresError where error.isUniqueViolation && error.constraint?.hasPrefix("pings") == true
        {
            // A retry of a batch whose first write did commit: keep the new pings only.
            logger.info("part of a ping batch was already stored; writing the rest", ("pings", batch.count))
            return try await postgres.transaction { connection in
                let new = try PingStore.insertNew(connection, batch)
                return try IncidentEvaluation.run(connection, pings: new, ids: ids, settled: settled)
            }
        } catch let error as PostgresError where Self.isEvaluationBug(error) {
            // The incident engine's SQL failed for a reason a retry will not fix: store the pings without it
            // rather than hold every later ping back, and say so loudly.
            logger.error(
                "incident evaluation failed; pings stored without it",
                ("pings", batch.count),
                ("error", "\(error)")
            )
            try await postgres.transaction { connection in _ = try PingStore.insertNew(connection, batch) }
            return []
        }
    }

    /// True for errors of the statements themselves (not of the connection, the pool, or a lock conflict that a
    /// retry resolves).
    private static func isEvaluationBug(_ error: PostgresError) -> Bool {
        guard error.code == .server, let state = error.sqlState else { return false }
        let retryable = ["40001", "40P01", "55P03", "57014", "53300", "53200", "57P01", "57P02", "57P03"]
        return !retryable.contains(state) && !state.hasPrefix("08") && !error.isUniqueViolation
    }

    /// Publishes the batch as one message, a JSON array of pings (subscribers split it), in chunks of at most
    /// ``publishChunk`` pings.
    private func publish(_ batch: [RecordedPing]) async {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let channel = Self.channel(database: redis.configuration.database)
        var commands: [[RedisArgument]] = []
        for start in stride(from: 0, to: batch.count, by: Self.publishChunk) {
            var message: [UInt8] = [0x5B]
            for ping in batch[start..<min(start + Self.publishChunk, batch.count)] {
                guard let json = ping.channelJSON(encoder) else { continue }
                if message.count > 1 { message.append(0x2C) }
                message += json
            }
            message.append(0x5D)
            commands.append(["PUBLISH", RedisArgument(channel), RedisArgument(message)])
        }
        do {
            _ = try await redis.pipeline(commands)
        } catch {
            logger.debug("publishing pings failed", ("error", "\(error)"))
        }
    }

    /// Most pings in one published message.
    static let publishChunk = 1000

    /// Enqueues the notification tasks, trying a few times while Redis is unreachable. A task ID that exists already
    /// is a task enqueued before (a retried batch): fine.
    private func enqueue(_ notifications: [NotificationTask]) async {
        guard !notifications.isEmpty else { return }
        var pending = notifications
        for attempt in 1...5 {
            let tasks = pending.map { notification in
                NewTask(
                    type: NotificationTask.type,
                    payload: notification.payload(),
                    options: TaskOptions(
                        queue: NotificationTask.queue,
                        maxRetry: NotificationTask.maxRetry,
                        timeout: .seconds(60),
                        taskID: notification.taskID
                    )
                )
            }
            do {
                let results = try await queue.enqueue(tasks)
                var failed: [NotificationTask] = []
                for (notification, result) in zip(pending, results) {
                    if case .failure(let error) = result, case .invalid = error { failed.append(notification) }
                }
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
            "notifications could not be enqueued and are dropped",
            ("notifications", pending.map(\.taskID).joined(separator: " "))
        )
    }
}
