import Dispatch
import Synchronization

/// A connection while it is owned by the pool or by exactly one lease.
///
/// `@unchecked Sendable` because ownership moves between threads through the pool's lock: only the pool thread
/// running the current lease touches `connection`.
final class PooledConnection: @unchecked Sendable {
    let connection: PostgresConnection
    init(_ connection: PostgresConnection) { self.connection = connection }
}

/// What an acquire yields: a pooled connection, or a reserved slot to open a new connection in.
enum PoolLease: Sendable {
    case existing(PooledConnection)
    case new

    var connection: PooledConnection? {
        switch self {
        case .existing(let connection): connection
        case .new: nil
        }
    }
}

/// A caller waiting for a connection, with its acquire-timeout timer.
struct PoolWaiter: Sendable {
    let continuation: CheckedContinuation<PoolLease, any Error>
    let timer: AcquireTimer

    func serve(_ lease: PoolLease) {
        timer.cancel()
        continuation.resume(returning: lease)
    }

    func fail(_ error: PostgresError) {
        timer.cancel()
        continuation.resume(throwing: error)
    }
}

extension PostgresClient {
    /// Takes a connection or slot from the pool, waiting FIFO up to the acquire timeout.
    func acquire() async throws(PostgresError) -> PoolLease {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PoolLease, any Error>) in
                    let waiter = PoolWaiter(continuation: continuation, timer: AcquireTimer())
                    let action = state.withLock { $0.machine.acquire(waiterID: id, waiter: waiter) }
                    switch action {
                    case .lend(let connection):
                        continuation.resume(returning: .existing(connection))
                    case .connect:
                        continuation.resume(returning: .new)
                    case .fail:
                        continuation.resume(throwing: poolClosedError())
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
        } catch let error as PostgresError {
            throw error
        } catch {
            throw PostgresError(code: .cancelled, message: "the task was cancelled")
        }
    }

    private func removeWaiter(id: Int, failure: ConnectionPoolStateMachine<PooledConnection, PoolWaiter>.Failure) {
        guard let waiter = state.withLock({ $0.machine.removeWaiter(id: id) }) else { return }
        switch failure {
        case .timeout:
            let timeout = DurationText.format(configuration.acquireTimeout)
            let message = "no database connection free within \(timeout) (pool size \(configuration.poolSize))"
            logger.warning("postgres pool exhausted", ("pool.size", configuration.poolSize))
            waiter.fail(PostgresError(code: .poolTimeout, message: message))
        case .cancelled:
            waiter.fail(PostgresError(code: .cancelled, message: "the task was cancelled"))
        case .closed:
            waiter.fail(poolClosedError())
        }
    }

    private func poolClosedError() -> PostgresError {
        PostgresError(code: .poolClosed, message: "the database client is shut down")
    }

    /// Ends a lease: keeps `connection` (or frees its slot when nil) and serves the next waiter.
    func release(_ connection: PooledConnection?) {
        let action = state.withLock { $0.machine.release(connection) }
        switch action {
        case .none, .close: break  // a closed connection is finished when its last reference goes, here
        case .lend(let waiter, let connection): waiter.serve(.existing(connection))
        case .connect(let waiter): waiter.serve(.new)
        }
    }

    /// The body of a lease, on a pool thread: make sure the connection works, run `body`, return the connection.
    func runLease<T>(
        _ lease: PoolLease,
        token: PostgresCancellationToken,
        body: (PostgresConnection) throws -> T
    ) -> Result<T, any Error> {
        var pooled: PooledConnection?
        defer { release(pooled) }
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

    private func usableConnection(for lease: PoolLease) throws(PostgresError) -> PooledConnection {
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
    private func isReusable(_ connection: PostgresConnection) -> Bool {
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
