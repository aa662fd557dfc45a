import Dispatch
import Synchronization

/// A connection while it is owned by the pool or by exactly one lease.
///
/// `@unchecked Sendable` because ownership moves between threads through the pool's lock: only the pool thread
/// running the current lease touches `connection`.
final class PooledConnection<Connection>: @unchecked Sendable {
    let connection: Connection
    init(_ connection: Connection) { self.connection = connection }
}

/// What an acquire yields: a pooled connection, or a reserved slot to open a new connection in.
enum PoolLease<Connection>: Sendable {
    case existing(PooledConnection<Connection>)
    case new

    var connection: PooledConnection<Connection>? {
        switch self {
        case .existing(let connection): connection
        case .new: nil
        }
    }
}

/// A caller waiting for a connection, with its acquire-timeout timer.
struct PoolWaiter<Connection>: Sendable {
    let continuation: CheckedContinuation<PoolLease<Connection>, any Error>
    let timer: AcquireTimer

    func serve(_ lease: PoolLease<Connection>) {
        timer.cancel()
        continuation.resume(returning: lease)
    }

    func fail(_ error: any Error) {
        timer.cancel()
        continuation.resume(throwing: error)
    }
}

/// Why an acquire fails: its timeout fired, its task was cancelled, or the pool is shut down.
typealias ConnectionPoolFailure = ConnectionPoolStateMachine<Never, Never>.Failure

/// The lending side of a bounded connection pool, shared by the Postgres and Redis clients.
///
/// It owns the ``ConnectionPoolStateMachine``, the FIFO waiters with their acquire timeouts, and task cancellation
/// while waiting. It does no I/O: the client opens, health-checks and closes connections on its own threads.
/// `makeError` turns a ``ConnectionPoolFailure`` into the client's error (and may log); it runs outside the lock.
final class ConnectionPool<Connection, Failure: Error>: Sendable {
    private typealias Machine = ConnectionPoolStateMachine<PooledConnection<Connection>, PoolWaiter<Connection>>

    private struct State {
        var machine: Machine
        var nextID = 0
    }

    private let state: Mutex<State>
    private let acquireTimeout: Duration
    private let timerQueue: DispatchQueue
    private let makeError: @Sendable (ConnectionPoolFailure) -> Failure

    /// Creates an empty pool of at most `size` connections; `timerLabel` names the queue its timeouts fire on.
    init(
        size: Int,
        acquireTimeout: Duration,
        timerLabel: String,
        makeError: @escaping @Sendable (ConnectionPoolFailure) -> Failure
    ) {
        self.state = Mutex(State(machine: Machine(maximumConnections: size)))
        self.acquireTimeout = acquireTimeout
        self.timerQueue = DispatchQueue(label: timerLabel)
        self.makeError = makeError
    }

    /// The current counts.
    var statistics: ConnectionPoolCounts { state.withLock { $0.machine.statistics } }

    /// Whether ``shutdown()`` was called.
    var isShutDown: Bool { state.withLock { $0.machine.isShutDown } }

    /// Takes a connection or slot from the pool, waiting FIFO up to the acquire timeout.
    func acquire() async throws(Failure) -> PoolLease<Connection> {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation {
                    (continuation: CheckedContinuation<PoolLease<Connection>, any Error>) in
                    let waiter = PoolWaiter(continuation: continuation, timer: AcquireTimer())
                    let action = state.withLock { $0.machine.acquire(waiterID: id, waiter: waiter) }
                    switch action {
                    case .lend(let connection):
                        continuation.resume(returning: .existing(connection))
                    case .connect:
                        continuation.resume(returning: .new)
                    case .fail:
                        continuation.resume(throwing: makeError(.closed))
                    case .wait:
                        waiter.timer.start(after: acquireTimeout, on: timerQueue) { [self] in
                            removeWaiter(id: id, failure: .timeout)
                        }
                        if Task.isCancelled { removeWaiter(id: id, failure: .cancelled) }
                    }
                }
            } onCancel: {
                removeWaiter(id: id, failure: .cancelled)
            }
        } catch let error as Failure {
            throw error
        } catch {
            throw makeError(.cancelled)
        }
    }

    private func removeWaiter(id: Int, failure: ConnectionPoolFailure) {
        guard let waiter = state.withLock({ $0.machine.removeWaiter(id: id) }) else { return }
        waiter.fail(makeError(failure))
    }

    /// Ends a lease: keeps `connection` (or frees its slot when nil) and serves the next waiter.
    func release(_ connection: PooledConnection<Connection>?) {
        let action = state.withLock { $0.machine.release(connection) }
        switch action {
        case .none, .close: break  // a closed connection is finished when its last reference goes, here
        case .lend(let waiter, let connection): waiter.serve(.existing(connection))
        case .connect(let waiter): waiter.serve(.new)
        }
    }

    /// Refuses new acquires, fails the waiters as `.closed`, and hands over the idle connections to close.
    func shutdown() -> ConnectionsToClose<Connection> {
        let action = state.withLock { $0.machine.shutdown() }
        for waiter in action.waiters {
            waiter.fail(makeError(.closed))
        }
        return ConnectionsToClose(action.connections)
    }
}

/// Connections handed over for closing on a pool thread: ``close()`` drops the last references to them.
final class ConnectionsToClose<Connection>: Sendable {
    private let connections: Mutex<[PooledConnection<Connection>]>
    init(_ connections: [PooledConnection<Connection>]) { self.connections = Mutex(connections) }
    func close() { connections.withLock { $0.removeAll() } }
}
