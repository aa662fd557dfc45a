import Foundation
import Synchronization

/// A bounded pool of Redis connections whose blocking hiredis calls run on threads the client owns.
///
/// All hiredis work runs on a ``BlockingThreadPool`` named `knocker-redis` with one thread per pool slot, never on
/// Swift's cooperative pool; each ``subscribe(channels:)`` stream gets its own thread. Call ``shutdown()`` before
/// dropping the client.
///
/// Connections: an idle connection is checked before it is lent (a readable idle socket means the server closed
/// it) and replaced when dead, so the first command after a server restart succeeds. A connection that hit an I/O
/// error, EOF or timeout is discarded. After a failed connect, new connects are retried with backoff (0.1 s
/// doubling to 5 s); meanwhile callers that need a new connection fail at once with
/// ``RedisError/Code/connectionFailed``.
///
/// Cancellation: cancelling the calling task while it waits for a connection, or before its work started on a
/// pool thread, throws ``RedisError/Code/cancelled``. hiredis cannot interrupt a running command; it ends within
/// the command timeout.
public final class RedisClient: Sendable {
    struct State {
        var backoff = RedisConnectBackoff()
    }

    let configuration: RedisConfiguration
    let logger: Logger
    let threadPool: BlockingThreadPool
    let pool: ConnectionPool<RedisConnection, RedisError>
    let state = Mutex(State())
    let subscribers = ReconnectingThreads()

    /// Creates the client; connections are opened lazily, on first use.
    public init(configuration: RedisConfiguration, logger: Logger) {
        var configuration = configuration
        configuration.poolSize = max(1, configuration.poolSize)
        self.configuration = configuration
        let logger = logger.with("db.system", "redis")
        self.logger = logger
        self.threadPool = BlockingThreadPool(name: "knocker-redis", threads: configuration.poolSize)
        self.pool = ConnectionPool(
            size: configuration.poolSize,
            acquireTimeout: configuration.acquireTimeout,
            timerLabel: "knocker-redis-acquire-timers"
        ) { [configuration] failure in
            Self.poolError(failure, configuration: configuration, logger: logger)
        }
    }

    /// Lends a connection to `body`, which runs synchronously on a pool thread.
    /// - Throws: what `body` throws; ``RedisError`` with `.poolTimeout`, `.poolClosed`, `.cancelled`,
    ///   `.connectionFailed`.
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (RedisConnection) throws -> T
    ) async throws -> T {
        let lease = try await pool.acquire()
        let result: Result<T, any Error>
        do {
            result = try await threadPool.run { [self] in runLease(lease, body: body) }
        } catch {
            // The job never ran (cancelled while queued, or the pool is shut down): hand the lease back untouched.
            pool.release(lease.connection)
            if error is BlockingThreadPool.ShutDown { throw Self.closedError }
            throw RedisError(code: .cancelled, message: "the task was cancelled")
        }
        return try result.get()
    }

    /// Sends one command; see ``RedisConnection/command(_:)``.
    public func command(_ arguments: [RedisArgument]) async throws -> RedisValue {
        try await withConnection { try $0.command(arguments) }
    }

    /// Sends many commands on one connection; see ``RedisConnection/pipeline(_:)``.
    public func pipeline(_ commands: [[RedisArgument]]) async throws -> [RedisValue] {
        try await withConnection { try $0.pipeline(commands) }
    }

    /// Runs a script; see ``RedisConnection/run(_:keys:arguments:)``.
    public func run(
        _ script: RedisScript,
        keys: [RedisArgument],
        arguments: [RedisArgument]
    ) async throws -> RedisValue {
        try await withConnection { try $0.run(script, keys: keys, arguments: arguments) }
    }

    /// Runs a script many times in one round trip; see ``RedisConnection/runPipelined(_:calls:)``.
    public func runPipelined(
        _ script: RedisScript,
        calls: [(keys: [RedisArgument], arguments: [RedisArgument])]
    ) async throws -> [RedisValue] {
        try await withConnection { try $0.runPipelined(script, calls: calls) }
    }

    /// Sends `PUBLISH` and returns the number of subscribers that received the message.
    @discardableResult
    public func publish(channel: String, message: [UInt8]) async throws -> Int {
        let reply = try await command(["PUBLISH", RedisArgument(channel), RedisArgument(message)])
        guard let count = reply.int else {
            throw RedisError(code: .protocolViolation, message: "PUBLISH did not return an integer")
        }
        return Int(count)
    }

    /// The pool's current counts.
    public var statistics: RedisPoolStatistics {
        pool.statistics
    }

    /// Fails waiting callers with `.poolClosed`, closes idle connections, ends subscription streams and joins every
    /// thread after the running commands finish. Connections still lent are closed when their lease ends.
    public func shutdown() async {
        let closing = pool.shutdown()
        let subscribers = subscribers.close()
        _ = try? await threadPool.run { closing.close() }
        closing.close()
        await ReconnectingThreads.stopAndJoin(subscribers)
        let pool = threadPool
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                pool.shutdown()
                continuation.resume()
            }
            thread.name = "knocker-redis-shutdown"
            thread.start()
        }
        logger.debug("redis client shut down")
    }

    static let closedError = RedisError(code: .poolClosed, message: "the Redis client is shut down")

    /// Opens, authenticates and selects a connection (blocking; pool or subscriber thread only).
    func openConnection() throws(RedisError) -> HiredisContext {
        let context = try HiredisContext.connect(
            host: configuration.host,
            port: configuration.port,
            connectTimeout: configuration.connectTimeout,
            commandTimeout: configuration.commandTimeout
        )
        let address = "\(configuration.host):\(configuration.port)"
        if let password = configuration.password {
            let reply = try Self.connectStep(context, ["AUTH", RedisArgument(password)], address: address)
            if case .error(let message) = reply {
                throw RedisError(
                    code: .connectionFailed,
                    message: "Redis at \(address) refused the password: \(message)"
                )
            }
        }
        if configuration.database != 0 {
            let reply = try Self.connectStep(
                context,
                ["SELECT", RedisArgument(configuration.database)],
                address: address
            )
            if case .error(let message) = reply {
                throw RedisError(
                    code: .connectionFailed,
                    message: "Redis at \(address) refused SELECT \(configuration.database): \(message)"
                )
            }
        }
        return context
    }

    private static func connectStep(
        _ context: HiredisContext,
        _ command: [RedisArgument],
        address: String
    ) throws(RedisError) -> RedisValue {
        do {
            return try context.roundTrip([command.map(\.bytes)]).first ?? .null
        } catch {
            throw RedisError(
                code: .connectionFailed,
                message: "cannot connect to Redis at \(address): \(error.message)"
            )
        }
    }
}

/// A snapshot of a Redis pool's counts.
public typealias RedisPoolStatistics = ConnectionPoolCounts
