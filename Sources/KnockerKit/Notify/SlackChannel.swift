import Foundation

/// Config of a `slack` channel: a Slack incoming-webhook URL.
///
/// ```json
/// {"webhook_url": "https://hooks.slack.com/services/T000/B000/XXXX"}
/// ```
public struct SlackChannelConfig: Codable, Sendable, Equatable {
    /// The incoming-webhook URL, `http://` or `https://`; its last path segment is a secret.
    public var webhookURL: String

    /// A config posting to `webhookURL`.
    public init(webhookURL: String) {
        self.webhookURL = webhookURL
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case webhookURL = "webhook_url"
    }

    public init(from decoder: any Decoder) throws {
        try ConfigDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        webhookURL = try c.decode(String.self, forKey: .webhookURL)
    }

    /// Every problem with this config; empty when it is valid.
    public func validate() -> [ConfigIssue] {
        ChannelConfigChecks.httpURLProblem(webhookURL).map { [ConfigIssue(field: "webhook_url", message: $0)] } ?? []
    }

    /// The config with the webhook secret (the URL's last path segment) masked.
    public func masked() -> SlackChannelConfig {
        SlackChannelConfig(webhookURL: ChannelConfigChecks.maskURL(webhookURL, maskLastSegment: true))
    }
}

/// The Slack incoming-webhook payload.
enum SlackPayload {
    /// `{"text": "*<title>*\n<body>"}`: the title in bold, then the body, in Slack's mrkdwn with `&`, `<` and `>`
    /// escaped as Slack requires; cut to 40,000 characters.
    static func json(for message: NotificationMessage) -> [UInt8] {
        let text = "*\(escape(message.title))*\n\(escape(message.body))"
        return Array(NotifyText.object([("text", JSONText.quote(NotifyText.truncated(text, to: 40_000)))]).utf8)
    }

    /// `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }
}
