import Foundation
import Synchronization

/// One writer of a ``PingRecorder``: a FIFO buffer of the pings of its share of the monitors, written in batches by
/// ``run()`` one at a time (so a monitor's pings reach the incident engine in order). A ping recorded with
/// ``recordAndWait(_:)`` reports when its batch committed, or that it was taken back out (its task was cancelled
/// before the write that would carry it).
final class PingRecorderLane: Sendable {
    /// What the lane keeps of a ping besides the ping itself (kept apart: batches copy only the pings).
    private struct Ticket {
        var sequence: UInt64
        var waiter: CheckedContinuation<PingRecorder.Outcome, Never>?
        /// Cancelled while its batch was being written: withdrawn if that write fails.
        var withdrawRequested = false
    }

    private struct State {
        /// Oldest first; `buffer[..<writing]` is the batch being written. `tickets[i]` belongs to `buffer[i]`.
        var buffer: [RecordedPing] = []
        var tickets: [Ticket] = []
        var writing = 0
        var nextSequence: UInt64 = 0
        /// Withdrawn before their waiter was registered.
        var withdrawnEarly: Set<UInt64> = []
        /// Waiting for room in the buffer; resumed with false when their task is cancelled.
        var spaceWaiters: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
        var nextWaiterID: UInt64 = 0
        var wake: CheckedContinuation<Void, Never>?
        var wakeRequested = false
        var draining = false
        var stopping = false
        var statistics = PingRecorder.Statistics()
    }

    private let settings: PingRecorder.Settings
    private let bufferLimit: Int
    private let writer: PingRecorder.Writer
    private let logger: Logger
    private let state = Mutex(State())

    init(settings: PingRecorder.Settings, bufferLimit: Int, logger: Logger, writer: @escaping PingRecorder.Writer) {
        self.settings = settings
        self.bufferLimit = max(settings.batchSize, bufferLimit)
        self.writer = writer
        self.logger = logger
    }

    /// Adds a ping (waiting while the buffer is full) and returns its sequence number; nil when `cancellable` and the
    /// task was cancelled while it waited (the ping was not added).
    @discardableResult
    func record(_ ping: RecordedPing, cancellable: Bool = false) async -> UInt64? {
        while true {
            if cancellable && Task.isCancelled { return nil }
            let sequence = state.withLock { state -> UInt64? in
                guard state.buffer.count < bufferLimit else { return nil }
                let sequence = state.nextSequence
                state.nextSequence += 1
                state.buffer.append(ping)
                state.tickets.append(Ticket(sequence: sequence))
                state.statistics.recorded += 1
                if state.buffer.count == 1 || state.buffer.count - state.writing == settings.batchSize {
                    Self.wakeWriter(&state)
                }
                return sequence
            }
            if let sequence { return sequence }
            let id = state.withLock { state -> UInt64 in
                state.nextWaiterID += 1
                return state.nextWaiterID
            }
            let room = await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                    let immediate = state.withLock { state -> Bool? in
                        if cancellable && Task.isCancelled { return false }
                        guard state.buffer.count >= bufferLimit else { return true }
                        state.spaceWaiters.append((id, continuation))
                        return nil
                    }
                    if let immediate { continuation.resume(returning: immediate) }
                }
            } onCancel: {
                guard cancellable else { return }
                let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                    guard let index = state.spaceWaiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return state.spaceWaiters.remove(at: index).continuation
                }
                waiter?.resume(returning: false)
            }
            if !room { return nil }
        }
    }

    /// Adds a ping and waits until the batch carrying it has committed (`.written`), or until the calling task is
    /// cancelled and the ping could be taken back out (`.withdrawn`: it will not be written). Cancelled while its
    /// batch is being written, it waits for that write: committed means `.written`.
    func recordAndWait(_ ping: RecordedPing) async -> PingRecorder.Outcome {
        // Cancelled while waiting for room: never recorded (so not counted as withdrawn either).
        guard let sequence = await record(ping, cancellable: true) else { return .withdrawn }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<PingRecorder.Outcome, Never>) in
                let immediate = state.withLock { state -> PingRecorder.Outcome? in
                    if state.withdrawnEarly.remove(sequence) != nil { return .withdrawn }
                    guard let index = Self.index(of: sequence, in: state.tickets) else { return .written }
                    state.tickets[index].waiter = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            withdraw(sequence)
        }
    }

    /// Takes the ping out unless its batch is being written (then the write's outcome decides).
    private func withdraw(_ sequence: UInt64) {
        let resumed = state.withLock {
            state -> (CheckedContinuation<PingRecorder.Outcome, Never>?, [CheckedContinuation<Bool, Never>]) in
            guard let index = Self.index(of: sequence, in: state.tickets) else { return (nil, []) }
            if index < state.writing {
                state.tickets[index].withdrawRequested = true
                return (nil, [])
            }
            state.buffer.remove(at: index)
            let entry = state.tickets.remove(at: index)
            state.statistics.withdrawn += 1
            if entry.waiter == nil { state.withdrawnEarly.insert(sequence) }
            return (entry.waiter, Self.takeSpaceWaiters(&state))
        }
        resumed.0?.resume(returning: .withdrawn)
        for waiter in resumed.1 { waiter.resume(returning: true) }
    }

    /// Binary search: sequences grow along the buffer.
    private static func index(of sequence: UInt64, in buffer: [Ticket]) -> Int? {
        var low = 0
        var high = buffer.count
        while low < high {
            let middle = (low + high) / 2
            if buffer[middle].sequence < sequence { low = middle + 1 } else { high = middle }
        }
        return low < buffer.count && buffer[low].sequence == sequence ? low : nil
    }

    /// Writes batches until ``stop()`` was called and every ping is written.
    func run() async {
        var delay = settings.retryDelay
        var failingSince: ContinuousClock.Instant?
        while true {
            let (count, hurry) = state.withLock { state in
                state.wakeRequested = false
                return (state.buffer.count, state.stopping || state.draining)
            }
            if count == 0 {
                if state.withLock({ $0.stopping && $0.buffer.isEmpty }) { return }
                // Woken by the first ping (or stop).
                await waitForWork()
                continue
            }
            if count < settings.batchSize && !hurry {
                // Not a full batch: write at the flush interval, or earlier when the batch fills, or on drain/stop.
                await waitForWork(timeout: settings.flushInterval)
            }
            let batch = state.withLock { state -> [RecordedPing] in
                state.writing = min(settings.batchSize, state.buffer.count)
                return Array(state.buffer[..<state.writing])
            }
            guard !batch.isEmpty else { continue }
            do {
                try await writer(batch)
                if let since = failingSince {
                    logger.info(
                        "ping writes recovered",
                        ("after", DurationText.format(since.duration(to: .now))),
                        ("buffered", "\(bufferedCount)")
                    )
                }
                failingSince = nil
                delay = settings.retryDelay
                let (written, waiters) = state.withLock {
                    state -> ([CheckedContinuation<PingRecorder.Outcome, Never>], [CheckedContinuation<Bool, Never>]) in
                    let written = state.tickets[..<state.writing].compactMap(\.waiter)
                    state.buffer.removeFirst(state.writing)
                    state.tickets.removeFirst(state.writing)
                    state.statistics.written += state.writing
                    state.writing = 0
                    return (written, Self.takeSpaceWaiters(&state))
                }
                for waiter in written { waiter.resume(returning: .written) }
                for waiter in waiters { waiter.resume(returning: true) }
            } catch {
                let (withdrawn, roomMade) = state.withLock {
                    state -> ([CheckedContinuation<PingRecorder.Outcome, Never>], [CheckedContinuation<Bool, Never>]) in
                    state.statistics.failedWrites += 1
                    var withdrawn: [CheckedContinuation<PingRecorder.Outcome, Never>] = []
                    var keptPings: [RecordedPing] = []
                    var kept: [Ticket] = []
                    kept.reserveCapacity(state.writing)
                    for (ping, entry) in zip(state.buffer[..<state.writing], state.tickets[..<state.writing]) {
                        guard entry.withdrawRequested else {
                            keptPings.append(ping)
                            kept.append(entry)
                            continue
                        }
                        state.statistics.withdrawn += 1
                        if let waiter = entry.waiter {
                            withdrawn.append(waiter)
                        } else {
                            state.withdrawnEarly.insert(entry.sequence)
                        }
                    }
                    let removed = state.writing - kept.count
                    state.buffer.replaceSubrange(..<state.writing, with: keptPings)
                    state.tickets.replaceSubrange(..<state.writing, with: kept)
                    state.writing = 0
                    // Withdrawn pings made room: whoever waits for it may go on.
                    return (withdrawn, removed > 0 ? Self.takeSpaceWaiters(&state) : [])
                }
                for waiter in withdrawn { waiter.resume(returning: .withdrawn) }
                for waiter in roomMade { waiter.resume(returning: true) }
                if failingSince == nil {
                    failingSince = .now
                    logger.error(
                        "writing pings failed; keeping them and retrying",
                        ("error", "\(error)"),
                        ("buffered", "\(bufferedCount)")
                    )
                } else {
                    logger.debug("ping write retry failed", ("error", "\(error)"), ("buffered", "\(bufferedCount)"))
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, settings.maxRetryDelay)
            }
        }
    }

    /// From now on, write what is buffered without waiting for the flush interval.
    func drain() {
        state.withLock { state in
            state.draining = true
            Self.wakeWriter(&state)
        }
    }

    /// Asks ``run()`` to write what is buffered and return once the buffer is empty. Call it only when nothing
    /// records any more: a ping recorded after ``run()`` returned is never written.
    func stop() {
        state.withLock { state in
            state.stopping = true
            Self.wakeWriter(&state)
        }
    }

    var statistics: PingRecorder.Statistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.buffered = state.buffer.count
            return statistics
        }
    }

    private var bufferedCount: Int { state.withLock { $0.buffer.count } }

    private static func takeSpaceWaiters(_ state: inout State) -> [CheckedContinuation<Bool, Never>] {
        defer { state.spaceWaiters = [] }
        return state.spaceWaiters.map(\.continuation)
    }

    private static func wakeWriter(_ state: inout State) {
        if let wake = state.wake {
            state.wake = nil
            wake.resume()
        } else {
            state.wakeRequested = true
        }
    }

    /// Waits until woken (a full batch, drain, stop) or `timeout` passes.
    private func waitForWork(timeout: Duration? = nil) async {
        let timer: Task<Void, Never>? = timeout.map { timeout in
            Task { [self] in
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                state.withLock { Self.wakeWriter(&$0) }
            }
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.wakeRequested || state.stopping || (timeout != nil && state.draining) {
                    state.wakeRequested = false
                    return true
                }
                state.wake = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
        timer?.cancel()
        state.withLock { $0.wakeRequested = false }
    }
}
