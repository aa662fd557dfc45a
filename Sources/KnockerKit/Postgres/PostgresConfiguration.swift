/// How a ``PostgresClient`` connects and sizes its pool.
public struct PostgresConfiguration: Sendable {
    /// A libpq URI (`postgres://user@host:5432/db?sslmode=require`) or key=value conninfo string.
    public var connectionString: String
    /// The most connections (and pool threads) the client opens. Default 10.
    public var poolSize: Int
    /// How long a caller waits for a free connection before ``PostgresError/Code/poolTimeout``. Default 10 s.
    public var acquireTimeout: Duration
    /// libpq's `connect_timeout`, rounded up to whole seconds, at least 2. Default 5 s.
    public var connectTimeout: Duration
    /// `statement_timeout` set on every connection; nil keeps the server's default. Default 30 s.
    public var statementTimeout: Duration?
    /// How long a TCP connection may leave sent data unacknowledged (libpq's `tcp_user_timeout`), and about how
    /// long an idle one may go without answering keepalives, before it counts as dead; nil leaves the system's
    /// defaults (a half-open connection can then block a call for about 15 minutes). Ignored for Unix sockets.
    /// Default 30 s.
    public var tcpTimeout: Duration?
    /// `application_name` reported to the server. Default `knocker`.
    public var applicationName: String

    /// Creates a configuration; see the properties for the defaults.
    public init(
        connectionString: String,
        poolSize: Int = 10,
        acquireTimeout: Duration = .seconds(10),
        connectTimeout: Duration = .seconds(5),
        statementTimeout: Duration? = .seconds(30),
        tcpTimeout: Duration? = .seconds(30),
        applicationName: String = "knocker"
    ) {
        self.connectionString = connectionString
        self.poolSize = poolSize
        self.acquireTimeout = acquireTimeout
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
        self.tcpTimeout = tcpTimeout
        self.applicationName = applicationName
    }

    /// Parses a connection string with libpq's `PQconninfoParse`.
    /// - Returns: only the keys that have values, e.g. `host`, `port`, `user`, `password`, `dbname`, `sslmode`.
    /// - Throws: ``PostgresError`` with code ``PostgresError/Code/invalidConfiguration`` and libpq's reason.
    public static func parseConnectionString(_ s: String) throws(PostgresError) -> [String: String] {
        try LibPQConnection.parseConnectionInfo(s).get()
    }

    /// The keyword/value pairs passed to `PQconnectdbParams` (expand_dbname = 1): the connection string first,
    /// then our settings, which override it; `options` is merged with any the connection string sets.
    func connectParameters(parsed: [String: String]) -> [(String, String)] {
        var parameters: [(String, String)] = [("dbname", connectionString)]
        parameters.append(("connect_timeout", String(Self.wholeSeconds(connectTimeout, minimum: 2))))
        parameters.append(("application_name", applicationName))
        if let statementTimeout {
            let option = "-c statement_timeout=\(max(0, statementTimeout.wholeMilliseconds))"
            let existing = parsed["options"].map { $0 + " " } ?? ""
            parameters.append(("options", existing + option))
        }
        if let tcpTimeout {
            // Keepalives first after half the timeout, then three probes over the other half.
            let seconds = Self.wholeSeconds(tcpTimeout, minimum: 1)
            parameters.append(("tcp_user_timeout", String(max(1000, tcpTimeout.wholeMilliseconds))))
            parameters.append(("keepalives", "1"))
            parameters.append(("keepalives_idle", String(max(1, seconds / 2))))
            parameters.append(("keepalives_interval", String(max(1, seconds / 6))))
            parameters.append(("keepalives_count", "3"))
        }
        return parameters
    }

    static func wholeSeconds(_ duration: Duration, minimum: Int) -> Int {
        let parts = duration.components
        let seconds = Int(parts.seconds) + (parts.attoseconds > 0 ? 1 : 0)
        return max(minimum, seconds)
    }
}
