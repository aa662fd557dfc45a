/// A snapshot of a Postgres pool's counts.
public typealias PostgresPoolStatistics = ConnectionPoolCounts
