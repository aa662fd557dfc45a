import Foundation

/// Config of a channel that is one webhook URL: `discord` (the Go original's shape) and `slack` (an incoming
/// webhook).
///
/// ```json
/// {"webhook_url": "https://discord.com/api/webhooks/123/abc"}
/// ```
public struct WebhookURLChannelConfig: Codable, Sendable, Equatable {
    /// The webhook URL, `http://` or `https://`; its last path segment is the webhook's token (a secret).
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

    /// The config with the webhook token (the URL's last path segment) masked.
    public func masked() -> WebhookURLChannelConfig {
        WebhookURLChannelConfig(webhookURL: ChannelConfigChecks.maskURL(webhookURL, maskLastSegment: true))
    }
}
