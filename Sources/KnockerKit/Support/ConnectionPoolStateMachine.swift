/// The pool's bookkeeping, with no I/O: which connections are idle, how many are open or lent, and who waits.
///
/// Every operation returns an action the caller performs after releasing the lock that guards the machine
/// (lend a connection, open one, resume or fail a waiter, close connections). `Connection` and `Waiter` are
/// generic so tests can use plain values; the Postgres and Redis clients share it.
struct ConnectionPoolStateMachine<Connection, Waiter> {
    /// Why an acquire fails immediately or a waiter is removed.
    enum Failure: Equatable, Sendable {
        case timeout, cancelled, closed
    }

    /// What to do for a new acquire.
    enum AcquireAction {
        /// Lend this idle connection (check its health first).
        case lend(Connection)
        /// A slot was reserved: open a new connection for the caller.
        case connect
        /// The waiter was queued; start its timeout.
        case wait
        /// Fail the caller now.
        case fail(Failure)
    }

    /// What to do when a lease ends.
    enum ReleaseAction {
        /// Nothing: the connection went back to the idle list, or its slot was freed.
        case none
        /// Hand the released connection straight to the oldest waiter.
        case lend(Waiter, Connection)
        /// The released connection was discarded; the oldest waiter gets its slot and opens a new connection.
        case connect(Waiter)
        /// The pool is shut down: close the connection.
        case close(Connection)
    }

    /// What shutting down requires: fail these waiters, close these idle connections.
    struct ShutdownAction {
        var waiters: [Waiter]
        var connections: [Connection]
    }

    /// The most connections open at once.
    let maximumConnections: Int
    private(set) var idle: [Connection] = []
    private var waiters: [(id: Int, waiter: Waiter)] = []
    /// Connections open or being opened, lent or idle.
    private(set) var open = 0
    /// Connections (or reserved slots) currently lent.
    private(set) var inUse = 0
    private(set) var isShutDown = false

    init(maximumConnections: Int) {
        self.maximumConnections = max(1, maximumConnections)
    }

    /// The current counts.
    var statistics: ConnectionPoolCounts {
        ConnectionPoolCounts(open: open, idle: idle.count, inUse: inUse, waiting: waiters.count)
    }

    /// A caller wants a connection. Idle connections are reused most-recently-used first; waiters are FIFO.
    mutating func acquire(waiterID: Int, waiter: Waiter) -> AcquireAction {
        if isShutDown { return .fail(.closed) }
        if let connection = idle.popLast() {
            inUse += 1
            return .lend(connection)
        }
        if open < maximumConnections {
            open += 1
            inUse += 1
            return .connect
        }
        waiters.append((waiterID, waiter))
        return .wait
    }

    /// A lease ended. Pass the connection to keep it, or nil when it was discarded (broken, or never opened).
    mutating func release(_ connection: Connection?) -> ReleaseAction {
        if !waiters.isEmpty {
            let next = waiters.removeFirst().waiter
            if let connection { return .lend(next, connection) }
            return .connect(next)
        }
        inUse -= 1
        guard let connection else {
            open -= 1
            return .none
        }
        if isShutDown {
            open -= 1
            return .close(connection)
        }
        idle.append(connection)
        return .none
    }

    /// Removes a waiter whose timeout fired or whose task was cancelled; nil if it was already served.
    mutating func removeWaiter(id: Int) -> Waiter? {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index).waiter
    }

    /// Refuses new acquires, hands back all waiters (to fail) and idle connections (to close).
    mutating func shutdown() -> ShutdownAction {
        isShutDown = true
        let action = ShutdownAction(waiters: waiters.map(\.waiter), connections: idle)
        open -= idle.count
        idle = []
        waiters = []
        return action
    }
}

/// A snapshot of a pool's counts, for the clients' public statistics types.
public struct ConnectionPoolCounts: Sendable, Equatable {
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
