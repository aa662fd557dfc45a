import Foundation

/// Buffers check results and writes them in batches: at `batchSize` pings or every `flushInterval`, whichever
/// comes first. `writers` lanes write at once, each with its own Postgres connection and the pings of its share of
/// the monitors (by a hash of the monitor id), so a monitor's pings are evaluated in order and two lanes never touch
/// the same incident state. A failed write is retried with backoff, the batch kept, so a Postgres outage delays
/// pings but never drops them (only a ping whose task was cancelled first is withdrawn: the task goes back to the
/// queue); while a lane's buffer holds its share of `bufferLimit`, ``record(_:)`` waits
/// (back-pressure reaches the queue, whose tasks then wait in Redis). The worker records with
/// ``recordAndWait(_:)`` and acknowledges a task only once its ping is written.
public final class PingRecorder: Sendable {
    /// Batching and buffering limits.
    public struct Settings: Sendable, Equatable {
        /// Longest a ping waits before its batch is written; default 1 s.
        public var flushInterval: Duration
        /// Pings per write; default 1,000.
        public var batchSize: Int
        /// Pings held at most (written or waiting); default 100,000.
        public var bufferLimit: Int
        /// First retry delay after a failed write, doubled up to `maxRetryDelay`; default 100 ms.
        public var retryDelay: Duration
        /// Longest retry delay; default 5 s.
        public var maxRetryDelay: Duration
        /// Lanes writing at once; default 2.
        public var writers: Int

        /// Settings with the defaults.
        public init(
            flushInterval: Duration = .seconds(1),
            batchSize: Int = 1000,
            bufferLimit: Int = 100_000,
            retryDelay: Duration = .milliseconds(100),
            maxRetryDelay: Duration = .seconds(5),
            writers: Int = 2
        ) {
            self.flushInterval = flushInterval
            self.batchSize = max(1, batchSize)
            self.bufferLimit = max(self.batchSize, bufferLimit)
            self.retryDelay = retryDelay
            self.maxRetryDelay = maxRetryDelay
            self.writers = max(1, writers)
        }
    }

    /// Counters since start.
    public struct Statistics: Sendable, Equatable {
        /// Pings handed to ``record(_:)``.
        public var recorded = 0
        /// Pings written.
        public var written = 0
        /// Writes that failed (each retried).
        public var failedWrites = 0
        /// Pings waiting now.
        public var buffered = 0
        /// Pings taken back out because their task was cancelled first (put back in the queue).
        public var withdrawn = 0
    }

    /// Writes one batch; throws to have it retried.
    public typealias Writer = @Sendable ([RecordedPing]) async throws -> Void

    /// What became of a ping recorded with ``recordAndWait(_:)``.
    public enum Outcome: Sendable, Equatable {
        /// Its batch committed.
        case written
        /// Its task was cancelled before a write carried it: it was taken out and will not be written.
        case withdrawn
    }

    private let lanes: [PingRecorderLane]

    /// A recorder writing with `writer` (called by up to ``Settings/writers`` tasks at once, each with the pings of
    /// its own monitors); call ``run()`` to start writing.
    public init(settings: Settings = Settings(), logger: Logger, writer: @escaping Writer) {
        let share = (settings.bufferLimit + settings.writers - 1) / settings.writers
        lanes = (0..<settings.writers).map { lane in
            PingRecorderLane(
                settings: settings,
                bufferLimit: share,
                logger: settings.writers == 1 ? logger : logger.with("writer", String(lane)),
                writer: writer
            )
        }
    }

    /// The lane of a monitor: a hash of its id (ids end in the machine that made them, so their low bits repeat).
    private func lane(for ping: RecordedPing) -> PingRecorderLane {
        guard lanes.count > 1 else { return lanes[0] }
        let mixed = (UInt64(bitPattern: ping.monitorID) &* 0x9E37_79B9_7F4A_7C15) >> 32
        return lanes[Int(mixed % UInt64(lanes.count))]
    }

    /// Adds a ping; waits while its writer's buffer is full. A ping recorded after ``stop()`` but before ``run()``
    /// returned is still written; one recorded later never is.
    public func record(_ ping: RecordedPing) async {
        await lane(for: ping).record(ping)
    }

    /// Adds a ping and returns once it is in Postgres (``Outcome/written``), so its task can be acknowledged
    /// knowing a crash cannot lose it; or, when the calling task is cancelled first (also while it waits for room in
    /// a full buffer), once it is taken back out
    /// (``Outcome/withdrawn``), so the task can be put back in the queue without the ping being written twice.
    public func recordAndWait(_ ping: RecordedPing) async -> Outcome {
        await lane(for: ping).recordAndWait(ping)
    }

    /// Writes batches until ``stop()`` was called and every ping is written.
    public func run() async {
        await withDiscardingTaskGroup { group in
            for lane in lanes { group.addTask { await lane.run() } }
        }
    }

    /// From now on, writes what is buffered without waiting for the flush interval (shutdown has begun).
    public func drain() {
        for lane in lanes { lane.drain() }
    }

    /// Asks ``run()`` to write what is buffered and return once every buffer is empty. Call it only when nothing
    /// records any more (the worker calls it after its queue server has stopped).
    public func stop() {
        for lane in lanes { lane.stop() }
    }

    /// Counters since start.
    public var statistics: Statistics {
        lanes.map(\.statistics).reduce(into: Statistics()) { total, lane in
            total.recorded += lane.recorded
            total.written += lane.written
            total.failedWrites += lane.failedWrites
            total.buffered += lane.buffered
            total.withdrawn += lane.withdrawn
        }
    }
}
