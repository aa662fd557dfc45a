import Foundation
import Synchronization

/// A snapshot of what a ``Scheduler`` has done: counters since it started and the schedule lag (how late a monitor
/// was claimed: claim time − next_check) over a sliding window.
public struct SchedulerMetrics: Sendable, Equatable {
    /// Monitors claimed (locked and advanced) since start.
    public var claimed: Int = 0
    /// Tasks written to a queue since start.
    public var enqueued: Int = 0
    /// Tasks whose ID already existed (a re-claim of a due time already enqueued), counted as done.
    public var alreadyEnqueued: Int = 0
    /// Tasks Redis refused for another reason (logged; the monitor is still advanced).
    public var rejected: Int = 0
    /// Claimed monitors that have no region, so nothing was enqueued for them.
    public var withoutRegions: Int = 0
    /// Ticks whose claim failed (Postgres or Redis errors); their monitors stay due and are claimed again.
    public var failedTicks: Int = 0
    /// Lag samples in the window.
    public var lagSamples: Int = 0
    /// Median lag in the window.
    public var lagP50: Duration = .zero
    /// 99th-percentile lag in the window.
    public var lagP99: Duration = .zero
    /// Largest lag in the window.
    public var lagMax: Duration = .zero
    /// When the last tick finished.
    public var lastTick: Date?

    /// Empty metrics.
    public init() {}
}

/// Collects a scheduler's counters and lag samples; thread-safe.
final class SchedulerMetricsRecorder: Sendable {
    private struct State {
        var metrics = SchedulerMetrics()
        /// (claim time, lag in seconds), oldest first.
        var samples: [(time: Date, lag: Double)] = []
        var start = 0
    }

    private let state = Mutex(State())
    private let window: TimeInterval
    private let maxSamples: Int

    init(window: Duration, maxSamples: Int = 200_000) {
        self.window = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
        self.maxSamples = max(1, maxSamples)
    }

    func record(_ update: (inout SchedulerMetrics) -> Void) {
        state.withLock { update(&$0.metrics) }
    }

    func recordLags(_ lags: [Double], at time: Date) {
        state.withLock { state in
            for lag in lags { state.samples.append((time, max(0, lag))) }
            Self.prune(&state, now: time, window: window, maxSamples: maxSamples)
        }
    }

    /// The counters and the lag percentiles of the samples within the window ending at `now`.
    func snapshot(now: Date) -> SchedulerMetrics {
        let (metrics, lags) = state.withLock { state -> (SchedulerMetrics, [Double]) in
            Self.prune(&state, now: now, window: window, maxSamples: maxSamples)
            return (state.metrics, state.samples[state.start...].map(\.lag))
        }
        var result = metrics
        let sorted = lags.sorted()
        result.lagSamples = sorted.count
        result.lagP50 = Self.duration(Self.percentile(sorted, 0.50))
        result.lagP99 = Self.duration(Self.percentile(sorted, 0.99))
        result.lagMax = Self.duration(sorted.last ?? 0)
        return result
    }

    /// Nearest-rank percentile of sorted values; 0 when empty.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }

    private static func duration(_ seconds: Double) -> Duration {
        .milliseconds(Int64((seconds * 1000).rounded()))
    }

    private static func prune(_ state: inout State, now: Date, window: TimeInterval, maxSamples: Int) {
        let cutoff = now.addingTimeInterval(-window)
        while state.start < state.samples.count, state.samples[state.start].time < cutoff {
            state.start += 1
        }
        if state.samples.count - state.start > maxSamples {
            state.start = state.samples.count - maxSamples
        }
        if state.start > 4096 && state.start * 2 > state.samples.count {
            state.samples.removeFirst(state.start)
            state.start = 0
        }
    }
}
