import Foundation

/// The state a notification reports, printed upper-cased ("UP", "DOWN", "TIMEOUT", "DEGRADED").
public enum NotificationStatus: String, Sendable, Equatable, CaseIterable {
    /// The monitor is up (recovery).
    case up
    /// The monitor is down: a check failed.
    case down
    /// The monitor is down: a check timed out.
    case timeout
    /// The monitor is up but slower than its `degraded_after_ms`.
    case degraded

    /// The status a check verdict reports: successful → up, failed → down, timeout → timeout, degraded → degraded.
    public init(_ status: CheckStatus) {
        switch status {
        case .successful: self = .up
        case .failed: self = .down
        case .timeout: self = .timeout
        case .degraded: self = .degraded
        }
    }

    /// The word in titles and bodies: the raw value upper-cased.
    public var word: String { rawValue.uppercased() }

    /// True for `up` and `degraded`.
    public var isUp: Bool { self == .up || self == .degraded }
}

/// What a notification is about; the webhook channel's `event` field.
public enum NotificationEvent: String, Sendable, Equatable, CaseIterable {
    /// The monitor went down (an incident opened).
    case monitorDown = "monitor.down"
    /// The monitor came back up (its incident resolved).
    case monitorUp = "monitor.up"
    /// A test message (`knocker notification test`, `POST …/notifications/:id/test`).
    case test
}

/// One notification, formatted once and rendered by every channel: a title, a plain-text body and the facts they
/// were made from (the webhook channel sends those as fields).
///
/// The text follows the Go original exactly. Title: `<monitor name> is <STATUS>`. Body, trimmed:
///
/// ```text
/// Monitor: api
/// Region: eu-west
/// Status: DOWN
///
/// Latency: 120ms
/// Checked at: 2026-12-04T18:03:44Z
///
/// Details: HTTP status code: 503
/// ```
///
/// `Region` is left out when the region name is empty, `Latency` when it is 0 or less, `Details` when the detail
/// is empty or only whitespace; `Checked at` is RFC 3339 in UTC, whole seconds.
public struct NotificationMessage: Sendable, Equatable {
    /// What the message is about.
    public var event: NotificationEvent
    /// The monitor's ID, when the message is about a monitor.
    public var monitorID: Int64?
    /// The monitor's name ("" for a test message).
    public var monitorName: String
    /// The region's name ("" when unknown or for a test message).
    public var regionName: String
    /// The reported status (nil for a test message).
    public var status: NotificationStatus?
    /// Latency of the check, milliseconds (0 when unknown).
    public var latencyMs: Int
    /// When the check ran (when the test was sent, for a test message).
    public var checkedAt: Date
    /// What went wrong, trimmed; nil when nothing was said.
    public var detail: String?
    /// The incident the message belongs to, when known.
    public var incidentID: Int64?
    /// The title: `<monitor name> is <STATUS>`, or `Knocker notification test`.
    public var title: String
    /// The plain-text body (lines separated by `\n`, no trailing newline).
    public var body: String

    /// A message about a monitor's check: title and body as the Go original formats them. The event is
    /// `monitor.up` for an up or degraded status, `monitor.down` otherwise.
    public init(
        monitorID: Int64? = nil,
        monitorName: String,
        regionName: String,
        status: NotificationStatus,
        latencyMs: Int,
        checkedAt: Date,
        detail: String? = nil,
        incidentID: Int64? = nil
    ) {
        let trimmedDetail = detail?.trimmingCharacters(in: .whitespacesAndNewlines)
        self.event = status.isUp ? .monitorUp : .monitorDown
        self.monitorID = monitorID
        self.monitorName = monitorName
        self.regionName = regionName
        self.status = status
        self.latencyMs = latencyMs
        self.checkedAt = checkedAt
        self.detail = trimmedDetail?.isEmpty == false ? trimmedDetail : nil
        self.incidentID = incidentID
        self.title = "\(monitorName) is \(status.word)"

        var text = "Monitor: \(monitorName)\n"
        if !regionName.isEmpty { text += "Region: \(regionName)\n" }
        text += "Status: \(status.word)\n"
        if latencyMs > 0 { text += "\nLatency: \(latencyMs)ms" }
        text += "\nChecked at: \(Timestamp.rfc3339(checkedAt))"
        if let shown = self.detail { text += "\n\nDetails: \(shown)" }
        self.body = text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The message `knocker notification test` sends: title `Knocker notification test`, body
    /// `Test notification for team <id> and channel "<name>"` (the team part only when `teamID` is given) and a
    /// `Sent at` line.
    public static func test(channelName: String, teamID: Int64? = nil, sentAt: Date) -> NotificationMessage {
        let team = teamID.map { "team \($0) and " } ?? ""
        return NotificationMessage(
            event: .test,
            title: "Knocker notification test",
            body: "Test notification for \(team)channel \(JSONText.quote(channelName))\nSent at: "
                + Timestamp.rfc3339(sentAt),
            checkedAt: sentAt
        )
    }

    private init(event: NotificationEvent, title: String, body: String, checkedAt: Date) {
        self.event = event
        self.monitorID = nil
        self.monitorName = ""
        self.regionName = ""
        self.status = nil
        self.latencyMs = 0
        self.checkedAt = checkedAt
        self.detail = nil
        self.incidentID = nil
        self.title = title
        self.body = body
    }
}

/// Text helpers shared by the channel payload builders.
enum NotifyText {
    /// `text` cut to at most `limit` characters, the last one an ellipsis when it was cut.
    static func truncated(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(max(0, limit - 1))) + "…"
    }

    /// A JSON object with the members in the given order; values are JSON texts already.
    static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { JSONText.quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    /// `value` as a JSON string, or `null`.
    static func string(_ value: String?) -> String {
        value.map(JSONText.quote) ?? "null"
    }
}
