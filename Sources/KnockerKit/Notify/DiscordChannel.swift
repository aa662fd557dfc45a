import Foundation

/// Config of a `discord` channel (the Go original's shape): a Discord webhook URL,
/// `{"webhook_url": "https://discord.com/api/webhooks/123/abc"}`.
public typealias DiscordChannelConfig = WebhookURLChannelConfig

/// The Discord webhook payload.
enum DiscordPayload {
    /// Embed colour of up messages (and test messages).
    static let green = 0x2ECC71
    /// Embed colour of timeout and degraded messages.
    static let yellow = 0xF1C40F
    /// Embed colour of down messages.
    static let red = 0xE74C3C

    /// `{"username": …, "embeds": [{"title": …, "description": …, "color": …}]}` as the original sends it. The
    /// title is cut to Discord's 256 characters, the description to 4096, the user name to 80.
    static func json(for message: NotificationMessage, channelName: String) -> [UInt8] {
        let embed = NotifyText.object([
            ("title", JSONText.quote(NotifyText.truncated(message.title, to: 256))),
            ("description", JSONText.quote(NotifyText.truncated(message.body, to: 4096))),
            ("color", String(color(for: message.status))),
        ])
        let payload = NotifyText.object([
            ("username", JSONText.quote(NotifyText.truncated(username(channelName), to: 80))),
            ("embeds", "[" + embed + "]"),
        ])
        return Array(payload.utf8)
    }

    /// Discord refuses webhook user names containing "discord": the channel name with every "discord" (any case)
    /// removed and whitespace trimmed, or "Knocker" when nothing is left.
    static func username(_ channelName: String) -> String {
        let characters = Array(channelName)
        let word = Array("discord")
        var kept: [Character] = []
        var index = 0
        while index < characters.count {
            if index + word.count <= characters.count,
                zip(characters[index..<(index + word.count)], word).allSatisfy({ $0.lowercased() == String($1) })
            {
                index += word.count
                continue
            }
            kept.append(characters[index])
            index += 1
        }
        let clean = String(kept).trimmingCharacters(in: .whitespacesAndNewlines)
        return clean.isEmpty ? "Knocker" : clean
    }

    /// Green for up (and tests), yellow for timeout and degraded, red for down.
    static func color(for status: NotificationStatus?) -> Int {
        switch status {
        case .up, nil: green
        case .timeout, .degraded: yellow
        case .down: red
        }
    }
}
