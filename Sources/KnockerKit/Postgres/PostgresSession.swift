import Synchronization

extension PostgresClient {
    /// Lends one connection to an asynchronous `body` for its whole run, so a transaction can stay open across
    /// `await`s (for example `BEGIN`, a query, work against another service, then `COMMIT` on the same connection).
    ///
    /// Every statement still runs on the client's pool threads through ``PostgresSession/run(_:)``; between those
    /// calls no thread is held, only the pool slot. When `body` ends the connection goes back to the pool: an open
    /// transaction is rolled back first, a broken connection is discarded.
    /// - Throws: what `body` throws; ``PostgresError`` with `.poolTimeout`, `.poolClosed`, `.cancelled`.
    public func withSession<T: Sendable>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        let lease = try await pool.acquire()
        let session = PostgresSession(client: self, lease: lease)
        let result: Result<T, any Error>
        do {
            result = .success(try await body(session))
        } catch {
            result = .failure(error)
        }
        await session.end()
        return try result.get()
    }
}

/// One pooled connection lent to an asynchronous body by ``PostgresClient/withSession(_:)``.
///
/// Use it from one task at a time: ``run(_:)`` calls must not overlap (an overlapping call fails). It is only
/// valid inside the `withSession` body.
public final class PostgresSession: Sendable {
    private enum Slot: Sendable {
        /// Not used yet: the pool slot, with or without an idle connection.
        case lease(PoolLease<PostgresConnection>)
        /// Opened and idle between calls.
        case connection(PooledConnection<PostgresConnection>)
        /// A call is running on a pool thread.
        case busy
        /// Handed back (or broken and discarded).
        case ended
    }

    private let client: PostgresClient
    private let slot: Mutex<Slot>

    init(client: PostgresClient, lease: PoolLease<PostgresConnection>) {
        self.client = client
        self.slot = Mutex(.lease(lease))
    }

    /// Runs `body` synchronously on a pool thread with this session's connection (opened on first use).
    ///
    /// Cancelling the calling task cancels the running statement, as ``PostgresClient/withConnection(_:)`` does.
    /// - Throws: what `body` throws; ``PostgresError`` with `.connectionFailed`, `.poolClosed` (the session has
    ///   ended or its connection broke), `.cancelled`, or `.protocolViolation` for overlapping calls.
    public func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        let token = PostgresCancellationToken()
        let result: Result<T, any Error>
        do {
            result = try await client.threadPool.run(
                onCancel: { token.cancel() },
                { [self] in runOnThread(token: token, body: body) }
            )
        } catch {
            if error is BlockingThreadPool.ShutDown { throw PostgresClient.closedError }
            throw PostgresError(code: .cancelled, message: "the task was cancelled")
        }
        return try result.get()
    }

    /// On a pool thread: take the connection, run `body`, put the connection back into the session.
    private func runOnThread<T>(
        token: PostgresCancellationToken,
        body: (PostgresConnection) throws -> T
    ) -> Result<T, any Error> {
        let taken = slot.withLock { slot -> Slot in
            let current = slot
            switch current {
            case .lease, .connection: slot = .busy
            case .busy, .ended: break
            }
            return current
        }
        let pooled: PooledConnection<PostgresConnection>
        switch taken {
        case .busy:
            return .failure(
                PostgresError(code: .protocolViolation, message: "overlapping calls on one Postgres session")
            )
        case .ended:
            return .failure(PostgresError(code: .poolClosed, message: "the Postgres session has ended"))
        case .connection(let connection):
            pooled = connection
        case .lease(let lease):
            do {
                pooled = try client.usableConnection(for: lease)
            } catch {
                slot.withLock { $0 = .ended }
                client.pool.release(nil)
                return .failure(error)
            }
        }
        let connection = pooled.connection
        guard token.arm(connection.raw.canceller) else {
            slot.withLock { $0 = .connection(pooled) }
            return .failure(PostgresError(code: .cancelled, message: "the task was cancelled"))
        }
        connection.cancellation = token
        let result = Result { try body(connection) }
        token.disarm()
        connection.cancellation = nil
        if connection.raw.isConnectionOK {
            slot.withLock { $0 = .connection(pooled) }
        } else {
            client.logger.debug(
                "discarding a postgres connection",
                ("db.backend_pid", connection.backendProcessID)
            )
            slot.withLock { $0 = .ended }
            client.pool.release(nil)
        }
        return result
    }

    /// Hands the connection back: rolled back if a transaction is open, discarded if broken.
    func end() async {
        let taken = slot.withLock { slot -> Slot in
            let current = slot
            slot = .ended
            return current
        }
        let client = client
        switch taken {
        case .lease(let lease):
            client.pool.release(lease.connection)
        case .connection(let pooled):
            do {
                try await client.threadPool.run {
                    client.pool.release(client.isReusable(pooled.connection) ? pooled : nil)
                }
            } catch {
                // Not run (cancelled while queued, or shut down): discard the connection, the server rolls back.
                client.pool.release(nil)
            }
        case .busy, .ended:
            break
        }
    }
}
