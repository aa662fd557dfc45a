import Foundation

/// `google.protobuf.Timestamp`: seconds (field 1, int64) and nanoseconds (field 2, int32, 0 ..< 10^9) since the
/// Unix epoch.
public struct ProtobufTimestamp: Sendable, Equatable {
    /// Whole seconds since 1970-01-01T00:00:00Z (negative before it).
    public var seconds: Int64
    /// Nanoseconds within the second, 0 ..< 1,000,000,000.
    public var nanos: Int32

    /// A timestamp from its two fields.
    public init(seconds: Int64, nanos: Int32 = 0) {
        self.seconds = seconds
        self.nanos = nanos
    }

    /// The timestamp of `date`, rounded down to whole nanoseconds; clamped to the Int64 range of seconds.
    public init(_ date: Date) {
        let interval = date.timeIntervalSince1970
        let whole = interval.rounded(.down)
        seconds = QueueClock.clampedInt64(whole)
        let fraction = interval.isFinite ? (interval - whole) * 1_000_000_000 : 0
        nanos = Int32(max(0, min(999_999_999, fraction.rounded(.down))))
    }

    /// The timestamp as a `Date` (sub-microsecond precision is lost to `Double`).
    public var date: Date {
        Date(timeIntervalSince1970: Double(seconds) + Double(nanos) / 1_000_000_000)
    }

    /// Wire data of the message; zero fields are left out, so the epoch encodes as zero bytes.
    public func encoded() -> [UInt8] {
        var writer = ProtobufWriter()
        writer.writeInt64(1, seconds)
        writer.writeInt32(2, nanos)
        return writer.bytes
    }

    /// Decodes wire data, skipping unknown fields.
    public init(decoding bytes: some Collection<UInt8>) throws(ProtobufError) {
        self.init(seconds: 0)
        var reader = ProtobufReader(bytes)
        while let field = try reader.next() {
            switch field.number {
            case 1: seconds = field.int64 ?? seconds
            case 2: nanos = field.int32 ?? nanos
            default: break
            }
        }
    }
}

/// Conversions between `Date` and the integer time units asynq stores. Never traps, whatever the date.
enum QueueClock {
    /// Whole Unix seconds of `date`, rounded down; ZSET scores must be integers.
    static func seconds(_ date: Date) -> Int64 {
        clampedInt64(date.timeIntervalSince1970.rounded(.down))
    }

    /// Unix nanoseconds of `date` (for `pending_since`).
    static func nanoseconds(_ date: Date) -> Int64 {
        let interval = date.timeIntervalSince1970
        let whole = interval.rounded(.down)
        let fraction = interval.isFinite ? QueueClock.clampedInt64(((interval - whole) * 1e9).rounded(.down)) : 0
        let (scaled, overflow) = clampedInt64(whole).multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return interval < 0 ? .min : .max }
        return adding(scaled, fraction)
    }

    /// `a + b`, saturating at the Int64 bounds.
    static func adding(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard overflow else { return sum }
        return b < 0 ? .min : .max
    }

    /// `value` as Int64, saturating at the bounds; NaN becomes 0.
    static func clampedInt64(_ value: Double) -> Int64 {
        guard !value.isNaN else { return 0 }
        if value >= 9_223_372_036_854_775_807.0 { return .max }
        if value <= -9_223_372_036_854_775_808.0 { return .min }
        return Int64(value)
    }
}
