import Foundation

/// Writes one batch of pings: in one transaction, insert into `pings`, run the incident engine over them and put the
/// notifications it asked for in the outbox; after the commit, enqueue those notifications (``NotificationOutbox``)
/// and hand the batch to the ``PingPublisher``, which
/// publishes it on ``channel`` (for `knocker tail-pings`) while the next batch is written. The ``PingRecorder``
/// calls ``write(_:)`` and retries it when it throws; ``finishPublishing()`` waits for the feed at shutdown.
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
    private let outbox: NotificationOutbox
    private let ids: IDGenerator
    private let logger: Logger
    private let publisher: PingPublisher
    /// Pairs whose successes need no evaluation (see ``SettledPairs``).
    let settled = SettledPairs()

    /// A writer using these clients; `ids` makes incident and event ids.
    public init(postgres: PostgresClient, redis: RedisClient, ids: IDGenerator, logger: Logger) {
        self.postgres = postgres
        self.redis = redis
        self.outbox = NotificationOutbox(postgres: postgres, queue: QueueClient(redis: redis), logger: logger)
        self.ids = ids
        self.logger = logger
        self.publisher = PingPublisher(redis: redis, logger: logger)
    }

    /// Writes `batch`; throws (to be retried) when Postgres cannot take it.
    public func write(_ batch: [RecordedPing]) async throws {
        let notifications = try await store(batch)
        publisher.publish(batch)
        await outbox.deliver(notifications)
    }

    /// Returns once every written batch has been published on the pings channel.
    public func finishPublishing() async {
        await publisher.waitUntilIdle()
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
            // Nearly every batch of a healthy fleet: successes of settled pairs only. One statement, its own
            // transaction (one round trip instead of BEGIN, INSERT, COMMIT).
            if IncidentEvaluation.needsNothing(batch, settled: settled) {
                _ = try await postgres.withConnection { try PingStore.append($0, batch) }
                return []
            }
            let outcome = try await postgres.transaction { connection in
                _ = try PingStore.append(connection, batch)
                let outcome = try IncidentEvaluation.evaluate(connection, pings: batch, ids: ids, settled: settled)
                try NotificationOutboxStore.add(connection, outcome.notifications)
                return outcome
            }
            settled.remember(outcome.settled)
            return outcome.notifications
        } catch let error as PostgresError where error.isUniqueViolation && error.constraint?.hasPrefix("pings") == true
        {
            // A retry of a batch whose first write did commit: keep the new pings only.
            logger.info("part of a ping batch was already stored; writing the rest", ("pings", batch.count))
            let outcome = try await postgres.transaction { connection in
                let new = try PingStore.insertNew(connection, batch)
                let outcome = try IncidentEvaluation.evaluate(connection, pings: new, ids: ids, settled: settled)
                try NotificationOutboxStore.add(connection, outcome.notifications)
                return outcome
            }
            settled.remember(outcome.settled)
            return outcome.notifications
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
}
