import Foundation

/// A notification channel's type: the `notification_type` enum and the `type` field of the REST API.
public enum NotificationType: String, Sendable, Equatable, CaseIterable, Codable {
    /// Discord webhook.
    case discord
    /// Telegram bot message.
    case telegram
    /// Email over SMTP.
    case email
    /// Slack incoming webhook.
    case slack
    /// Generic JSON webhook, optionally HMAC-signed.
    case webhook
}

/// A notification channel's typed config: the `config` object of the REST API and the `notifications.config`
/// column. Each type's JSON shape is documented on its struct.
public enum NotificationChannelConfig: Sendable, Equatable {
    /// `{"webhook_url": …}`
    case discord(DiscordChannelConfig)
    /// `{"bot_token": …, "chat_id": …}`
    case telegram(TelegramChannelConfig)
    /// `{"smtp_url": …, "from": …, "to": […], …}`
    case email(EmailChannelConfig)
    /// `{"webhook_url": …}`
    case slack(SlackChannelConfig)
    /// `{"url": …, "secret": …, "headers": {…}}`
    case webhook(WebhookChannelConfig)

    /// The channel type this config belongs to.
    public var type: NotificationType {
        switch self {
        case .discord: .discord
        case .telegram: .telegram
        case .email: .email
        case .slack: .slack
        case .webhook: .webhook
        }
    }

    /// Decodes the JSON config of a `type` channel, applying defaults. Unknown keys, missing required keys and
    /// values of the wrong JSON type are errors naming the field. Does not validate values; see ``validate()``.
    public static func decode(
        type: NotificationType,
        json: [UInt8]
    ) throws(NotificationConfigError)
        -> NotificationChannelConfig
    {
        do {
            switch type {
            case .discord: return .discord(try ConfigDecoding.decode(DiscordChannelConfig.self, from: json))
            case .telegram: return .telegram(try ConfigDecoding.decode(TelegramChannelConfig.self, from: json))
            case .email: return .email(try ConfigDecoding.decode(EmailChannelConfig.self, from: json))
            case .slack: return .slack(try ConfigDecoding.decode(SlackChannelConfig.self, from: json))
            case .webhook: return .webhook(try ConfigDecoding.decode(WebhookChannelConfig.self, from: json))
            }
        } catch {
            throw NotificationConfigError(issues: error.issues)
        }
    }

    /// Decodes and validates; throws an error listing every issue when the config is unusable.
    public static func decodeAndValidate(
        type: NotificationType,
        json: [UInt8]
    ) throws(NotificationConfigError)
        -> NotificationChannelConfig
    {
        let config = try decode(type: type, json: json)
        let issues = config.validate()
        if !issues.isEmpty { throw NotificationConfigError(issues: issues) }
        return config
    }

    /// Every problem with the config, in field order; empty when it is valid.
    public func validate() -> [ConfigIssue] {
        switch self {
        case .discord(let config): config.validate()
        case .telegram(let config): config.validate()
        case .email(let config): config.validate()
        case .slack(let config): config.validate()
        case .webhook(let config): config.validate()
        }
    }

    /// The config with its secrets masked, for display (API responses, `knocker notification` listings, logs):
    /// bot tokens, webhook secrets and passwords become `********` (a Telegram token keeps its bot ID), the
    /// token part of Discord and Slack webhook URLs and any password or query in a URL is masked as well.
    public func masked() -> NotificationChannelConfig {
        switch self {
        case .discord(let config): .discord(config.masked())
        case .telegram(let config): .telegram(config.masked())
        case .email(let config): .email(config.masked())
        case .slack(let config): .slack(config.masked())
        case .webhook(let config): .webhook(config.masked())
        }
    }

    /// The config as compact JSON with sorted keys and unescaped slashes, defaults written out, unset optional
    /// fields left out.
    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        switch self {
        case .discord(let config): data = try encoder.encode(config)
        case .telegram(let config): data = try encoder.encode(config)
        case .email(let config): data = try encoder.encode(config)
        case .slack(let config): data = try encoder.encode(config)
        case .webhook(let config): data = try encoder.encode(config)
        }
        return Array(data)
    }
}

/// A configured channel: a row of `notifications`.
public struct NotificationChannel: Sendable, Equatable {
    /// The channel's ID.
    public var id: Int64
    /// The channel's name (Discord's webhook user name is made from it).
    public var name: String
    /// Where and how to deliver.
    public var config: NotificationChannelConfig

    /// The channel type.
    public var type: NotificationType { config.type }

    /// A channel named `name` delivering through `config`.
    public init(id: Int64, name: String, config: NotificationChannelConfig) {
        self.id = id
        self.name = name
        self.config = config
    }
}

/// A channel config that could not be decoded or did not validate; `issues` lists every problem found.
public struct NotificationConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every problem found, in field order. Never empty.
    public var issues: [ConfigIssue]

    /// An error listing `issues`.
    public init(issues: [ConfigIssue]) {
        self.issues = issues
    }

    /// `invalid notification config: <issue>; <issue>…`.
    public var description: String {
        "invalid notification config: " + issues.map(\.description).joined(separator: "; ")
    }
}

/// Checks and masks shared by the channel configs.
enum ChannelConfigChecks {
    /// The text secrets are replaced with.
    static let mask = "********"

    /// Why `url` is not a usable http(s) URL (required, no spaces, a valid host), or nil.
    static func httpURLProblem(_ url: String) -> String? {
        HTTPMonitorConfig.urlProblem(url)
    }

    /// `url` with the password of its user info, its query and (when `maskLastSegment`) its last path segment
    /// masked: `https://discord.com/api/webhooks/1/********`.
    static func maskURL(_ url: String, maskLastSegment: Bool) -> String {
        var text = Secrets.maskURL(url)
        if let query = text.firstIndex(of: "?") { text = String(text[..<query]) + "?" + mask }
        guard maskLastSegment, let schemeEnd = text.range(of: "://") else { return text }
        let pathPart = text[schemeEnd.upperBound...]
        guard let firstSlash = pathPart.firstIndex(of: "/") else { return text }
        let end = text.firstIndex(of: "?") ?? text.endIndex
        var path = text[firstSlash..<end]
        while path.count > 1 && path.hasSuffix("/") { path = path.dropLast() }
        guard let lastSlash = path.lastIndex(of: "/"), path.index(after: lastSlash) < path.endIndex else {
            return text
        }
        return String(text[..<path.index(after: lastSlash)]) + mask + String(text[end...])
    }
}
