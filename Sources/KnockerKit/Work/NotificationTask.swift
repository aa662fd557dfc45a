import Foundation

/// The `notification:dispatch` task: send one incident's "down" or "up" message through one channel. The payload
/// is the original's JSON plus `incident_id` and `kind`, which Go workers ignore.
public struct NotificationTask: Sendable, Equatable {
    /// The task type.
    public static let type = "notification:dispatch"
    /// The queue it goes to.
    public static let queue = "default"
    /// Retries before the task is archived (the original's 25, with asynq's backoff).
    public static let maxRetry = 25
    /// How long one run of the task may take, waiting for one of the worker's delivery threads included (in an
    /// outage's burst many wait): far above a delivery's own `NOTIFICATION_TIMEOUT`, so waiting for a thread does not
    /// make runs time out and spend their retries.
    public static let timeout = Duration.seconds(600)

    /// Whether the incident opened or resolved.
    public enum Kind: String, Sendable, Equatable {
        /// The incident opened.
        case down
        /// The incident resolved.
        case up
    }

    public var teamID: Int64
    public var monitorID: Int64
    public var notificationID: Int64
    public var regionID: Int64
    public var incidentID: Int64?
    public var kind: Kind
    /// The ping that opened or resolved the incident.
    public var ping: RecordedPing
    /// The event message, "<region>: <detail>".
    public var detail: String

    /// A task with every field given.
    public init(
        teamID: Int64,
        monitorID: Int64,
        notificationID: Int64,
        regionID: Int64,
        incidentID: Int64?,
        kind: Kind,
        ping: RecordedPing,
        detail: String
    ) {
        self.teamID = teamID
        self.monitorID = monitorID
        self.notificationID = notificationID
        self.regionID = regionID
        self.incidentID = incidentID
        self.kind = kind
        self.ping = ping
        self.detail = detail
    }

    /// The queue task ID: one task per incident, channel and kind, so a repeated enqueue is refused as a duplicate.
    public var taskID: String {
        "notify:\(incidentID.map(String.init) ?? "none"):\(notificationID):\(kind.rawValue)"
    }

    /// The payload JSON.
    public func payload() -> [UInt8] {
        var json = "{\"team_id\":\"\(teamID)\",\"monitor_id\":\"\(monitorID)\","
        json += "\"notification_id\":\"\(notificationID)\",\"region_id\":\"\(regionID)\","
        json += "\"ping\":{\"time\":\"\(Timestamp.rfc3339Microseconds(ping.time))\","
        json += "\"monitor_id\":\"\(ping.monitorID)\",\"region_id\":\"\(ping.regionID)\","
        json += "\"latency\":\(ping.latencyMs),\"status\":\"\(ping.status.rawValue)\"},"
        json += "\"detail\":\(JSONText.quote(detail)),"
        json += "\"incident_id\":\(incidentID.map { "\"\($0)\"" } ?? "null"),\"kind\":\"\(kind.rawValue)\"}"
        return Array(json.utf8)
    }

    /// Reads a payload written by Knocker or by the Go original (which has no incident id or kind: the kind then
    /// follows the ping's status).
    public init(payload: [UInt8]) throws(NotificationTaskError) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any] else {
            throw NotificationTaskError("the payload is not a JSON object")
        }
        func id(_ key: String, in object: [String: Any]) throws(NotificationTaskError) -> Int64 {
            guard let id = PingTask.id(object[key]) else {
                throw NotificationTaskError("\(key) is missing or not an id")
            }
            return id
        }
        guard let ping = object["ping"] as? [String: Any] else { throw NotificationTaskError("ping is missing") }
        guard let timeText = ping["time"] as? String, let time = Timestamp.parse(timeText) else {
            throw NotificationTaskError("ping.time is missing or not RFC 3339")
        }
        guard let statusText = ping["status"] as? String, let status = CheckStatus(rawValue: statusText) else {
            throw NotificationTaskError("ping.status is missing or unknown")
        }
        let monitorID = try id("monitor_id", in: object)
        let regionID = try id("region_id", in: object)
        let recorded = RecordedPing(
            time: time,
            monitorID: PingTask.id(ping["monitor_id"]) ?? monitorID,
            regionID: PingTask.id(ping["region_id"]) ?? regionID,
            latencyMs: (ping["latency"] as? NSNumber)?.intValue ?? 0,
            status: status,
            message: nil
        )
        let kind = (object["kind"] as? String).flatMap(Kind.init(rawValue:)) ?? (status.isUp ? .up : .down)
        self.init(
            teamID: try id("team_id", in: object),
            monitorID: monitorID,
            notificationID: try id("notification_id", in: object),
            regionID: regionID,
            incidentID: PingTask.id(object["incident_id"]),
            kind: kind,
            ping: recorded,
            detail: object["detail"] as? String ?? ""
        )
    }
}

/// A notification task payload that cannot be read.
public struct NotificationTaskError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    init(_ description: String) {
        self.description = "invalid notification task: \(description)"
    }
}
