import Dispatch
import Synchronization

/// A one-shot Dispatch timer for a pool waiter's acquire timeout, shared by the Postgres and Redis pools.
///
/// The source is only created (and then at once activated) when the timer starts and has not been cancelled yet:
/// a waiter can be served, which cancels its timer, before the code that queued it gets to start the timer, and
/// Dispatch crashes when an inactive source is released.
final class AcquireTimer: Sendable {
    private struct Source: @unchecked Sendable {  // DispatchSource methods are thread-safe
        let timer: DispatchSourceTimer
    }

    private struct State {
        var source: Source?
        var cancelled = false
    }

    private let state = Mutex(State())

    func start(after duration: Duration, on queue: DispatchQueue, handler: @escaping @Sendable () -> Void) {
        state.withLock { state in
            guard !state.cancelled, state.source == nil else { return }
            let timer = DispatchSource.makeTimerSource(queue: queue)
            let nanoseconds = Int(min(max(0, duration.wholeMilliseconds), Int64(Int32.max))) * 1_000_000
            timer.schedule(deadline: .now() + .nanoseconds(nanoseconds))
            timer.setEventHandler(handler: handler)
            timer.activate()
            state.source = Source(timer: timer)
        }
    }

    func cancel() {
        let source = state.withLock { state -> Source? in
            state.cancelled = true
            defer { state.source = nil }
            return state.source
        }
        source?.timer.cancel()
    }
}
