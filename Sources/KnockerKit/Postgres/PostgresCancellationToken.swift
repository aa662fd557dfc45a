import Synchronization

/// Links one lease's task cancellation to `PQcancel` on the connection the lease runs on.
///
/// The pool thread arms the token with the connection's canceller before running the caller's closure and
/// disarms it afterwards; the task's cancellation handler calls ``cancel()`` from any thread. Because `cancel()`
/// holds the lock while `PQcancel` runs, `disarm()` cannot return (and the connection cannot go back to the pool)
/// while a cancel request for it is still in flight.
final class PostgresCancellationToken: Sendable {
    private struct State {
        var canceller: LibPQCanceller?
        var isCancelled = false
    }

    private let state = Mutex(State())

    /// Whether the owning task was cancelled.
    var isCancelled: Bool { state.withLock { $0.isCancelled } }

    /// Marks the token cancelled and, if a statement may be running, asks the server to cancel it.
    func cancel() {
        state.withLock { state in
            state.isCancelled = true
            state.canceller?.cancel()
        }
    }

    /// Attaches the connection's canceller. Returns false if the task is already cancelled.
    func arm(_ canceller: LibPQCanceller) -> Bool {
        state.withLock { state in
            guard !state.isCancelled else { return false }
            state.canceller = canceller
            return true
        }
    }

    /// Detaches the canceller, waiting for an in-flight cancel request to finish.
    func disarm() {
        state.withLock { $0.canceller = nil }
    }
}
