import Foundation
import Testing

@testable import KnockerKit

extension MetricsTests {
    @Suite("Prometheus text format")
    struct PrometheusTextFormat {
        @Test func countersAndGaugesWithHelpAndType() {
            let text = PrometheusText.format([
                .counter("knocker_things_total", "Things done.", 42),
                .gauge("knocker_level", "A level.", 0.25),
            ])
            #expect(
                text == """
                    # HELP knocker_things_total Things done.
                    # TYPE knocker_things_total counter
                    knocker_things_total 42
                    # HELP knocker_level A level.
                    # TYPE knocker_level gauge
                    knocker_level 0.25

                    """
            )
        }

        @Test func labelsAreWrittenInOrderAndEscaped() {
            let family = MetricFamily(
                name: "knocker_lag_seconds",
                help: "Lag.",
                kind: .gauge,
                samples: [
                    MetricSample(1.5, labels: [MetricLabel("quantile", "0.5"), MetricLabel("region", "eu")]),
                    MetricSample(2, labels: [MetricLabel("region", "a\"b\\c\nd")]),
                ]
            )
            let lines = PrometheusText.format([family]).split(separator: "\n")
            #expect(lines[2] == #"knocker_lag_seconds{quantile="0.5",region="eu"} 1.5"#)
            #expect(lines[3] == #"knocker_lag_seconds{region="a\"b\\c\nd"} 2"#)
        }

        @Test func helpEscapesBackslashAndNewlineButNotQuotes() {
            #expect(PrometheusText.escapeHelp("a \\ b\n\"c\"") == #"a \\ b\n"c""#)
        }

        @Test func valuesUsePrometheusSpelling() {
            #expect(PrometheusText.formatValue(0) == "0")
            #expect(PrometheusText.formatValue(-0.0) == "0")
            #expect(PrometheusText.formatValue(1_234_567) == "1234567")
            #expect(PrometheusText.formatValue(0.001) == "0.001")
            #expect(PrometheusText.formatValue(.nan) == "NaN")
            #expect(PrometheusText.formatValue(.infinity) == "+Inf")
            #expect(PrometheusText.formatValue(-.infinity) == "-Inf")
            #expect(Double(PrometheusText.formatValue(1e20)) == 1e20)
        }

        @Test func invalidNameCharactersBecomeUnderscores() {
            #expect(PrometheusText.sanitized("knocker.lag-ms", allowColon: true) == "knocker_lag_ms")
            #expect(PrometheusText.sanitized("a:b", allowColon: true) == "a:b")
            #expect(PrometheusText.sanitized("a:b", allowColon: false) == "a_b")
            #expect(PrometheusText.sanitized("9lives", allowColon: false) == "_9lives")
            #expect(PrometheusText.sanitized("", allowColon: false) == "_")
            #expect(PrometheusText.sanitized("größe", allowColon: false) == "gr__e")
        }

        @Test func sameNamedFamiliesAreMergedUnderOneHeader() {
            let text = PrometheusText.format([
                MetricFamily(
                    name: "m",
                    help: "first",
                    kind: .gauge,
                    samples: [MetricSample(1, labels: [.init("r", "a")])]
                ),
                .counter("other_total", "other", 3),
                MetricFamily(
                    name: "m",
                    help: "second",
                    kind: .counter,
                    samples: [MetricSample(2, labels: [.init("r", "b")])]
                ),
            ])
            #expect(
                text == """
                    # HELP m first
                    # TYPE m gauge
                    m{r="a"} 1
                    m{r="b"} 2
                    # HELP other_total other
                    # TYPE other_total counter
                    other_total 3

                    """
            )
        }

        @Test func familyWithoutSamplesWritesOnlyItsHeader() {
            let text = PrometheusText.format([MetricFamily(name: "m", help: "h", kind: .gauge, samples: [])])
            #expect(text == "# HELP m h\n# TYPE m gauge\n")
        }

        @Test func schedulerMetricsBecomeTheDocumentedFamilies() {
            var metrics = SchedulerMetrics()
            metrics.claimed = 7
            metrics.enqueued = 6
            metrics.alreadyEnqueued = 1
            metrics.failedTicks = 2
            metrics.lagP50 = .milliseconds(250)
            metrics.lagP99 = .milliseconds(1500)
            metrics.lagMax = .seconds(2)
            metrics.lagSamples = 9
            metrics.lastTick = Date(timeIntervalSince1970: 1_700_000_000)
            let lines = Set(PrometheusText.format(metrics.metricFamilies()).split(separator: "\n").map(String.init))
            for expected in [
                "knocker_scheduler_claimed_total 7", "knocker_scheduler_enqueued_total 6",
                "knocker_scheduler_already_enqueued_total 1", "knocker_scheduler_rejected_total 0",
                "knocker_scheduler_failed_ticks_total 2", #"knocker_scheduler_lag_seconds{quantile="0.5"} 0.25"#,
                #"knocker_scheduler_lag_seconds{quantile="0.99"} 1.5"#, "knocker_scheduler_lag_max_seconds 2",
                "knocker_scheduler_lag_samples 9", "knocker_scheduler_last_tick_timestamp_seconds 1700000000",
                "# TYPE knocker_scheduler_claimed_total counter", "# TYPE knocker_scheduler_lag_seconds gauge",
            ] {
                #expect(lines.contains(expected), "missing \(expected)")
            }
        }

        @Test func workerMetricsAreEmptyUntilTheWorkerRuns() {
            #expect(WorkerMetrics().metricFamilies().isEmpty)
            #expect(WorkerMetrics().snapshot == nil)
        }
    }
}
