import Foundation

/// Config of a `slack` channel: a Slack incoming-webhook URL,
/// `{"webhook_url": "https://hooks.slack.com/services/T000/B000/XXXX"}`.
public typealias SlackChannelConfig = WebhookURLChannelConfig

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
