import Foundation

/// One check result as it is stored in `pings` and published for `knocker tail-pings`.
public struct RecordedPing: Sendable, Equatable, Codable {
    /// When the check started.
    public var time: Date
    /// The monitor checked.
    public var monitorID: Int64
    /// The region it ran from.
    public var regionID: Int64
    /// Whole milliseconds (0 when it failed before any answer, as the original).
    public var latencyMs: Int
    /// The verdict.
    public var status: CheckStatus
    /// Why it failed or is degraded.
    public var message: String?

    /// A ping with every field given.
    public init(time: Date, monitorID: Int64, regionID: Int64, latencyMs: Int, status: CheckStatus, message: String?) {
        self.time = time
        self.monitorID = monitorID
        self.regionID = regionID
        self.latencyMs = max(0, latencyMs)
        self.status = status
        // The column's CHECK counts code points, not Swift's grapheme clusters (a letter with combining marks is one
        // Character but several code points): cut by Unicode scalars, or a long message would fail every write.
        self.message = message.map { text in
            guard text.unicodeScalars.count > RecordedPing.maxMessageCharacters else { return text }
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: text.unicodeScalars.prefix(RecordedPing.maxMessageCharacters))
            return String(scalars)
        }
    }

    /// Longest message stored, in Unicode code points (the column's limit, `length(message) <= 1000`).
    public static let maxMessageCharacters = 1000

    enum CodingKeys: String, CodingKey {
        case time, status, message
        case monitorID = "monitor_id"
        case regionID = "region_id"
        case latencyMs = "latency"
    }

    /// The JSON published on the pings channel: what a `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes`
    /// writes, built by hand when there is no message (nearly every ping; the encoder costs ~10 µs a ping).
    func channelJSON(_ encoder: JSONEncoder) -> [UInt8]? {
        guard message == nil else { return (try? encoder.encode(self)).map { Array($0) } }
        var json: [UInt8] = []
        json.reserveCapacity(128)
        json += #"{"latency":"#.utf8
        json += String(latencyMs).utf8
        json += #","monitor_id":""#.utf8
        json += String(monitorID).utf8
        json += #"","region_id":""#.utf8
        json += String(regionID).utf8
        json += #"","status":""#.utf8
        json += status.rawValue.utf8
        json += #"","time":""#.utf8
        Timestamp.appendRFC3339Microseconds(time, to: &json)
        json += #""}"#.utf8
        return json
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Timestamp.rfc3339Microseconds(time), forKey: .time)
        try container.encode(String(monitorID), forKey: .monitorID)
        try container.encode(String(regionID), forKey: .regionID)
        try container.encode(latencyMs, forKey: .latencyMs)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(message, forKey: .message)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let timeText = try container.decode(String.self, forKey: .time)
        guard let time = Timestamp.parse(timeText) else {
            throw DecodingError.dataCorruptedError(forKey: .time, in: container, debugDescription: "not RFC 3339")
        }
        func id(_ key: CodingKeys) throws -> Int64 {
            if let text = try? container.decode(String.self, forKey: key), let value = Int64(text) { return value }
            return try container.decode(Int64.self, forKey: key)
        }
        self.init(
            time: time,
            monitorID: try id(.monitorID),
            regionID: try id(.regionID),
            latencyMs: try container.decode(Int.self, forKey: .latencyMs),
            status: try container.decode(CheckStatus.self, forKey: .status),
            message: try container.decodeIfPresent(String.self, forKey: .message)
        )
    }
}
