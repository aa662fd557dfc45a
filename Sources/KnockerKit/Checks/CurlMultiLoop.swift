import CCurl
import Foundation
import Synchronization

/// Runs HTTP checks on one libcurl multi handle driven by one dedicated thread, `knocker-curl`.
///
/// Callers hand requests over through a locked inbox and wake the loop with `curl_multi_wakeup`; the thread builds
/// each easy handle, drives them all with `curl_multi_perform`/`curl_multi_poll`, and resumes each caller when its
/// transfer is done. Every libcurl handle is touched from that thread only, so thousands of checks in flight cost
/// one thread and no cooperative-pool time. The response is evaluated on the caller's executor.
public final class CurlMultiLoop: Sendable {
    private struct Pending {
        var request: HTTPCheckRequest
        var continuation: CheckedContinuation<HTTPTransfer, Never>
    }

    private struct State {
        var inbox: [(id: Int, pending: Pending)] = []
        var cancelled: Set<Int> = []
        var nextID = 0
        var started = false
        var stopping = false
        var exited = false
        var waker: CurlWaker?
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// An in-flight transfer, owned by the loop thread.
    private final class Active {
        let id: Int
        let easy: CurlEasy
        let continuation: CheckedContinuation<HTTPTransfer, Never>

        init(id: Int, easy: CurlEasy, continuation: CheckedContinuation<HTTPTransfer, Never>) {
            self.id = id
            self.easy = easy
            self.continuation = continuation
        }
    }

    private let state = Mutex(State())
    /// The engine-wide settings.
    public let options: Options

    /// A loop with `options` (by default the system CA store and no connection limit); its thread starts with the
    /// first request.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Runs `request` and evaluates the response against its config.
    ///
    /// Cancelling the calling task removes the transfer at once and returns a `failed` result "check cancelled".
    public func perform(_ request: HTTPCheckRequest) async -> HTTPCheckResult {
        let transfer = await transfer(request)
        return HTTPCheck.evaluate(transfer, config: request.config)
    }

    /// Finishes: in-flight and queued checks end as failed "shutting down", and the thread exits before this
    /// returns. Later requests fail the same way at once.
    public func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                state.stopping = true
                guard state.started, !state.exited else { return true }
                state.exitWaiters.append(continuation)
                state.waker?.wake()
                return false
            }
            if done { continuation.resume() }
        }
    }

    func transfer(_ request: HTTPCheckRequest) async -> HTTPTransfer {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<HTTPTransfer, Never>) in
                let refusal = state.withLock { state -> CurlTransferError? in
                    if state.stopping { return .cancelled("shutting down") }
                    if Task.isCancelled { return .cancelled("check cancelled") }
                    state.inbox.append((id, Pending(request: request, continuation: continuation)))
                    if !state.started {
                        state.started = true
                        let thread = Thread { [self] in run() }
                        thread.name = "knocker-curl"
                        thread.start()
                    }
                    // The loop takes the whole inbox at once: a non-empty inbox already has a wake-up pending.
                    if state.inbox.count == 1 { state.waker?.wake() }
                    return nil
                }
                if let refusal { continuation.resume(returning: .failed(refusal)) }
            }
        } onCancel: {
            state.withLock { state in
                state.cancelled.insert(id)
                state.waker?.wake()
            }
        }
    }

    /// The loop thread's body.
    private func run() {
        ThreadName.setCurrent("knocker-curl")
        guard let multi = CurlMulti(maxTotalConnections: options.maxTotalConnections) else {
            drainAfterFailure()
            return
        }
        let waiters = loop(multi)
        for waiter in waiters { waiter.resume() }
    }

    /// Drives `multi` until shutdown; returns the `shutdown()` callers to resume.
    private func loop(_ multi: CurlMulti) -> [CheckedContinuation<Void, Never>] {
        state.withLock { $0.waker = multi.waker }
        var active: [UnsafeMutableRawPointer: Active] = [:]
        while true {
            let (inbox, cancelled, stopping) = state.withLock { state in
                defer {
                    state.inbox = []
                    state.cancelled = []
                }
                return (state.inbox, state.cancelled, state.stopping)
            }
            var queued: [Int: Pending] = [:]
            for (id, pending) in inbox { queued[id] = pending }
            for id in cancelled {
                if let pending = queued.removeValue(forKey: id) {
                    pending.continuation.resume(returning: .failed(.cancelled("check cancelled")))
                } else if let entry = active.first(where: { $0.value.id == id }) {
                    finish(entry.value, in: multi, active: &active, with: .failed(.cancelled("check cancelled")))
                }
            }
            if stopping {
                for pending in queued.values {
                    pending.continuation.resume(returning: .failed(.cancelled("shutting down")))
                }
                for entry in active.values {
                    finish(entry, in: multi, active: &active, with: .failed(.cancelled("shutting down")))
                }
                break
            }
            for id in queued.keys.sorted() {
                guard let pending = queued[id] else { continue }
                start(id: id, pending: pending, in: multi, active: &active)
            }
            multi.perform()
            while let done = multi.nextDone() {
                guard let entry = active[done.easy] else { continue }
                finish(entry, in: multi, active: &active, with: HTTPCheck.transfer(of: entry.easy, code: done.code))
            }
            multi.poll(timeoutMs: 1000)
        }
        return state.withLock { state in
            state.waker = nil
            state.exited = true
            defer { state.exitWaiters = [] }
            return state.exitWaiters
        }
    }

    private func start(id: Int, pending: Pending, in multi: CurlMulti, active: inout [UnsafeMutableRawPointer: Active])
    {
        let config = pending.request.config
        guard let easy = multi.makeEasy(maxBodyBytes: config.maxBodyBytes) else {
            pending.continuation.resume(returning: .failed(.other("could not create a curl handle")))
            return
        }
        if let problem = HTTPCheck.configure(easy, for: config, caFile: options.caFile) {
            pending.continuation.resume(returning: .failed(.other(problem)))
            return
        }
        guard multi.add(easy) else {
            pending.continuation.resume(returning: .failed(.other("could not start the transfer")))
            return
        }
        active[easy.handle] = Active(id: id, easy: easy, continuation: pending.continuation)
    }

    private func finish(
        _ entry: Active,
        in multi: CurlMulti,
        active: inout [UnsafeMutableRawPointer: Active],
        with transfer: HTTPTransfer
    ) {
        multi.remove(entry.easy)
        active[entry.easy.handle] = nil
        entry.continuation.resume(returning: transfer)
        multi.recycle(entry.easy)
    }

    /// libcurl could not make a multi handle: fail everything, now and later.
    private func drainAfterFailure() {
        let (inbox, waiters) = state.withLock { state in
            state.stopping = true
            state.exited = true
            defer {
                state.inbox = []
                state.exitWaiters = []
            }
            return (state.inbox, state.exitWaiters)
        }
        for (_, pending) in inbox { pending.continuation.resume(returning: .failed(.other("libcurl unavailable"))) }
        for waiter in waiters { waiter.resume() }
    }
}
