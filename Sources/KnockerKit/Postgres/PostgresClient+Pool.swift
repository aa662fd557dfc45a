extension PostgresClient {
    /// The pool's error for a failed acquire; a timeout is also logged.
    static func poolError(
        _ failure: ConnectionPoolFailure,
        configuration: PostgresConfiguration,
        logger: Logger
    ) -> PostgresError {
        switch failure {
        case .timeout:
            let timeout = DurationText.format(configuration.acquireTimeout)
            let message = "no database connection free within \(timeout) (pool size \(configuration.poolSize))"
            logger.warning("postgres pool exhausted", ("pool.size", configuration.poolSize))
            return PostgresError(code: .poolTimeout, message: message)
        case .cancelled:
            return PostgresError(code: .cancelled, message: "the task was cancelled")
        case .closed:
            return closedError
        }
    }

    static let closedError = PostgresError(code: .poolClosed, message: "the database client is shut down")

    /// The body of a lease, on a pool thread: make sure the connection works, run `body`, return the connection.
    func runLease<T>(
        _ lease: PoolLease<PostgresConnection>,
        token: PostgresCancellationToken,
        body: (PostgresConnection) throws -> T
    ) -> Result<T, any Error> {
        var pooled: PooledConnection<PostgresConnection>?
        defer { pool.release(pooled) }
        do {
            pooled = try usableConnection(for: lease)
        } catch {
            return .failure(error)
        }
        guard let connection = pooled?.connection else {
            return .failure(PostgresError(code: .connectionFailed, message: "no connection"))
        }
        guard token.arm(connection.raw.canceller) else {
            return .failure(PostgresError(code: .cancelled, message: "the task was cancelled"))
        }
        connection.cancellation = token
        let result = Result { try body(connection) }
        token.disarm()
        connection.cancellation = nil
        if !isReusable(connection) {
            logger.debug("discarding a postgres connection", ("db.backend_pid", connection.backendProcessID))
            pooled = nil
        }
        return result
    }

    func usableConnection(
        for lease: PoolLease<PostgresConnection>
    ) throws(PostgresError) -> PooledConnection<PostgresConnection> {
        if case .existing(let pooled) = lease {
            if pooled.connection.raw.isHealthy() { return pooled }
            logger.notice(
                "replacing a closed postgres connection",
                ("db.backend_pid", pooled.connection.backendProcessID)
            )
        }
        let raw = try openConnection()
        logger.debug("opened a postgres connection", ("db.backend_pid", raw.backendProcessID))
        return PooledConnection(PostgresConnection(raw: raw))
    }

    /// A connection goes back to the pool only if it is healthy and outside a transaction (rolled back if needed).
    func isReusable(_ connection: PostgresConnection) -> Bool {
        guard connection.raw.isConnectionOK else { return false }
        switch connection.raw.transactionStatus {
        case .idle:
            return true
        case .inTransaction, .inFailedTransaction:
            do {
                _ = try connection.raw.executeSimple("ROLLBACK")
                return connection.raw.transactionStatus == .idle
            } catch {
                return false
            }
        case .active, .unknown:
            return false
        }
    }
}
