/// A connection lent to a ``PostgresClient/withConnection(_:)`` closure.
///
/// Not Sendable: use it only inside the closure, which runs synchronously on one of the client's pool threads,
/// and never let it escape. Every method blocks that thread until the server answers.
public final class PostgresConnection {
    let raw: LibPQConnection
    /// The cancellation token of the current lease; nil while the connection sits in the pool.
    var cancellation: PostgresCancellationToken?

    init(raw: LibPQConnection) {
        self.raw = raw
    }

    /// Runs one statement with its bound parameters (`PQexecParams`) and returns its rows.
    public func query(_ query: PostgresQuery) throws(PostgresError) -> PostgresRows {
        try checkCancelled(query.sql)
        do {
            return try raw.execute(query.sql, parameters: query.parameters)
        } catch {
            throw resolve(error)
        }
    }

    /// Runs one statement and returns the number of rows it affected.
    @discardableResult
    public func execute(_ query: PostgresQuery) throws(PostgresError) -> Int {
        try self.query(query).affectedRows
    }

    /// Runs one or more `;`-separated statements with the simple-query protocol (no parameters); for migrations.
    public func executeScript(_ sql: String) throws(PostgresError) {
        _ = try simple(sql)
    }

    /// Runs `body` between `BEGIN` and `COMMIT`. Any error thrown by `body` (or by `COMMIT`) rolls the
    /// transaction back and is rethrown. A transaction the server already aborted makes `COMMIT` report
    /// `ROLLBACK`; that throws a ``PostgresError/Code/server`` error with SQLSTATE 25P02.
    public func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        _ = try simple("BEGIN")
        do {
            let value = try body(self)
            let commit = try simple("COMMIT")
            if commit.commandTag == "ROLLBACK" {
                throw PostgresError(
                    code: .server,
                    message: "the transaction was aborted by an earlier error and has been rolled back",
                    sqlState: "25P02",
                    query: "COMMIT"
                )
            }
            return value
        } catch {
            if raw.isConnectionOK && raw.transactionStatus != .idle {
                _ = try? raw.executeSimple("ROLLBACK")
            }
            throw error
        }
    }

    /// `PQserverVersion`, e.g. 150004 for 15.4.
    public var serverVersion: Int { raw.serverVersion }

    /// The server process serving this connection.
    public var backendProcessID: Int32 { raw.backendProcessID }

    private func simple(_ sql: String) throws(PostgresError) -> PostgresRows {
        try checkCancelled(sql)
        do {
            return try raw.executeSimple(sql)
        } catch {
            throw resolve(error)
        }
    }

    func checkCancelled(_ sql: String) throws(PostgresError) {
        if cancellation?.isCancelled == true {
            throw PostgresError(code: .cancelled, message: "the task was cancelled", query: sql)
        }
    }

    /// A statement the server cancelled because our task was cancelled becomes ``PostgresError/Code/cancelled``.
    func resolve(_ error: PostgresError) -> PostgresError {
        guard error.isQueryCanceled, cancellation?.isCancelled == true else { return error }
        var cancelled = error
        cancelled.code = .cancelled
        return cancelled
    }
}

@available(*, unavailable)
extension PostgresConnection: Sendable {}
