import Foundation

/// Config of a `telegram` channel (the Go original's shape): a bot token and the chat to post to.
///
/// ```json
/// {"bot_token": "123456:ABC-DEF", "chat_id": "-1001234567890"}
/// ```
///
/// `chat_id` is a string as in the original (a numeric ID or `@channelname`); a JSON number is accepted too.
public struct TelegramChannelConfig: Codable, Sendable, Equatable {
    /// The bot's token from BotFather, `<bot id>:<secret>` (a secret).
    public var botToken: String
    /// The chat: a numeric ID (negative for groups) or `@channelname`.
    public var chatID: String

    /// A config posting with `botToken` to `chatID`.
    public init(botToken: String, chatID: String) {
        self.botToken = botToken
        self.chatID = chatID
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case botToken = "bot_token"
        case chatID = "chat_id"
    }

    public init(from decoder: any Decoder) throws {
        try ConfigDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        botToken = try c.decode(String.self, forKey: .botToken)
        if let number = try? c.decode(Int64.self, forKey: .chatID) {
            chatID = String(number)
        } else {
            chatID = try c.decode(String.self, forKey: .chatID)
        }
    }

    /// Every problem with this config, in field order; empty when it is valid.
    public func validate() -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        let tokenCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_-")
        if botToken.isEmpty {
            issues.append(ConfigIssue(field: "bot_token", message: "is required"))
        } else if botToken.count > 256 || !botToken.allSatisfy(tokenCharacters.contains) {
            issues.append(
                ConfigIssue(
                    field: "bot_token",
                    message: "must be a bot token like 123456:ABC-DEF (letters, digits, ':', '_' and '-')"
                )
            )
        }
        if chatID.isEmpty {
            issues.append(ConfigIssue(field: "chat_id", message: "is required"))
        } else if chatID.count > 256 || chatID.contains(where: { $0.isWhitespace || $0.isNewline }) {
            issues.append(
                ConfigIssue(field: "chat_id", message: "must be a chat ID or @channelname (got \(quoted(chatID)))")
            )
        }
        return issues
    }

    /// The config with the token's secret part masked (`123456:********`).
    public func masked() -> TelegramChannelConfig {
        guard !botToken.isEmpty else { return self }
        let botID = botToken.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        let shown =
            botToken.contains(":") && !botID.isEmpty ? botID + ":" + ChannelConfigChecks.mask : ChannelConfigChecks.mask
        return TelegramChannelConfig(botToken: shown, chatID: chatID)
    }
}

/// The Telegram Bot API `sendMessage` request.
enum TelegramPayload {
    /// Where the Bot API lives unless the sender is told otherwise.
    static let defaultAPIBase = "https://api.telegram.org"

    /// `<base>/bot<token>/sendMessage` (a trailing slash of `base` is dropped).
    static func url(base: String, botToken: String) -> String {
        var trimmed = base
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return "\(trimmed)/bot\(botToken)/sendMessage"
    }

    /// `{"chat_id": …, "text": "<title>\n\n<body>"}` as the original sends it (plain text, no parse mode), cut
    /// to Telegram's 4096 characters.
    static func json(for message: NotificationMessage, chatID: String) -> [UInt8] {
        let text = "\(message.title)\n\n\(message.body)".trimmingCharacters(in: .whitespacesAndNewlines)
        let payload = NotifyText.object([
            ("chat_id", JSONText.quote(chatID)),
            ("text", JSONText.quote(NotifyText.truncated(text, to: 4096))),
        ])
        return Array(payload.utf8)
    }
}
