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
    /// The pool's error for a failed acquire; a timeout is also logged.
    static func poolError(
        _ failure: ConnectionPoolFailure,
        configuration: RedisConfiguration,
        logger: Logger
    ) -> RedisError {
        switch failure {
        case .timeout:
            let timeout = DurationText.format(configuration.acquireTimeout)
            let message = "no Redis connection free within \(timeout) (pool size \(configuration.poolSize))"
            logger.warning("redis pool exhausted", ("pool.size", configuration.poolSize))
            return RedisError(code: .poolTimeout, message: message)
        case .cancelled:
            return RedisError(code: .cancelled, message: "the task was cancelled")
        case .closed:
            return closedError
        }
    }

    /// The body of a lease, on a pool thread: make sure the connection works, run `body`, return the connection.
    func runLease<T>(_ lease: PoolLease<RedisConnection>, body: (RedisConnection) throws -> T) -> Result<T, any Error> {
        var pooled: PooledConnection<RedisConnection>?
        defer { pool.release(pooled) }
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
    private func usableConnection(
        for lease: PoolLease<RedisConnection>
    ) throws(RedisError) -> PooledConnection<RedisConnection> {
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
            return PooledConnection(RedisConnection(context: context))
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
