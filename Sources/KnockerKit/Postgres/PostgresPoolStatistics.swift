/// A snapshot of a Postgres pool's counts.
public struct PostgresPoolStatistics: Sendable, Equatable {
    /// Connections open or being opened.
    public var open: Int
    /// Open connections nobody holds.
    public var idle: Int
    /// Connections lent to callers.
    public var inUse: Int
    /// Callers waiting for a connection.
    public var waiting: Int

    /// Creates a snapshot.
    public init(open: Int, idle: Int, inUse: Int, waiting: Int) {
        self.open = open
        self.idle = idle
        self.inUse = inUse
        self.waiting = waiting
    }
}

extension PostgresPoolStatistics {
    init(_ counts: ConnectionPoolCounts) {
        self.init(open: counts.open, idle: counts.idle, inUse: counts.inUse, waiting: counts.waiting)
    }
}
