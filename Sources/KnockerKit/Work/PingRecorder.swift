import Foundation
import Synchronization

/// Buffers check results and writes them in batches: at `batchSize` pings or every `flushInterval`, whichever
/// comes first. A failed write is retried with backoff, the batch kept, so a Postgres outage delays pings but
/// never drops them; while the buffer holds `bufferLimit` pings, ``record(_:)`` waits (back-pressure reaches the
/// queue, whose tasks then wait in Redis).
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

        /// Settings with the defaults.
        public init(
            flushInterval: Duration = .seconds(1),
            batchSize: Int = 1000,
            bufferLimit: Int = 100_000,
            retryDelay: Duration = .milliseconds(100),
            maxRetryDelay: Duration = .seconds(5)
        ) {
            self.flushInterval = flushInterval
            self.batchSize = max(1, batchSize)
            self.bufferLimit = max(self.batchSize, bufferLimit)
            self.retryDelay = retryDelay
            self.maxRetryDelay = maxRetryDelay
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
    }

    /// Writes one batch; throws to have it retried.
    public typealias Writer = @Sendable ([RecordedPing]) async throws -> Void

    private struct State {
        var buffer: [RecordedPing] = []
        var spaceWaiters: [CheckedContinuation<Void, Never>] = []
        var wake: CheckedContinuation<Void, Never>?
        var wakeRequested = false
        var stopping = false
        var statistics = Statistics()
    }

    private let settings: Settings
    private let writer: Writer
    private let logger: Logger
    private let state = Mutex(State())

    /// A recorder writing with `writer`; call ``run()`` to start writing.
    public init(settings: Settings = Settings(), logger: Logger, writer: @escaping Writer) {
        self.settings = settings
        self.writer = writer
        self.logger = logger
    }

    /// Adds a ping; waits while the buffer is full. After ``stop()`` the ping is still accepted and written.
    public func record(_ ping: RecordedPing) async {
        while true {
            let accepted = state.withLock { state -> Bool in
                guard state.buffer.count < settings.bufferLimit else { return false }
                state.buffer.append(ping)
                state.statistics.recorded += 1
                if state.buffer.count == 1 || state.buffer.count == settings.batchSize { Self.wakeWriter(&state) }
                return true
            }
            if accepted { return }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let full = state.withLock { state -> Bool in
                    guard state.buffer.count >= settings.bufferLimit else { return false }
                    state.spaceWaiters.append(continuation)
                    return true
                }
                if !full { continuation.resume() }
            }
        }
    }

    /// Writes batches until ``stop()`` was called and every ping is written.
    public func run() async {
        var delay = settings.retryDelay
        var failingSince: ContinuousClock.Instant?
        while true {
            let (count, stopping) = state.withLock { state in
                state.wakeRequested = false
                return (state.buffer.count, state.stopping)
            }
            if count == 0 {
                if stopping { return }
                // Woken by the first ping (or stop).
                await waitForWork()
                continue
            }
            if count < settings.batchSize && !stopping {
                // Not a full batch: write at the flush interval, or earlier when the batch fills or on stop.
                await waitForWork(timeout: settings.flushInterval)
            }
            let toWrite = state.withLock { Array($0.buffer.prefix(settings.batchSize)) }
            do {
                try await writer(toWrite)
                if let since = failingSince {
                    logger.info(
                        "ping writes recovered",
                        ("after", DurationText.format(since.duration(to: .now))),
                        ("buffered", "\(bufferedCount)")
                    )
                }
                failingSince = nil
                delay = settings.retryDelay
                let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    state.buffer.removeFirst(toWrite.count)
                    state.statistics.written += toWrite.count
                    defer { state.spaceWaiters = [] }
                    return state.spaceWaiters
                }
                for waiter in waiters { waiter.resume() }
            } catch {
                state.withLock { $0.statistics.failedWrites += 1 }
                if failingSince == nil {
                    failingSince = .now
                    logger.error(
                        "writing pings failed; keeping them and retrying",
                        ("error", "\(error)"),
                        ("buffered", "\(bufferedCount)")
                    )
                } else {
                    logger.debug("ping write retry failed", ("error", "\(error)"), ("buffered", "\(bufferedCount)"))
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, settings.maxRetryDelay)
            }
        }
    }

    /// Asks ``run()`` to write what is buffered and return. Pings recorded later are written too.
    public func stop() {
        state.withLock { state in
            state.stopping = true
            Self.wakeWriter(&state)
        }
    }

    /// Counters since start.
    public var statistics: Statistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.buffered = state.buffer.count
            return statistics
        }
    }

    private var bufferedCount: Int { state.withLock { $0.buffer.count } }

    private static func wakeWriter(_ state: inout State) {
        if let wake = state.wake {
            state.wake = nil
            wake.resume()
        } else {
            state.wakeRequested = true
        }
    }

    /// Waits until woken (a full batch, stop) or `timeout` passes.
    private func waitForWork(timeout: Duration? = nil) async {
        let timer: Task<Void, Never>? = timeout.map { timeout in
            Task { [self] in
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                state.withLock { Self.wakeWriter(&$0) }
            }
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.wakeRequested || state.stopping {
                    state.wakeRequested = false
                    return true
                }
                state.wake = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
        timer?.cancel()
        state.withLock { $0.wakeRequested = false }
    }
}
