/// How a ``RedisClient`` connects and how long it waits.
public struct RedisConfiguration: Sendable {
    /// The server's host name or address.
    public var host: String
    /// The server's TCP port.
    public var port: Int
    /// Sent with `AUTH` on every new connection when set; never logged or shown in errors.
    public var password: String?
    /// Selected with `SELECT` on every new connection when not 0.
    public var database: Int
    /// The longest a new connection may take to open. Default 5 s.
    public var connectTimeout: Duration
    /// The socket read/write timeout for every command. Default 5 s.
    public var commandTimeout: Duration
    /// The most connections (and pool threads) the client uses. Default 8.
    public var poolSize: Int

    /// Creates a configuration.
    public init(
        host: String = "localhost",
        port: Int = 6379,
        password: String? = nil,
        database: Int = 0,
        connectTimeout: Duration = .seconds(5),
        commandTimeout: Duration = .seconds(5),
        poolSize: Int = 8
    ) {
        self.host = host
        self.port = port
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.poolSize = poolSize
    }

    /// A configuration for the endpoint from the application's settings.
    public init(
        endpoint: RedisEndpoint,
        connectTimeout: Duration = .seconds(5),
        commandTimeout: Duration = .seconds(5),
        poolSize: Int = 8
    ) {
        self.init(
            host: endpoint.host,
            port: endpoint.port,
            password: endpoint.password,
            database: endpoint.database,
            connectTimeout: connectTimeout,
            commandTimeout: commandTimeout,
            poolSize: poolSize
        )
    }

    /// How long a caller waits for a free pooled connection: `connectTimeout + commandTimeout`.
    public var acquireTimeout: Duration { connectTimeout + commandTimeout }
}
