import Foundation

/// A bounded pool of Postgres connections whose blocking libpq calls run on threads the client owns.
///
/// All libpq work runs on a ``BlockingThreadPool`` named `knocker-pg` with one thread per pool slot, never on
/// Swift's cooperative pool; each `LISTEN` stream gets its own thread. Call ``shutdown()`` before dropping the
/// client: it fails waiters, closes idle connections and joins the threads.
///
/// Cancellation: cancelling the calling task while it waits for a connection, or while its statement runs
/// (`PQcancel` is sent to the server), makes the call throw ``PostgresError`` with code
/// ``PostgresError/Code/cancelled`` (a statement the server cancelled also keeps `sqlState` 57014). A statement
/// stopped by `statement_timeout` throws code ``PostgresError/Code/server`` with ``PostgresError/isQueryCanceled``.
public final class PostgresClient: Sendable {
    let configuration: PostgresConfiguration
    let logger: Logger
    let connectParameters: [(String, String)]
    let secrets: [String]
    let threadPool: BlockingThreadPool
    let pool: ConnectionPool<PostgresConnection, PostgresError>
    let listeners = ReconnectingThreads()

    /// Validates the configuration; connections are opened lazily, on first use.
    /// - Throws: ``PostgresError/Code/invalidConfiguration`` for a bad connection string or pool size.
    public init(configuration: PostgresConfiguration, logger: Logger) throws(PostgresError) {
        let parsed = try PostgresConfiguration.parseConnectionString(configuration.connectionString)
        guard configuration.poolSize >= 1 else {
            throw PostgresError(code: .invalidConfiguration, message: "the pool size must be at least 1")
        }
        self.configuration = configuration
        let logger = logger.with("db.system", "postgresql")
        self.logger = logger
        self.connectParameters = configuration.connectParameters(parsed: parsed)
        self.secrets = parsed["password"].map { [$0] } ?? []
        self.threadPool = BlockingThreadPool(name: "knocker-pg", threads: configuration.poolSize)
        self.pool = ConnectionPool(
            size: configuration.poolSize,
            acquireTimeout: configuration.acquireTimeout,
            timerLabel: "knocker-pg-acquire-timers"
        ) { failure in
            Self.poolError(failure, configuration: configuration, logger: logger)
        }
    }

    /// Lends a connection to `body`, which runs synchronously on a pool thread.
    ///
    /// An idle connection is health-checked before it is lent and replaced if the server closed it. After `body`,
    /// a broken connection is discarded and an open transaction is rolled back.
    /// - Throws: what `body` throws; ``PostgresError`` with `.poolTimeout`, `.poolClosed`, `.cancelled`,
    ///   `.connectionFailed`.
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let lease = try await pool.acquire()
        let token = PostgresCancellationToken()
        let result: Result<T, any Error>
        do {
            result = try await threadPool.run(
                onCancel: { token.cancel() },
                { [self] in runLease(lease, token: token, body: body) }
            )
        } catch {
            // The job never ran (cancelled while queued, or the pool is shut down): hand the lease back untouched.
            pool.release(lease.connection)
            if error is BlockingThreadPool.ShutDown { throw Self.closedError }
            throw PostgresError(code: .cancelled, message: "the task was cancelled")
        }
        return try result.get()
    }

    /// Runs one statement and returns its rows.
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await withConnection { try $0.query(query) }
    }

    /// Runs one statement and returns the number of rows it affected.
    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await withConnection { try $0.execute(query) }
    }

    /// Runs `body` in a transaction on one connection; any thrown error rolls it back and is rethrown.
    public func transaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await withConnection { try $0.transaction(body) }
    }

    /// Bulk-loads rows with `COPY … FROM STDIN`; see ``PostgresConnection/copyIn(table:columns:rows:)``.
    public func copyIn(table: String, columns: [String], rows: [[String?]]) async throws -> Int {
        try await withConnection { try $0.copyIn(table: table, columns: columns, rows: rows) }
    }

    /// Sends a notification with `SELECT pg_notify($1, $2)`.
    public func notify(channel: String, payload: String) async throws {
        _ = try await query("SELECT pg_notify(\(channel), \(payload))")
    }

    /// The pool's current counts.
    public var statistics: PostgresPoolStatistics {
        pool.statistics
    }

    /// Fails waiting callers with `.poolClosed`, closes idle connections, stops `LISTEN` streams and joins every
    /// thread after the running statements finish. Connections still lent are closed when their lease ends.
    public func shutdown() async {
        let closing = pool.shutdown()
        let listeners = listeners.close()
        _ = try? await threadPool.run { closing.close() }
        closing.close()
        await ReconnectingThreads.stopAndJoin(listeners)
        let pool = threadPool
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                pool.shutdown()
                continuation.resume()
            }
            thread.name = "knocker-pg-shutdown"
            thread.start()
        }
        logger.debug("postgres client shut down")
    }

    /// Opens a connection with the configured parameters (blocking; pool or listener thread only).
    func openConnection() throws(PostgresError) -> LibPQConnection {
        try LibPQConnection.connect(parameters: connectParameters, secrets: secrets)
    }
}
