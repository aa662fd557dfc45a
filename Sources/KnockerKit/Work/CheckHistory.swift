/// The latest results of one monitor in one region, newest first, as bits: bit i is set when the i-th most recent
/// check failed. At most 63 results are kept (the `monitor_region_states.history` column is a signed bigint).
public struct CheckHistory: Sendable, Equatable {
    /// Results kept at most.
    public static let capacity = 63

    /// Failure bits, newest in bit 0.
    public private(set) var bits: UInt64
    /// How many results the bits hold (0…63).
    public private(set) var samples: Int

    /// A history from stored bits; extra bits beyond `samples` are cleared.
    public init(bits: UInt64 = 0, samples: Int = 0) {
        let count = min(max(samples, 0), Self.capacity)
        self.samples = count
        self.bits = count == 0 ? 0 : bits & ((1 << UInt64(count)) - 1)
    }

    /// Adds the newest result.
    public mutating func record(failed: Bool) {
        bits = ((bits << 1) | (failed ? 1 : 0)) & ((1 << UInt64(Self.capacity)) - 1)
        samples = min(samples + 1, Self.capacity)
    }

    /// Failures among the latest `count` results (fewer when fewer are known).
    public func failures(inLatest count: Int) -> Int {
        let n = min(max(count, 0), samples)
        guard n > 0 else { return 0 }
        return (bits & ((1 << UInt64(n)) - 1)).nonzeroBitCount
    }

    /// True when at least `count` results are known and the latest `count` all succeeded.
    public func latestSucceeded(_ count: Int) -> Bool {
        let n = min(max(count, 1), Self.capacity)
        return samples >= n && failures(inLatest: n) == 0
    }
}
