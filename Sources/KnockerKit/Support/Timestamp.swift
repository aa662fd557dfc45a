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

    /// `2026-12-04T15:30:44.123456Z`: microseconds, Postgres's precision (Go's RFC3339Nano reads it).
    public static func rfc3339Microseconds(_ date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(27)
        appendRFC3339Microseconds(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``rfc3339Microseconds(_:)``'s text as UTF-8 (for JSON built as bytes).
    static func appendRFC3339Microseconds(_ date: Date, to output: inout [UInt8]) {
        // Saturates rather than traps for dates Int64 microseconds cannot hold (Postgres allows years to 294276).
        let micros = QueueClock.clampedInt64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let year = Int(parts.tm_year) + 1900
        guard (0...9999).contains(year) else {
            let text = utcParts(Date(timeIntervalSince1970: TimeInterval(seconds))).dateTime + "."
            output += (text + pad(Int(fraction), 6) + "Z").utf8
            return
        }
        // Digits written in place: this formats every ping of every batch (state rows, JSON).
        let start = output.count
        output += "0000-00-00T00:00:00.000000Z".utf8
        func put(_ value: Int, at end: Int, width: Int) {
            var value = value
            for index in stride(from: start + end, to: start + end - width, by: -1) {
                output[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(year, at: 3, width: 4)
        put(Int(parts.tm_mon) + 1, at: 6, width: 2)
        put(Int(parts.tm_mday), at: 9, width: 2)
        put(Int(parts.tm_hour), at: 12, width: 2)
        put(Int(parts.tm_min), at: 15, width: 2)
        put(Int(parts.tm_sec), at: 18, width: 2)
        put(Int(fraction), at: 25, width: 6)
    }

    /// Parses RFC 3339 (`2026-12-04T15:30:44Z`, with any fraction of a second and a `Z` or `±hh:mm` offset); nil
    /// for anything else.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + count)] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard bytes.count >= 20, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54 || bytes[10] == 0x74,
            bytes[13] == 0x3A, bytes[16] == 0x3A,
            let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if bytes[index] == 0x2E {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                fraction += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offset = 0
        if bytes[index] == 0x5A || bytes[index] == 0x7A {
            index += 1
        } else if bytes[index] == 0x2B || bytes[index] == 0x2D, index + 6 == bytes.count, bytes[index + 3] == 0x3A,
            let hours = number(index + 1, 2), let minutes = number(index + 4, 2), hours < 24, minutes < 60
        {
            offset = (hours * 3600 + minutes * 60) * (bytes[index] == 0x2B ? 1 : -1)
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        var components = tm()
        components.tm_year = Int32(year - 1900)
        components.tm_mon = Int32(month - 1)
        components.tm_mday = Int32(day)
        components.tm_hour = Int32(hour)
        components.tm_min = Int32(minute)
        components.tm_sec = Int32(second)
        let seconds = timegm(&components)
        return Date(timeIntervalSince1970: TimeInterval(seconds - offset) + fraction)
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
