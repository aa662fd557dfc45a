import Foundation

/// Formatting and parsing of the timestamps Knocker prints and reads (always UTC).
public enum Timestamp {
    /// `2026-12-04T15:30:44.123Z`
    public static func rfc3339Milliseconds(_ date: Date) -> String {
        let parts = utcParts(date)
        let millis = Int((date.timeIntervalSince1970 * 1000).rounded(.down)) % 1000
        let ms = millis < 0 ? millis + 1000 : millis
        return parts.dateTime + "." + pad(ms, 3) + "Z"
    }

    /// `2026-12-04T15:30:44Z`
    public static func rfc3339(_ date: Date) -> String { utcParts(date).dateTime + "Z" }

    /// `2026-12-04`
    public static func day(_ date: Date) -> String { utcParts(date).day }

    private static func utcParts(_ date: Date) -> (day: String, dateTime: String) {
        var seconds = time_t(floor(date.timeIntervalSince1970))
        var tm = tm()
        gmtime_r(&seconds, &tm)
        let day = "\(pad(Int(tm.tm_year) + 1900, 4))-\(pad(Int(tm.tm_mon) + 1, 2))-\(pad(Int(tm.tm_mday), 2))"
        let time = "\(pad(Int(tm.tm_hour), 2)):\(pad(Int(tm.tm_min), 2)):\(pad(Int(tm.tm_sec), 2))"
        return (day, day + "T" + time)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
