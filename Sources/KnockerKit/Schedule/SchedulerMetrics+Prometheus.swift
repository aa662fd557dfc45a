import Foundation

extension SchedulerMetrics {
    /// The metrics as Prometheus families: `knocker_scheduler_*_total` counters, the lag over the window as
    /// `knocker_scheduler_lag_seconds{quantile="0.5"|"0.99"}` and `knocker_scheduler_lag_max_seconds`, the window's
    /// sample count and the time of the last tick.
    public func metricFamilies() -> [MetricFamily] {
        var families: [MetricFamily] = [
            .counter("knocker_scheduler_claimed_total", "Monitors claimed (locked and advanced).", Double(claimed)),
            .counter("knocker_scheduler_enqueued_total", "Ping tasks written to a queue.", Double(enqueued)),
            .counter(
                "knocker_scheduler_already_enqueued_total",
                "Ping tasks whose ID already existed (a due time enqueued before).",
                Double(alreadyEnqueued)
            ),
            .counter(
                "knocker_scheduler_rejected_total",
                "Ping tasks Redis refused for another reason.",
                Double(rejected)
            ),
            .counter(
                "knocker_scheduler_without_regions_total",
                "Claimed monitors without a region (nothing enqueued).",
                Double(withoutRegions)
            ),
            .counter(
                "knocker_scheduler_failed_ticks_total",
                "Ticks whose claim failed (their monitors stay due).",
                Double(failedTicks)
            ),
            MetricFamily(
                name: "knocker_scheduler_lag_seconds",
                help: "Schedule lag (claim time minus next_check) over the recent window, by quantile.",
                kind: .gauge,
                samples: [
                    MetricSample(Self.seconds(lagP50), labels: [MetricLabel("quantile", "0.5")]),
                    MetricSample(Self.seconds(lagP99), labels: [MetricLabel("quantile", "0.99")]),
                ]
            ),
            .gauge(
                "knocker_scheduler_lag_max_seconds",
                "Largest schedule lag over the recent window.",
                Self.seconds(lagMax)
            ),
            .gauge("knocker_scheduler_lag_samples", "Claims in the lag window.", Double(lagSamples)),
        ]
        families.append(
            MetricFamily(
                name: "knocker_scheduler_last_tick_timestamp_seconds",
                help: "Unix time when the last tick finished.",
                kind: .gauge,
                samples: lastTick.map { [MetricSample($0.timeIntervalSince1970)] } ?? []
            )
        )
        return families
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
