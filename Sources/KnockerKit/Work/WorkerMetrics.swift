import Foundation
import Synchronization

/// A window on a running ``Worker``'s numbers: the worker fills it in when ``Worker/run(until:)`` has built its
/// ping recorder and queue server; readers get a snapshot (nil before that).
public final class WorkerMetrics: Sendable {
    /// The worker's numbers at one moment.
    public struct Snapshot: Sendable, Equatable {
        /// The region the worker checks from.
        public var region: String
        /// The ping recorder's counters and buffer.
        public var recorder: PingRecorder.Statistics
        /// Tasks (checks and notifications) running now.
        public var runningTasks: Int
    }

    private struct Parts {
        var region: String
        var recorder: PingRecorder
        var server: QueueServer
    }

    private let parts = Mutex<Parts?>(nil)

    /// An empty window, to pass to ``Worker/init(region:config:postgres:redis:ids:logger:metrics:extraHandlers:)``.
    public init() {}

    func attach(region: String, recorder: PingRecorder, server: QueueServer) {
        parts.withLock { $0 = Parts(region: region, recorder: recorder, server: server) }
    }

    /// The current numbers; nil until the worker runs.
    public var snapshot: Snapshot? {
        guard let parts = parts.withLock({ $0 }) else { return nil }
        return Snapshot(
            region: parts.region,
            recorder: parts.recorder.statistics,
            runningTasks: parts.server.runningTasks
        )
    }

    /// The numbers as Prometheus families labelled with the region (none until the worker runs).
    public func metricFamilies() -> [MetricFamily] {
        guard let snapshot else { return [] }
        let labels = [MetricLabel("region", snapshot.region)]
        func family(_ name: String, _ help: String, _ kind: MetricFamily.Kind, _ value: Int) -> MetricFamily {
            MetricFamily(name: name, help: help, kind: kind, samples: [MetricSample(Double(value), labels: labels)])
        }
        return [
            family(
                "knocker_worker_pings_recorded_total",
                "Pings recorded by checks.",
                .counter,
                snapshot.recorder.recorded
            ),
            family(
                "knocker_worker_pings_written_total",
                "Pings written to Postgres.",
                .counter,
                snapshot.recorder.written
            ),
            family(
                "knocker_worker_ping_write_failures_total",
                "Failed ping batch writes (retried).",
                .counter,
                snapshot.recorder.failedWrites
            ),
            family(
                "knocker_worker_pings_withdrawn_total",
                "Pings dropped because their task was cancelled before a write carried them (the task is requeued).",
                .counter,
                snapshot.recorder.withdrawn
            ),
            family(
                "knocker_worker_pings_buffered",
                "Pings held in memory waiting to be written.",
                .gauge,
                snapshot.recorder.buffered
            ),
            family(
                "knocker_worker_running_tasks",
                "Tasks held now: checks (waiting for a slot, running, or waiting for their ping's write) and notifications.",
                .gauge,
                snapshot.runningTasks
            ),
        ]
    }
}
