/// An error from the Postgres layer: a ``Code`` plus whatever context the server or libpq gave.
///
/// ``description`` is safe to show users (it never contains passwords or the query text); ``debugDescription``
/// adds every field, including the query.
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is.
    public enum Code: Sendable, Equatable {
        /// The connection string or configuration is invalid.
        case invalidConfiguration
        /// A new connection could not be opened.
        case connectionFailed
        /// An open connection broke while in use.
        case connectionLost
        /// The server rejected a statement; see ``PostgresError/sqlState``.
        case server
        /// No pooled connection became free within the acquire timeout.
        case poolTimeout
        /// The client is shut down.
        case poolClosed
        /// The calling task was cancelled (while waiting for a connection or while a statement ran).
        case cancelled
        /// A value could not be decoded into the requested Swift type.
        case decoding
        /// A `COPY … FROM STDIN` failed.
        case copyFailed
        /// libpq or the server did something this layer did not expect.
        case protocolViolation
    }

    /// What kind of failure this is.
    public var code: Code
    /// The five-character SQLSTATE the server reported, e.g. `23505`.
    public var sqlState: String?
    /// A message safe to show users: the server's primary message, or our own text.
    public var message: String
    /// The server's DETAIL, if any.
    public var detail: String?
    /// The server's HINT, if any.
    public var hint: String?
    /// The constraint the error is about, if any.
    public var constraint: String?
    /// The table the error is about, if any.
    public var table: String?
    /// The column the error is about, if any.
    public var column: String?
    /// The statement that failed; only shown by ``debugDescription``.
    public var query: String?

    /// Creates an error.
    public init(code: Code, message: String, sqlState: String? = nil, query: String? = nil) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.query = query
    }

    /// SQLSTATE 23505.
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// SQLSTATE 23503.
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    /// SQLSTATE 57014: the statement was cancelled (statement timeout or a cancel request).
    public var isQueryCanceled: Bool { sqlState == "57014" }

    /// The message, and the SQLSTATE when there is one.
    public var description: String {
        if let sqlState { return "\(message) (SQLSTATE \(sqlState))" }
        return message
    }

    /// Every field, including the query.
    public var debugDescription: String {
        var parts = ["PostgresError(code: \(code)", "message: \(message)"]
        let optional: [(String, String?)] = [
            ("sqlState", sqlState), ("detail", detail), ("hint", hint), ("constraint", constraint),
            ("table", table), ("column", column), ("query", query),
        ]
        for (name, value) in optional {
            if let value { parts.append("\(name): \(value)") }
        }
        return parts.joined(separator: ", ") + ")"
    }
}
