import CSystem
import Foundation
import Synchronization

/// Readiness of a watched file descriptor.
public struct SocketEvents: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Data (or an end of stream) can be read.
    public static let readable = SocketEvents(rawValue: EPOLLIN.rawValue)
    /// Data can be written; a non-blocking connect finished.
    public static let writable = SocketEvents(rawValue: EPOLLOUT.rawValue)
    /// The peer closed its side or the connection is gone.
    public static let hangup = SocketEvents(rawValue: EPOLLHUP.rawValue | EPOLLRDHUP.rawValue)
    /// An error is pending on the socket (read it with `SO_ERROR`).
    public static let error = SocketEvents(rawValue: EPOLLERR.rawValue)
}

/// One thread, `knocker-probe`, that drives non-blocking sockets with epoll and timers: the engine of the TCP, DNS
/// and ICMP checks. Thousands of checks in flight cost this one thread.
///
/// A check is an *operation* started with ``run(_:cancelled:)``: its `start` closure runs on the loop thread, opens
/// sockets, registers them with ``watch(_:for:_:)`` and timers with ``schedule(after:_:)``, and finishes by calling
/// its ``Completion``. Everything an operation registers runs on the loop thread too, so operations need no locks.
/// The loop-thread methods must not be called from anywhere else.
public final class SocketLoop: Sendable {
    /// How an operation hands back its result; loop-thread only.
    final class Completion<Result: Sendable> {
        fileprivate var deliver: ((Result) -> Void)?
        /// Set by the operation: releases its sockets and timers when the caller gives up first.
        var onCancel: (() -> Void)?

        fileprivate init(deliver: @escaping (Result) -> Void) { self.deliver = deliver }

        /// True once a result was delivered (or the operation was cancelled).
        var isFinished: Bool { deliver == nil }

        /// Delivers `result` to the caller; later calls are ignored.
        func callAsFunction(_ result: Result) {
            guard let deliver else { return }
            self.deliver = nil
            onCancel = nil
            deliver(result)
        }

        /// Cancels: runs `onCancel`, then delivers `result`.
        fileprivate func cancel(with result: Result) {
            guard deliver != nil else { return }
            let cleanup = onCancel
            onCancel = nil
            cleanup?()
            self(result)
        }
    }

    /// A scheduled callback; loop-thread only.
    final class Timer {
        fileprivate var body: (() -> Void)?
        fileprivate let deadline: ContinuousClock.Instant
        fileprivate let sequence: Int

        fileprivate init(deadline: ContinuousClock.Instant, sequence: Int, body: @escaping () -> Void) {
            self.deadline = deadline
            self.sequence = sequence
            self.body = body
        }

        /// Stops the callback from running (no effect once it ran).
        func cancel() { body = nil }
    }

    private enum Request {
        case job(@Sendable () -> Void)
        case cancel(Int)
    }

    private struct Shared {
        var requests: [Request] = []
        var nextOperationID = 0
        var started = false
        var stopping = false
        var exited = false
        var wakeFD: Int32 = -1
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// State only the loop thread touches.
    private final class LoopState: @unchecked Sendable {
        var handlers: [Int32: (SocketEvents) -> Void] = [:]
        var operations: [Int: (String) -> Void] = [:]
        var timers = TimerHeap()
        var timerSequence = 0
        var epollFD: Int32 = -1
    }

    private let shared = Mutex(Shared())
    private let loopState = LoopState()
    private let name: String

    /// A loop whose thread, named `name`, starts with the first operation.
    public init(name: String = "knocker-probe") {
        self.name = name
    }

    /// Runs an operation and returns its result.
    ///
    /// `start` runs on the loop thread with the operation's ``Completion``. If the calling task is cancelled, or
    /// the loop shuts down, before the operation completes, its `onCancel` runs on the loop thread and the caller
    /// gets `cancelled("check cancelled")` or `cancelled("shutting down")`.
    func run<Result: Sendable>(
        _ start: @escaping (Completion<Result>) -> Void,
        cancelled: @escaping @Sendable (String) -> Result
    ) async -> Result {
        let id = shared.withLock { shared -> Int in
            shared.nextOperationID += 1
            return shared.nextOperationID
        }
        // The start closure is only ever called on the loop thread.
        nonisolated(unsafe) let start = start
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result, Never>) in
                let job: @Sendable () -> Void = { [loopState] in
                    let completion = Completion<Result> { result in
                        loopState.operations[id] = nil
                        continuation.resume(returning: result)
                    }
                    loopState.operations[id] = { reason in completion.cancel(with: cancelled(reason)) }
                    start(completion)
                }
                let refusal = shared.withLock { shared -> String? in
                    if shared.stopping { return "shutting down" }
                    if Task.isCancelled { return "check cancelled" }
                    shared.requests.append(.job(job))
                    startThreadIfNeeded(&shared)
                    return nil
                }
                if let refusal { continuation.resume(returning: cancelled(refusal)) }
            }
        } onCancel: {
            shared.withLock { shared in
                guard !shared.stopping else { return }
                shared.requests.append(.cancel(id))
                Self.wake(shared.wakeFD)
            }
        }
    }

    /// Stops: operations in flight end as cancelled "shutting down", and the thread exits before this returns.
    /// Later operations are refused the same way at once.
    public func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = shared.withLock { shared -> Bool in
                shared.stopping = true
                guard shared.started, !shared.exited else { return true }
                shared.exitWaiters.append(continuation)
                Self.wake(shared.wakeFD)
                return false
            }
            if done { continuation.resume() }
        }
    }

    // MARK: Loop-thread API

    /// Watches `fd` for `events` (level-triggered), replacing an earlier registration of the same fd.
    /// Returns false when the kernel refuses (the fd is not pollable or is closed).
    @discardableResult
    func watch(_ fd: Int32, for events: SocketEvents, _ handler: @escaping (SocketEvents) -> Void) -> Bool {
        let operation = loopState.handlers[fd] == nil ? EPOLL_CTL_ADD : EPOLL_CTL_MOD
        let mask = events.rawValue | EPOLLRDHUP.rawValue
        guard knocker_epoll_control(loopState.epollFD, operation, fd, mask) == 0 else { return false }
        loopState.handlers[fd] = handler
        return true
    }

    /// Stops watching `fd`. Call it before closing the fd.
    func unwatch(_ fd: Int32) {
        guard loopState.handlers.removeValue(forKey: fd) != nil else { return }
        _ = knocker_epoll_control(loopState.epollFD, EPOLL_CTL_DEL, fd, 0)
    }

    /// Runs `body` on the loop thread after `delay`.
    func schedule(after delay: Duration, _ body: @escaping () -> Void) -> Timer {
        loopState.timerSequence += 1
        let timer = Timer(deadline: .now + delay, sequence: loopState.timerSequence, body: body)
        loopState.timers.insert(timer)
        return timer
    }

    /// The loop's clock.
    var now: ContinuousClock.Instant { .now }

    // MARK: The thread

    private func startThreadIfNeeded(_ shared: inout Shared) {
        if shared.started {
            Self.wake(shared.wakeFD)
            return
        }
        shared.started = true
        shared.wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        let thread = Thread { [self] in runLoop() }
        thread.name = name
        thread.start()
    }

    private static func wake(_ fd: Int32) {
        guard fd >= 0 else { return }
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { Glibc.write(fd, $0.baseAddress, 8) }
    }

    private func runLoop() {
        ThreadName.setCurrent(name)
        let wakeFD = shared.withLock { $0.wakeFD }
        loopState.epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        let ready = loopState.epollFD >= 0 && wakeFD >= 0
        if ready { _ = knocker_epoll_control(loopState.epollFD, EPOLL_CTL_ADD, wakeFD, EPOLLIN.rawValue) }
        var fds = [Int32](repeating: 0, count: 256)
        var events = [UInt32](repeating: 0, count: 256)
        while ready {
            let (requests, stopping) = shared.withLock { shared in
                defer { shared.requests = [] }
                return (shared.requests, shared.stopping)
            }
            for request in requests {
                switch request {
                case .job(let job): job()
                case .cancel(let id): loopState.operations[id]?("check cancelled")
                }
            }
            if stopping { break }
            runDueTimers()
            let count = knocker_epoll_wait(loopState.epollFD, &fds, &events, 256, timeoutMs())
            for index in 0..<max(0, Int(count)) {
                let fd = fds[index]
                if fd == wakeFD {
                    var value: UInt64 = 0
                    _ = withUnsafeMutableBytes(of: &value) { Glibc.read(fd, $0.baseAddress, 8) }
                } else {
                    loopState.handlers[fd]?(SocketEvents(rawValue: events[index]))
                }
            }
        }
        finishThread(wakeFD: wakeFD)
    }

    private func finishThread(wakeFD: Int32) {
        let waiters = shared.withLock { shared in
            shared.stopping = true
            shared.exited = true
            defer { shared.exitWaiters = [] }
            return shared.exitWaiters
        }
        // Jobs that arrived before `stopping` was seen start and are cancelled at once, like the ones in flight.
        let leftover = shared.withLock { shared in
            defer { shared.requests = [] }
            return shared.requests
        }
        for case .job(let job) in leftover { job() }
        for cancel in Array(loopState.operations.values) { cancel("shutting down") }
        for fd in Array(loopState.handlers.keys) { unwatch(fd) }
        loopState.timers = TimerHeap()
        if loopState.epollFD >= 0 { Glibc.close(loopState.epollFD) }
        if wakeFD >= 0 { Glibc.close(wakeFD) }
        for waiter in waiters { waiter.resume() }
    }

    private func runDueTimers() {
        let now = ContinuousClock.now
        while let first = loopState.timers.first, first.deadline <= now {
            loopState.timers.removeFirst()
            if let body = first.body {
                first.body = nil
                body()
            }
        }
    }

    /// Milliseconds until the next live timer (rounded up), or -1 to wait for I/O only.
    private func timeoutMs() -> Int32 {
        while let first = loopState.timers.first, first.body == nil { loopState.timers.removeFirst() }
        guard let first = loopState.timers.first else { return -1 }
        let left = ContinuousClock.now.duration(to: first.deadline)
        if left <= .zero { return 0 }
        let components = left.components
        let ms = components.seconds * 1000 + (components.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: ms)
    }

    /// A binary min-heap of timers by deadline, then insertion order.
    fileprivate struct TimerHeap {
        private var items: [Timer] = []

        var first: Timer? { items.first }

        mutating func insert(_ timer: Timer) {
            items.append(timer)
            var child = items.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.before(items[child], items[parent]) else { break }
                items.swapAt(child, parent)
                child = parent
            }
        }

        mutating func removeFirst() {
            guard !items.isEmpty else { return }
            items.swapAt(0, items.count - 1)
            items.removeLast()
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < items.count, Self.before(items[left], items[smallest]) { smallest = left }
                if right < items.count, Self.before(items[right], items[smallest]) { smallest = right }
                if smallest == parent { return }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }

        private static func before(_ a: Timer, _ b: Timer) -> Bool {
            a.deadline < b.deadline || a.deadline == b.deadline && a.sequence < b.sequence
        }
    }
}
