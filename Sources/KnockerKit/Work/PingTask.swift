import Foundation

/// The `monitor:ping:{region}` task: one check of one monitor from one region. The payload is the original's JSON
/// (a monitor snapshot and the region id), so Go workers can run tasks Knocker enqueues and the other way round.
public struct PingTask: Sendable, Equatable {
    /// The task type, braces included, as the original.
    public static let type = "monitor:ping:{region}"
    /// How long a worker may take before the queue gives the task to another (the original's 120 s).
    public static let timeout: Duration = .seconds(120)

    /// The monitor as scheduled.
    public var monitor: Monitor
    /// The region to check from.
    public var regionID: Int64

    /// A task for `monitor` in `regionID`.
    public init(monitor: Monitor, regionID: Int64) {
        self.monitor = monitor
        self.regionID = regionID
    }

    /// The payload JSON: `{"monitor": {…}, "region": <id>}` with ids as strings, regions as numbers, times in RFC 3339
    /// with microseconds, `config` as the stored object, `notification` null; plus `region_quorum` and `paused_at`,
    /// which Go workers ignore.
    public func payload() -> [UInt8] {
        var json = "{\"monitor\":{"
        json += "\"id\":\"\(monitor.id)\",\"team_id\":\"\(monitor.teamID)\","
        json += "\"name\":\(JSONText.quote(monitor.name)),\"type\":\"\(monitor.type.rawValue)\","
        json += "\"config\":\(monitor.configJSON.isEmpty ? "{}" : monitor.configJSON),"
        json += "\"interval\":\(monitor.interval),\"status\":\"\(monitor.status.rawValue)\","
        json += "\"last_checked\":\(Self.time(monitor.lastChecked)),\"next_check\":\(Self.time(monitor.nextCheck)),"
        json += "\"failure_threshold\":\(monitor.failureThreshold),"
        json += "\"recovery_threshold\":\(monitor.recoveryThreshold),"
        json += "\"region_quorum\":\(monitor.regionQuorum),"
        json += "\"regions\":[\(monitor.regionIDs.map(String.init).joined(separator: ","))],"
        json += "\"notification\":null,"
        json += "\"created_at\":\(Self.time(monitor.createdAt)),\"updated_at\":\(Self.time(monitor.updatedAt))"
        json += "},\"region\":\(regionID)}"
        return Array(json.utf8)
    }

    private static func time(_ date: Date?) -> String {
        date.map { "\"\(Timestamp.rfc3339Microseconds($0))\"" } ?? "null"
    }

    /// Reads a payload written by Knocker or by the Go original.
    public init(payload: [UInt8]) throws(PingTaskError) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any] else {
            throw PingTaskError("the payload is not a JSON object")
        }
        guard let monitor = object["monitor"] as? [String: Any] else {
            throw PingTaskError("the payload has no \"monitor\" object")
        }
        guard let region = Self.id(object["region"]) else {
            throw PingTaskError("the payload has no \"region\" id")
        }
        guard let id = Self.id(monitor["id"]) else { throw PingTaskError("monitor.id is missing or not an id") }
        guard let typeName = monitor["type"] as? String, let type = MonitorType(rawValue: typeName) else {
            throw PingTaskError("monitor.type is missing or unknown")
        }
        let configJSON: String
        if let config = monitor["config"], !(config is NSNull) {
            guard JSONSerialization.isValidJSONObject(config),
                let data = try? JSONSerialization.data(withJSONObject: config, options: [.sortedKeys, .withoutEscapingSlashes])
            else { throw PingTaskError("monitor.config is not a JSON object") }
            configJSON = String(decoding: data, as: UTF8.self)
        } else {
            configJSON = "{}"
        }
        let regions = (monitor["regions"] as? [Any] ?? []).compactMap(Self.id)
        func int(_ key: String, default value: Int) -> Int {
            (monitor[key] as? NSNumber)?.intValue ?? value
        }
        func date(_ key: String) -> Date? { (monitor[key] as? String).flatMap(Timestamp.parse) }
        self.init(
            monitor: Monitor(
                id: id,
                teamID: Self.id(monitor["team_id"]) ?? 0,
                name: monitor["name"] as? String ?? "",
                type: type,
                interval: int("interval", default: 60),
                configJSON: configJSON,
                lastChecked: date("last_checked"),
                nextCheck: date("next_check") ?? Date(timeIntervalSince1970: 0),
                status: (monitor["status"] as? String).flatMap(MonitorStatus.init(rawValue:)) ?? .up,
                failureThreshold: max(1, int("failure_threshold", default: 3)),
                recoveryThreshold: max(1, int("recovery_threshold", default: 1)),
                regionQuorum: max(1, int("region_quorum", default: 1)),
                pausedAt: date("paused_at"),
                regionIDs: regions,
                notificationIDs: [],
                createdAt: date("created_at") ?? Date(timeIntervalSince1970: 0),
                updatedAt: date("updated_at") ?? Date(timeIntervalSince1970: 0)
            ),
            regionID: region
        )
    }

    /// An id given as a decimal string or a positive number.
    static func id(_ value: Any?) -> Int64? {
        if let text = value as? String, let id = Int64(text), id > 0 { return id }
        // JSON true/false also arrive as NSNumber; their type code is "c".
        if let number = value as? NSNumber, String(cString: number.objCType) != "c" {
            let id = number.int64Value
            return id > 0 && Double(id) == number.doubleValue ? id : nil
        }
        return nil
    }
}

/// A ping task payload that cannot be read.
public struct PingTaskError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    init(_ description: String) {
        self.description = "invalid ping task: \(description)"
    }
}
