import Dispatch
import Synchronization

/// A connection while it is owned by the pool or by exactly one lease.
///
/// `@unchecked Sendable` because ownership moves between threads through the pool's lock: only the pool thread
/// running the current lease touches `connection`.
final class RedisPooledConnection: @unchecked Sendable {
    let connection: RedisConnection
    init(_ connection: RedisConnection) { self.connection = connection }
}

/// What an acquire yields: a pooled connection, or a reserved slot to open a new connection in.
enum RedisPoolLease: Sendable {
    case existing(RedisPooledConnection)
    case new

    var connection: RedisPooledConnection? {
        switch self {
        case .existing(let connection): connection
        case .new: nil
        }
    }
}

/// A caller waiting for a connection, with its acquire-timeout timer.
struct RedisPoolWaiter: Sendable {
    let continuation: CheckedContinuation<RedisPoolLease, any Error>
    let timer: AcquireTimer

    func serve(_ lease: RedisPoolLease) {
        timer.cancel()
        continuation.resume(returning: lease)
    }

    func fail(_ error: RedisError) {
        timer.cancel()
        continuation.resume(throwing: error)
    }
}

/// Spaces out connect attempts after a failure (0.1 s doubling to 5 s, reset on success). While it backs off, or
/// while one attempt probes the server, other callers fail at once with the last failure.
struct RedisConnectBackoff {
    static let initialDelay = Duration.milliseconds(100)
    static let maximumDelay = Duration.seconds(5)

    private(set) var failure: RedisError?
    private var delay = initialDelay
    private var retryAt = ContinuousClock.now
    private var probing = false

    /// Whether a connect may go ahead now (nil), or the error to fail with. A go-ahead while failing is a probe.
    mutating func begin(now: ContinuousClock.Instant) -> (probe: Bool, refusal: RedisError?) {
        guard let failure else { return (false, nil) }
        if probing || now < retryAt { return (false, failure) }
        probing = true
        return (true, nil)
    }

    mutating func succeeded() {
        failure = nil
        delay = Self.initialDelay
        probing = false
    }

    /// Records a failed connect; returns the delay before the next attempt when it scheduled one.
    mutating func failed(_ error: RedisError, probe: Bool, now: ContinuousClock.Instant) -> Duration? {
        let first = failure == nil
        failure = error
        guard probe || first else { return nil }
        probing = false
        retryAt = now + delay
        defer { delay = min(delay * 2, Self.maximumDelay) }
        return delay
    }
}

extension RedisClient {
    /// Takes a connection or slot from the pool, waiting FIFO up to the acquire timeout.
    func acquire() async throws(RedisError) -> RedisPoolLease {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation {
                    (continuation: CheckedContinuation<RedisPoolLease, any Error>) in
                    let waiter = RedisPoolWaiter(continuation: continuation, timer: AcquireTimer())
                    let action = state.withLock { $0.machine.acquire(waiterID: id, waiter: waiter) }
                    switch action {
                    case .lend(let connection):
                        continuation.resume(returning: .existing(connection))
                    case .connect:
                        continuation.resume(returning: .new)
                    case .fail:
                        continuation.resume(throwing: Self.closedError)
                    case .wait:
                        waiter.timer.start(after: configuration.acquireTimeout, on: timerQueue) { [self] in
                            removeWaiter(id: id, failure: .timeout)
                        }
                        if Task.isCancelled { removeWaiter(id: id, failure: .cancelled) }
                    }
                }
            } onCancel: {
                removeWaiter(id: id, failure: .cancelled)
            }
        } catch let error as RedisError {
            throw error
        } catch {
            throw RedisError(code: .cancelled, message: "the task was cancelled")
        }
    }

    private func removeWaiter(
        id: Int,
        failure: ConnectionPoolStateMachine<RedisPooledConnection, RedisPoolWaiter>.Failure
    ) {
        guard let waiter = state.withLock({ $0.machine.removeWaiter(id: id) }) else { return }
        switch failure {
        case .timeout:
            let timeout = DurationText.format(configuration.acquireTimeout)
            let message = "no Redis connection free within \(timeout) (pool size \(configuration.poolSize))"
            logger.warning("redis pool exhausted", ("pool.size", configuration.poolSize))
            waiter.fail(RedisError(code: .poolTimeout, message: message))
        case .cancelled:
            waiter.fail(RedisError(code: .cancelled, message: "the task was cancelled"))
        case .closed:
            waiter.fail(Self.closedError)
        }
    }

    /// Ends a lease: keeps `connection` (or frees its slot when nil) and serves the next waiter.
    func release(_ connection: RedisPooledConnection?) {
        let action = state.withLock { $0.machine.release(connection) }
        switch action {
        case .none, .close: break  // a closed connection is freed when its last reference goes, here
        case .lend(let waiter, let connection): waiter.serve(.existing(connection))
        case .connect(let waiter): waiter.serve(.new)
        }
    }

    /// The body of a lease, on a pool thread: make sure the connection works, run `body`, return the connection.
    func runLease<T>(_ lease: RedisPoolLease, body: (RedisConnection) throws -> T) -> Result<T, any Error> {
        var pooled: RedisPooledConnection?
        defer { release(pooled) }
        do {
            pooled = try usableConnection(for: lease)
        } catch {
            return .failure(error)
        }
        guard let connection = pooled?.connection else {
            return .failure(RedisError(code: .connectionFailed, message: "no Redis connection"))
        }
        let result = Result { try body(connection) }
        if connection.context.isBroken {
            logger.debug("discarding a broken redis connection")
            pooled = nil
        }
        return result
    }

    /// The leased connection if it is still alive, else a new one. Checking costs one `poll` with no wait, so every
    /// idle connection is checked, however briefly it sat idle.
    private func usableConnection(for lease: RedisPoolLease) throws(RedisError) -> RedisPooledConnection {
        if case .existing(let pooled) = lease {
            if pooled.connection.context.isIdleHealthy() { return pooled }
            logger.notice("replacing a closed redis connection")
        }
        let (probe, refusal) = state.withLock { $0.backoff.begin(now: .now) }
        if let refusal { throw refusal }
        do {
            let context = try openConnection()
            let recovered = state.withLock { state in
                defer { state.backoff.succeeded() }
                return state.backoff.failure != nil
            }
            if recovered { logger.notice("redis connection restored") }
            logger.debug("opened a redis connection")
            return RedisPooledConnection(RedisConnection(context: context))
        } catch {
            let delay = state.withLock { $0.backoff.failed(error, probe: probe, now: .now) }
            if let delay {
                logger.warning(
                    "cannot connect to redis; backing off",
                    ("error", error.message),
                    ("retry.seconds", Double(delay.wholeMilliseconds) / 1000)
                )
            }
            throw error
        }
    }
}
