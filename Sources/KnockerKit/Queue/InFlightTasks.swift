import Foundation
import Synchronization

/// The tasks a server is running, with their local leases. The heartbeat extends leases in Redis and here; a
/// task whose local lease ran out (Redis unreachable for 30 s) is cancelled and its result is not written, since
/// another worker may already have taken it back.
final class InFlightTasks: Sendable {
    struct Entry: Sendable {
        var message: TaskMessage
        var started: Date
        var deadline: Date
        var leaseExpiry: Date
        var cancel: (@Sendable (CancelReason) -> Void)?
        var cancelReason: CancelReason?
    }

    /// Why a running task was cancelled.
    enum CancelReason: Sendable, Equatable {
        /// Shutdown's grace period ended: put the task back in its queue.
        case shutdown
        /// The local lease expired: write nothing, the recoverer takes it back.
        case leaseLost
        /// Someone published its ID on `asynq:cancel`: a failure, retried.
        case requested
    }

    private let entries = Mutex<[String: Entry]>([:])

    var count: Int { entries.withLock { $0.count } }

    func add(_ message: TaskMessage, started: Date, deadline: Date, leaseExpiry: Date) {
        entries.withLock {
            $0[message.id] = Entry(
                message: message,
                started: started,
                deadline: deadline,
                leaseExpiry: leaseExpiry,
                cancel: nil
            )
        }
    }

    /// Sets how to cancel the task; if it was cancelled before this, cancels it now.
    func setCancel(_ id: String, _ cancel: @escaping @Sendable (CancelReason) -> Void) {
        let pending = entries.withLock { entries -> CancelReason? in
            entries[id]?.cancel = cancel
            return entries[id]?.cancelReason
        }
        if let pending { cancel(pending) }
    }

    func remove(_ id: String) {
        entries.withLock { _ = $0.removeValue(forKey: id) }
    }

    func entry(_ id: String) -> Entry? { entries.withLock { $0[id] } }

    func snapshot() -> [Entry] { entries.withLock { Array($0.values) } }

    /// Cancels one task (first reason wins).
    func cancel(_ id: String, reason: CancelReason) {
        let cancel = entries.withLock { entries -> (@Sendable (CancelReason) -> Void)? in
            guard entries[id] != nil, entries[id]?.cancelReason == nil else { return nil }
            entries[id]?.cancelReason = reason
            return entries[id]?.cancel
        }
        cancel?(reason)
    }

    /// Cancels every task.
    func cancelAll(reason: CancelReason) {
        for id in entries.withLock({ Array($0.keys) }) { cancel(id, reason: reason) }
    }

    /// Records that Redis now holds `ids`' leases until `expiry`.
    func extendLeases(_ ids: [String], to expiry: Date) {
        entries.withLock { entries in
            for id in ids where entries[id] != nil { entries[id]?.leaseExpiry = expiry }
        }
    }

    /// IDs whose local lease has run out at `now`.
    func expiredLeases(now: Date) -> [String] {
        entries.withLock { $0.filter { $0.value.leaseExpiry <= now }.map(\.key) }
    }
}
