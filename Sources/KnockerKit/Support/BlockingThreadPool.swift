import Dispatch
import Foundation
import Synchronization

/// A bounded set of threads the project owns, for C calls that block (libpq, hiredis, libcurl transfers). Threads
/// start when work needs them (a job queued with no idle thread), up to the bound, and then stay.
///
/// Work submitted with ``run(onCancel:_:)`` runs on one of these threads, never on Swift's cooperative pool, and
/// its result comes back to the awaiting task through a continuation. Cancelling the awaiting task calls the
/// job's `onCancel` hook from the cancelling thread (libpq's `PQcancel` is documented as safe there); a job that
/// has not started yet is dropped and fails with `CancellationError`.
public final class BlockingThreadPool: Sendable {
    /// The error a job gets when the pool is shut down before or while it is submitted.
    public struct ShutDown: Error, CustomStringConvertible {
        public let poolName: String
        public var description: String { "the \(poolName) thread pool is shut down" }
    }

    private final class Job: Sendable {
        let work: @Sendable () -> Void
        let drop: @Sendable (any Error) -> Void
        let state = Mutex<JobState>(.queued)
        init(work: @escaping @Sendable () -> Void, drop: @escaping @Sendable (any Error) -> Void) {
            self.work = work
            self.drop = drop
        }
    }

    private enum JobState { case queued, running, finished, dropped }

    private struct State {
        var queue: [Job] = []
        var head = 0
        var isShutDown = false
        /// Threads started and not yet ended.
        var threadsLeft = 0
        /// Threads waiting for a job.
        var idle = 0
        var queued: Int { queue.count - head }
        mutating func pop() -> Job? {
            guard head < queue.count else { return nil }
            let job = queue[head]
            head += 1
            if head > 64 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            return job
        }
    }

    public let name: String
    public let threadCount: Int
    private let state: Mutex<State>
    private let available = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// A pool of at most `threads` named threads (`name-1` … `name-N`), started as work needs them.
    public init(name: String, threads: Int) {
        self.name = name
        self.threadCount = max(1, threads)
        self.state = Mutex(State())
    }

    private func startThread(_ index: Int) {
        let threadName = "\(name)-\(index)"
        let thread = Thread { [self] in
            ThreadName.setCurrent(threadName)
            self.loop()
        }
        thread.name = threadName
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Threads started so far (and not ended by ``shutdown()``).
    public var startedThreads: Int { state.withLock { $0.threadsLeft } }

    /// The number of jobs waiting for a thread.
    public var queuedJobs: Int { state.withLock { $0.queued } }

    /// Runs `body` on a pool thread and returns its result.
    /// - Parameters:
    ///   - onCancel: called (from another thread) when the awaiting task is cancelled while `body` runs.
    ///   - body: the blocking work.
    /// - Throws: what `body` throws; `CancellationError` if cancelled before it started; ``ShutDown``.
    public func run<T: Sendable>(
        onCancel: @escaping @Sendable () -> Void = {},
        _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        let jobBox = Mutex<Job?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let job = Job(
                    work: { continuation.resume(with: Result(catching: body)) },
                    drop: { continuation.resume(throwing: $0) }
                )
                jobBox.withLock { $0 = job }
                // nil: refused (shut down); else the number of a thread to start for it, or 0.
                let accepted = state.withLock { state -> Int? in
                    guard !state.isShutDown else { return nil }
                    state.queue.append(job)
                    guard state.queued > state.idle, state.threadsLeft < threadCount else { return 0 }
                    state.threadsLeft += 1
                    return state.threadsLeft
                }
                guard let accepted else {
                    job.state.withLock { $0 = .dropped }
                    continuation.resume(throwing: ShutDown(poolName: name))
                    return
                }
                if accepted > 0 { startThread(accepted) }
                available.signal()
                if Task.isCancelled { Self.cancel(job, onCancel: onCancel) }
            }
        } onCancel: {
            if let job = jobBox.withLock({ $0 }) { Self.cancel(job, onCancel: onCancel) }
        }
    }

    private static func cancel(_ job: Job, onCancel: @Sendable () -> Void) {
        let action = job.state.withLock { state -> JobState in
            if state == .queued {
                state = .dropped
                return .dropped
            }
            return state
        }
        switch action {
        case .dropped: job.drop(CancellationError())
        case .running: onCancel()
        case .queued, .finished: break
        }
    }

    /// Refuses new work, lets queued and running jobs finish, and waits for every thread to exit.
    public func shutdown() {
        let count = state.withLock { state -> Int in
            guard !state.isShutDown else { return 0 }
            state.isShutDown = true
            return state.threadsLeft
        }
        for _ in 0..<count { available.signal() }
        for _ in 0..<count { finished.wait() }
    }

    private func loop() {
        while true {
            state.withLock { $0.idle += 1 }
            available.wait()
            let next = state.withLock { state -> (Job?, Bool) in
                state.idle -= 1
                if let job = state.pop() { return (job, false) }
                if state.isShutDown {
                    state.threadsLeft -= 1
                    return (nil, true)
                }
                return (nil, false)
            }
            if let job = next.0 {
                let start = job.state.withLock { state -> Bool in
                    guard state == .queued else { return false }
                    state = .running
                    return true
                }
                if start {
                    job.work()
                    job.state.withLock { $0 = .finished }
                }
                continue
            }
            if next.1 {
                finished.signal()
                return
            }
        }
    }
}
