import Synchronization

/// A counting semaphore for async code: at most `count` holders at once; waiters are served first come, first
/// served. Closing it wakes every waiter with `false`.
public final class AsyncSlots: Sendable {
    private struct State {
        var available: Int
        var closed = false
        var waiters: [(id: Int, continuation: CheckedContinuation<Bool, Never>)] = []
        var nextID = 0
    }

    private let state: Mutex<State>

    public init(count: Int) {
        state = Mutex(State(available: max(1, count)))
    }

    /// Takes a slot, waiting for one if needed.
    /// - Returns: false when closed or cancelled instead (no slot is held then).
    public func acquire() async -> Bool {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let immediate = state.withLock { state -> Bool? in
                    if state.closed || Task.isCancelled { return false }
                    if state.available > 0 {
                        state.available -= 1
                        return true
                    }
                    state.waiters.append((id, continuation))
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(returning: false)
        }
    }

    /// Gives a slot back (to the longest waiter, if any).
    public func release() {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if !state.closed, !state.waiters.isEmpty { return state.waiters.removeFirst().continuation }
            state.available += 1
            return nil
        }
        waiter?.resume(returning: true)
    }

    /// Wakes every waiter with false; later acquires fail at once.
    public func close() {
        let waiters = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            state.closed = true
            defer { state.waiters = [] }
            return state.waiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume(returning: false) }
    }
}
