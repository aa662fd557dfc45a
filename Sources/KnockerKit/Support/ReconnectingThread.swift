import Dispatch
import Foundation
import Synchronization

/// The dedicated thread of a `LISTEN` or `SUBSCRIBE` stream: it runs one session per connection and, when a
/// session fails, reconnects with backoff (0.1 s doubling to 5 s, reset once a session is subscribed) until
/// ``stop()``. Shared by the Postgres listener and the Redis subscriber.
final class ReconnectingThread: Sendable {
    private struct State {
        var isStopped = false
        var hasExited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    /// Whether ``stop()`` was called; sessions poll it (every 100 ms) to end.
    var isStopped: Bool { state.withLock { $0.isStopped } }

    /// Starts the thread. `session` runs one connection's life and calls its argument once subscribed; a failure
    /// is logged as `retryMessage` with the error as `describe` renders it. `onExit` runs once, on the thread,
    /// after the last session and before ``waitUntilExited()`` returns.
    func start<Failure: Error>(
        threadName: String,
        logger: Logger,
        retryMessage: String,
        describe: @escaping @Sendable (Failure) -> String,
        session: @escaping @Sendable (_ subscribed: () -> Void) throws(Failure) -> Void,
        onExit: @escaping @Sendable () -> Void
    ) {
        let thread = Thread { [self] in
            var backoff = 0.1
            while !isStopped {
                do throws(Failure) {
                    try session { backoff = 0.1 }
                } catch {
                    if isStopped { break }
                    logger.warning(retryMessage, ("error", describe(error)), ("retry.seconds", backoff))
                    _ = wake.wait(timeout: .now() + backoff)
                    backoff = min(backoff * 2, 5)
                }
            }
            onExit()
            let waiters = state.withLock { state in
                state.hasExited = true
                defer { state.exitWaiters = [] }
                return state.exitWaiters
            }
            for waiter in waiters { waiter.resume() }
        }
        thread.name = threadName
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Asks the loop to end; it notices within one poll interval (100 ms).
    func stop() {
        state.withLock { $0.isStopped = true }
        wake.signal()
    }

    /// Returns once the thread has finished.
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
}

/// A client's stream threads, so that shutting down can stop and join them; closed once, it refuses new ones.
final class ReconnectingThreads: Sendable {
    private struct State {
        var threads: [Int: ReconnectingThread] = [:]
        var nextID = 0
        var isClosed = false
    }

    private let state = Mutex(State())

    /// Registers a new thread (not started yet) and returns it with its id, or nil once ``close()`` ran.
    func add() -> (id: Int, thread: ReconnectingThread)? {
        state.withLock { state in
            guard !state.isClosed else { return nil }
            state.nextID += 1
            let thread = ReconnectingThread()
            state.threads[state.nextID] = thread
            return (state.nextID, thread)
        }
    }

    /// Forgets an exited thread.
    func remove(id: Int) {
        state.withLock { _ = $0.threads.removeValue(forKey: id) }
    }

    /// Refuses new threads and hands over the registered ones, to ``stopAndJoin(_:)``.
    func close() -> [ReconnectingThread] {
        state.withLock { state in
            state.isClosed = true
            defer { state.threads = [:] }
            return Array(state.threads.values)
        }
    }

    /// Stops `threads` and returns once all have exited.
    static func stopAndJoin(_ threads: [ReconnectingThread]) async {
        for thread in threads { thread.stop() }
        for thread in threads { await thread.waitUntilExited() }
    }
}
