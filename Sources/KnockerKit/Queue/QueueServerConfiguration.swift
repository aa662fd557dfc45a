import Foundation

/// How a queue server consumes its queues. Defaults are asynq v0.25's.
public struct QueueServerConfiguration: Sendable {
    /// Queue name → weight. With `strictPriority` higher weights are always served first; otherwise each poll
    /// tries queues in a random order where a queue comes first in proportion to its weight.
    public var queues: [String: Int]
    public var strictPriority: Bool
    /// Most tasks held at once.
    public var concurrency: Int
    /// Most tasks doing their work at once, when less than `concurrency`: a task is only taken from the queue when a
    /// work slot is free, and holds it until it ends or calls ``QueueTask/finishedWork()`` (after which it may go on
    /// waiting, for a write say, without keeping other tasks in the queue). Nil: no limit beyond `concurrency`.
    public var workConcurrency: Int?
    /// How long shutdown waits for running tasks before requeueing them.
    public var shutdownTimeout: Duration
    /// Idle poll: when every queue is empty, wait pollInterval/2 plus up to pollInterval at random.
    public var pollInterval: Duration
    /// Lease extension and server-state heartbeat.
    public var heartbeatInterval: Duration
    /// Moving due scheduled and retry tasks to pending.
    public var forwardInterval: Duration
    /// Taking back tasks whose worker stopped extending their lease.
    public var recoverInterval: Duration
    /// Deleting completed tasks past their retention.
    public var janitorInterval: Duration
    /// Seconds to wait before retry number `retried + 1` (asynq's Sidekiq-style backoff by default).
    public var retryDelay: @Sendable (_ retried: Int, _ error: any Error, _ message: TaskMessage) -> Int

    public init(
        queues: [String: Int] = ["default": 1],
        strictPriority: Bool = false,
        concurrency: Int = 100,
        workConcurrency: Int? = nil,
        shutdownTimeout: Duration = .seconds(8),
        pollInterval: Duration = .seconds(1),
        heartbeatInterval: Duration = .seconds(5),
        forwardInterval: Duration = .seconds(5),
        recoverInterval: Duration = .seconds(60),
        janitorInterval: Duration = .seconds(8),
        retryDelay: @escaping @Sendable (_ retried: Int, _ error: any Error, _ message: TaskMessage) -> Int = {
            retried,
            _,
            _ in RetryBackoff.delay(retried: retried)
        }
    ) {
        self.queues = queues
        self.strictPriority = strictPriority
        self.concurrency = concurrency
        self.workConcurrency = workConcurrency
        self.shutdownTimeout = shutdownTimeout
        self.pollInterval = pollInterval
        self.heartbeatInterval = heartbeatInterval
        self.forwardInterval = forwardInterval
        self.recoverInterval = recoverInterval
        self.janitorInterval = janitorInterval
        self.retryDelay = retryDelay
    }
}
