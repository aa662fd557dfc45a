import Foundation

/// Config of a `webhook` channel: a URL that gets a JSON `POST` for every notification, optionally signed.
///
/// ```json
/// {"url": "https://hooks.example.com/knocker", "secret": "s3cret", "headers": {"X-Team": "ops"}}
/// ```
///
/// `secret` (optional) turns on the `X-Knocker-Signature` header; `headers` (optional) are added to every
/// request and may not replace `Content-Type`, `Content-Length`, `Host`, `Expect`, `Transfer-Encoding` or the
/// `X-Knocker-*` headers. The request format is described on ``WebhookPayload``.
public struct WebhookChannelConfig: Codable, Sendable, Equatable {
    /// Where to post, `http://` or `https://`.
    public var url: String
    /// The HMAC-SHA256 key of `X-Knocker-Signature` (a secret); nil for unsigned requests.
    public var secret: String?
    /// Extra request headers, name → value.
    public var headers: [String: String]

    /// A config posting to `url`.
    public init(url: String, secret: String? = nil, headers: [String: String] = [:]) {
        self.url = url
        self.secret = secret
        self.headers = headers
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case url, secret, headers
    }

    public init(from decoder: any Decoder) throws {
        try ConfigDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decode(String.self, forKey: .url)
        secret = try c.decodeIfPresent(String.self, forKey: .secret)
        headers = try c.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(url, forKey: .url)
        try c.encodeIfPresent(secret, forKey: .secret)
        if !headers.isEmpty { try c.encode(headers, forKey: .headers) }
    }

    /// Header names a config may not set (lower-cased): the ones the sender writes itself.
    static let reservedHeaders: Set<String> = [
        "content-type", "content-length", "host", "expect", "transfer-encoding", "connection",
        "x-knocker-signature", "x-knocker-timestamp", "x-knocker-event",
    ]

    /// Every problem with this config, in field order; empty when it is valid.
    public func validate() -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        if let problem = ChannelConfigChecks.httpURLProblem(url) {
            issues.append(ConfigIssue(field: "url", message: problem))
        }
        if let secret {
            if secret.isEmpty {
                issues.append(ConfigIssue(field: "secret", message: "must not be empty; leave it out instead"))
            } else if secret.utf8.count > 1024 {
                issues.append(
                    ConfigIssue(field: "secret", message: "must be at most 1024 bytes (got \(secret.utf8.count))")
                )
            }
        }
        if headers.count > 50 {
            issues.append(ConfigIssue(field: "headers", message: "must have at most 50 entries (got \(headers.count))"))
        }
        for name in headers.keys.sorted() {
            let field = "headers.\(name)"
            if name.isEmpty || !name.unicodeScalars.allSatisfy(HTTPMonitorConfig.isTokenCharacter) {
                issues.append(
                    ConfigIssue(
                        field: field,
                        message:
                            "header name must be a token (letters, digits and !#$%&'*+-.^_`|~) (got \(quoted(name)))"
                    )
                )
            } else if Self.reservedHeaders.contains(name.lowercased()) {
                issues.append(ConfigIssue(field: field, message: "is set by Knocker and cannot be overridden"))
            }
            if let value = headers[name] {
                if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
                    issues.append(
                        ConfigIssue(field: field, message: "header value must not contain CR, LF or NUL characters")
                    )
                } else if value.utf8.count > 8192 {
                    issues.append(ConfigIssue(field: field, message: "header value must be at most 8192 bytes"))
                }
            }
        }
        return issues
    }

    /// The config with the secret, the URL's password and query, and every header value masked (they often hold
    /// tokens).
    public func masked() -> WebhookChannelConfig {
        WebhookChannelConfig(
            url: ChannelConfigChecks.maskURL(url, maskLastSegment: false),
            secret: secret.map { _ in ChannelConfigChecks.mask },
            headers: headers.mapValues { _ in ChannelConfigChecks.mask }
        )
    }
}

/// The generic webhook request: a stable JSON document, optionally signed.
///
/// Body (every key always present, in this order; `null` where a fact is unknown or, for `test`, absent):
///
/// ```json
/// {"version":1,"event":"monitor.down","title":"api is DOWN","text":"Monitor: api\n…",
///  "monitor":{"id":"123","name":"api"},"region":"eu-west","status":"down","latency_ms":120,
///  "checked_at":"2026-12-04T18:03:44Z","detail":"HTTP status code: 503","incident_id":"456"}
/// ```
///
/// `event` is `monitor.down`, `monitor.up` or `test`; `status` is `up`, `down`, `timeout` or `degraded`; IDs are
/// decimal strings (as in the REST API); `monitor.id` is null when unknown, `monitor` is null for `test`.
///
/// Headers: `Content-Type: application/json`, `X-Knocker-Event: <event>`, `X-Knocker-Timestamp: <unix seconds>`
/// and, with a secret, `X-Knocker-Signature: sha256=<hex>` where `<hex>` is the lower-case hex HMAC-SHA256, keyed
/// with the secret's UTF-8 bytes, of `<timestamp>.<body>` (the timestamp header's value, a full stop, the raw body
/// bytes). Receivers should recompute it over the raw body, compare in constant time and reject timestamps more
/// than a few minutes old to stop replays.
public enum WebhookPayload {
    /// The body for `message`.
    static func json(for message: NotificationMessage) -> [UInt8] {
        let monitor: String
        if message.event == .test {
            monitor = "null"
        } else {
            monitor = NotifyText.object([
                ("id", NotifyText.string(message.monitorID.map(String.init))),
                ("name", JSONText.quote(message.monitorName)),
            ])
        }
        let isTest = message.event == .test
        let payload = NotifyText.object([
            ("version", "1"),
            ("event", JSONText.quote(message.event.rawValue)),
            ("title", JSONText.quote(message.title)),
            ("text", JSONText.quote(message.body)),
            ("monitor", monitor),
            ("region", isTest || message.regionName.isEmpty ? "null" : JSONText.quote(message.regionName)),
            ("status", NotifyText.string(message.status?.rawValue)),
            ("latency_ms", isTest ? "null" : String(message.latencyMs)),
            ("checked_at", JSONText.quote(Timestamp.rfc3339(message.checkedAt))),
            ("detail", NotifyText.string(message.detail)),
            ("incident_id", NotifyText.string(message.incidentID.map(String.init))),
        ])
        return Array(payload.utf8)
    }

    /// `sha256=<lower-case hex HMAC-SHA256 of "<timestamp>.<body>" keyed with secret>`.
    public static func signature(secret: String, timestamp: Int64, body: [UInt8]) -> String {
        let signed = Array("\(timestamp).".utf8) + body
        return "sha256=" + Digest.hex(Digest.hmacSHA256(key: Array(secret.utf8), message: signed))
    }

    /// The request header lines: the fixed ones, the signature when there is a secret, then the config's extra
    /// headers sorted by name.
    static func headers(
        config: WebhookChannelConfig,
        event: NotificationEvent,
        timestamp: Int64,
        body: [UInt8]
    )
        -> [String]
    {
        var lines = [
            "Content-Type: application/json",
            "X-Knocker-Event: \(event.rawValue)",
            "X-Knocker-Timestamp: \(timestamp)",
        ]
        if let secret = config.secret {
            lines.append("X-Knocker-Signature: \(signature(secret: secret, timestamp: timestamp, body: body))")
        }
        for name in config.headers.keys.sorted() {
            lines.append("\(name): \(config.headers[name] ?? "")")
        }
        return lines
    }
}
