import Dispatch
import Foundation
import Synchronization

/// A notification received on a channel the client listens to.
public struct PostgresNotification: Sendable, Equatable {
    /// The channel name.
    public var channel: String
    /// The payload (empty when none was given).
    public var payload: String
    /// The server process that sent it.
    public var processID: Int32

    /// Creates a notification.
    public init(channel: String, payload: String, processID: Int32) {
        self.channel = channel
        self.payload = payload
        self.processID = processID
    }
}

extension PostgresClient {
    /// Streams notifications sent to `channel`.
    ///
    /// The stream uses its own connection on its own thread (not the pool). When that connection breaks (for
    /// example, the server restarted) it reconnects with backoff (0.1 s doubling to 5 s) and runs `LISTEN` again;
    /// notifications sent while it was disconnected are lost. The stream ends when the consumer stops iterating
    /// or the client shuts down; it never ends with an error except `.poolClosed` when the client is already
    /// shut down.
    public func listen(channel: String) -> AsyncThrowingStream<PostgresNotification, any Error> {
        listen(channel: channel, onSubscribed: {})
    }

    /// ``listen(channel:)`` with a hook called on the listener thread each time `LISTEN` succeeds.
    func listen(
        channel: String,
        onSubscribed: @escaping @Sendable () -> Void
    ) -> AsyncThrowingStream<PostgresNotification, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: PostgresNotification.self)
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let listener = PostgresListener(
            channel: channel,
            logger: logger.with("db.channel", channel),
            connect: { [self] () throws(PostgresError) in try openConnection() },
            continuation: continuation,
            onSubscribed: onSubscribed,
            onExit: { [weak self] in self?.state.withLock { _ = $0.listeners.removeValue(forKey: id) } }
        )
        let registered = state.withLock { state -> Bool in
            guard !state.machine.isShutDown else { return false }
            state.listeners[id] = listener
            return true
        }
        guard registered else {
            continuation.finish(throwing: PostgresError(code: .poolClosed, message: "the database client is shut down"))
            return stream
        }
        continuation.onTermination = { _ in listener.stop() }
        listener.start(threadName: "knocker-pg-listen-\(id)")
        return stream
    }
}

/// One `LISTEN` loop on a dedicated thread.
final class PostgresListener: Sendable {
    private struct State {
        var isStopped = false
        var hasExited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let channel: String
    private let logger: Logger
    private let connect: @Sendable () throws(PostgresError) -> LibPQConnection
    private let continuation: AsyncThrowingStream<PostgresNotification, any Error>.Continuation
    private let onSubscribed: @Sendable () -> Void
    private let onExit: @Sendable () -> Void
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    init(
        channel: String,
        logger: Logger,
        connect: @escaping @Sendable () throws(PostgresError) -> LibPQConnection,
        continuation: AsyncThrowingStream<PostgresNotification, any Error>.Continuation,
        onSubscribed: @escaping @Sendable () -> Void,
        onExit: @escaping @Sendable () -> Void
    ) {
        self.channel = channel
        self.logger = logger
        self.connect = connect
        self.continuation = continuation
        self.onSubscribed = onSubscribed
        self.onExit = onExit
    }

    func start(threadName: String) {
        let thread = Thread { [self] in run() }
        thread.name = threadName
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Asks the loop to end; it notices within one poll interval (100 ms).
    func stop() {
        state.withLock { $0.isStopped = true }
        wake.signal()
    }

    /// Returns once the listener thread has finished.
    func waitUntilExited() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let exited = state.withLock { state -> Bool in
                if state.hasExited { return true }
                state.exitWaiters.append(continuation)
                return false
            }
            if exited { continuation.resume() }
        }
    }

    private var isStopped: Bool { state.withLock { $0.isStopped } }

    private func run() {
        var backoff = 0.1
        while !isStopped {
            do {
                let connection = try connect()
                _ = try connection.executeSimple("LISTEN \(PostgresQuery.quoteIdentifier(channel))")
                logger.debug("listening for postgres notifications")
                backoff = 0.1
                onSubscribed()
                while !isStopped {
                    for notification in try connection.waitForNotifications(timeoutMilliseconds: 100) {
                        continuation.yield(notification)
                    }
                }
            } catch {
                if isStopped { break }
                logger.warning(
                    "postgres listen connection failed; retrying",
                    ("error", error.description),
                    ("retry.seconds", backoff)
                )
                _ = wake.wait(timeout: .now() + backoff)
                backoff = min(backoff * 2, 5)
            }
        }
        continuation.finish()
        let waiters = state.withLock { state in
            state.hasExited = true
            defer { state.exitWaiters = [] }
            return state.exitWaiters
        }
        for waiter in waiters { waiter.resume() }
        onExit()
    }
}
