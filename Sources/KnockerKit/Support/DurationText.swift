/// Durations as operators write them: `500ms`, `10s`, `2m`, `1h`, `7d`, or a bare number of seconds.
public enum DurationText {
    /// The longest duration any text may give: 100 years (36500d). Longer ones are refused, so no setting or flag
    /// can overflow the arithmetic done with it (dates, deadlines, milliseconds as Int64).
    public static let maximum = Duration.seconds(36_500 * 86_400)

    /// The examples error messages give.
    static let examples = "such as 500ms, 10s or 2m"

    /// Parses `text`, or returns nil when it is not a duration from 0 to ``maximum``.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: " \t")
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count)
            if suffix == "s" && number.hasSuffix("m") { continue }
            return milliseconds(Double(number), scale: scale * 1000)
        }
        return milliseconds(Double(trimmed), scale: 1000)
    }

    /// `value` × `scale` milliseconds, when that is a duration from 0 to ``maximum``. The bound is checked on the
    /// Double, before any conversion to an integer can trap.
    private static func milliseconds(_ value: Double?, scale: Double) -> Duration? {
        guard let value, value.isFinite, value >= 0 else { return nil }
        let millis = (value * scale).rounded()
        guard millis <= Double(maximum.wholeMilliseconds) else { return nil }
        return .milliseconds(Int64(millis))
    }

    /// Parses `text` as a duration within `range`; on failure, says why as the end of a sentence
    /// ("expected a duration from 0s to 36500d such as 500ms, 10s or 2m").
    public static func parse(_ text: String, in range: ClosedRange<Duration>) -> Result<Duration, Invalid> {
        if let duration = parse(text), range.contains(duration) { return .success(duration) }
        let negative = text.trimmingCharacters(in: " \t").hasPrefix("-")
        let expected = "expected " + describe(range)
        return .failure(Invalid(reason: negative ? "durations cannot be negative (\(expected))" : expected))
    }

    /// What a duration within `range` looks like, for error messages: "a duration from 10ms to 1h such as …".
    public static func describe(_ range: ClosedRange<Duration>) -> String {
        "a duration from \(format(range.lowerBound)) to \(format(range.upperBound)) \(examples)"
    }

    /// Why a text is not an acceptable duration.
    public struct Invalid: Error, Sendable, Equatable {
        /// "expected a duration from … to …", or for a negative one "durations cannot be negative (expected …)".
        public var reason: String
    }

    /// `1.5s`, `250ms`, `2m`, `1h`, `7d` — the shortest exact form.
    public static func format(_ duration: Duration) -> String {
        let millis = duration.wholeMilliseconds
        if millis % 86_400_000 == 0 && millis > 0 { return "\(millis / 86_400_000)d" }
        if millis % 3_600_000 == 0 && millis > 0 { return "\(millis / 3_600_000)h" }
        if millis % 60_000 == 0 && millis > 0 { return "\(millis / 60_000)m" }
        if millis % 1000 == 0 { return "\(millis / 1000)s" }
        if millis < 1000 { return "\(millis)ms" }
        return "\(Double(millis) / 1000)s"
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded down (never negative for non-negative durations); durations
    /// beyond Int64's milliseconds (about 292 million years) saturate at its bounds instead of trapping.
    public var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (millis, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, overflowTotal) = millis.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        if overflowTotal { return seconds < 0 ? .min : .max }
        return total
    }
}
