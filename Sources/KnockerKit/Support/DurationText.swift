/// Durations as operators write them: `500ms`, `10s`, `2m`, `1h`, `7d`, or a bare number of seconds.
public enum DurationText {
    /// Parses `text`, or returns nil when it is not a non-negative duration.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: " \t")
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count)
            if suffix == "s" && number.hasSuffix("m") { continue }
            guard let value = Double(number), value >= 0, value.isFinite else { return nil }
            return .milliseconds(Int64((value * scale * 1000).rounded()))
        }
        guard let seconds = Double(trimmed), seconds >= 0, seconds.isFinite else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// `1.5s`, `250ms`, `2m`, `1h` — the shortest exact form.
    public static func format(_ duration: Duration) -> String {
        let millis = duration.wholeMilliseconds
        if millis % 3_600_000 == 0 && millis > 0 { return "\(millis / 3_600_000)h" }
        if millis % 60_000 == 0 && millis > 0 { return "\(millis / 60_000)m" }
        if millis % 1000 == 0 { return "\(millis / 1000)s" }
        if millis < 1000 { return "\(millis)ms" }
        return "\(Double(millis) / 1000)s"
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded down (never negative for non-negative durations).
    public var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
