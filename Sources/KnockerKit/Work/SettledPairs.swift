import Foundation
import Synchronization

/// The (monitor, region) pairs a worker last saw settled: region up, monitor up, no incident open, and a history
/// of successes as long as the incident rules look. Another success of such a pair changes nothing the rules can
/// see, so the flush skips the database for it. An entry is trusted for ``lifetime`` (default 5 minutes, so a
/// monitor checked every minute skips four checks in five), then checked again. What this pair's successes could
/// change is narrow: other regions' incidents open and resolve through their own checks, and a failing check of the
/// pair drops its entry at once; a lowered quorum or threshold takes effect at the next failure or within the
/// lifetime. Bounded: at most ``capacity`` entries.
public final class SettledPairs: Sendable {
    /// How long an entry is trusted.
    public let lifetime: Duration
    /// Most entries kept.
    public let capacity: Int
    private let now: @Sendable () -> ContinuousClock.Instant
    private let entries = Mutex<[MonitorRegion: ContinuousClock.Instant]>([:])

    /// A cache trusting entries for `lifetime`.
    public init(
        lifetime: Duration = .seconds(300),
        capacity: Int = 1_000_000,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
        self.now = now
    }

    /// The pairs among `pairs` with an entry younger than the lifetime.
    func fresh(_ pairs: [MonitorRegion]) -> Set<MonitorRegion> {
        Set(zip(pairs, freshFlags(pairs)).filter(\.1).map(\.0))
    }

    /// Whether every one of `pairs` has an entry younger than the lifetime (stops at the first that has not).
    func allFresh(_ pairs: some Sequence<MonitorRegion>) -> Bool {
        let limit = now() - lifetime
        return entries.withLock { entries in
            pairs.allSatisfy { (entries[$0] ?? limit) > limit }
        }
    }

    /// For each of `pairs`, whether it has an entry younger than the lifetime.
    func freshFlags(_ pairs: [MonitorRegion]) -> [Bool] {
        let limit = now() - lifetime
        return entries.withLock { entries in
            pairs.map { (entries[$0] ?? limit) > limit }
        }
    }

    /// Records `pairs` as settled now.
    func remember(_ pairs: [MonitorRegion]) {
        guard !pairs.isEmpty else { return }
        let stamp = now()
        let limit = stamp - lifetime
        entries.withLock { entries in
            if entries.count + pairs.count > capacity {
                entries = entries.filter { $0.value > limit }
                if entries.count + pairs.count > capacity { entries.removeAll(keepingCapacity: true) }
            }
            for pair in pairs { entries[pair] = stamp }
        }
    }

    /// Drops `pairs` (a check of theirs failed).
    func forget(_ pairs: [MonitorRegion]) {
        guard !pairs.isEmpty else { return }
        entries.withLock { entries in
            for pair in pairs { entries[pair] = nil }
        }
    }

    /// Entries kept now.
    public var count: Int { entries.withLock { $0.count } }
}
