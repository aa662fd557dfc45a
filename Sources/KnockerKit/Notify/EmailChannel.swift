import Foundation

/// Config of an `email` channel: an SMTP server to submit through, the sender and the recipients.
///
/// ```json
/// {"smtp_url": "smtp://mail.example.com:587", "username": "alerts", "password": "s3cret",
///  "from": "alerts@example.com", "from_name": "Knocker", "to": ["ops@example.com"], "starttls": "required"}
/// {"smtp_url": "smtps://mail.example.com:465", "from": "alerts@example.com", "to": ["ops@example.com"]}
/// ```
///
/// `smtp_url` is `smtp://host[:port]` (default port 25; plain text upgraded with STARTTLS as `starttls` says) or
/// `smtps://host[:port]` (default port 465; TLS from the first byte). `starttls`: `required` (default: fail
/// unless the server offers STARTTLS), `optional` (upgrade when offered) or `off` (never; only for a trusted
/// local relay). Certificates are always verified. `username` and `password` log in (SMTP AUTH) and need TLS:
/// `smtps://` or `starttls` `required`. `from` and each of `to` (1–50) are bare addresses (`ops@example.com`);
/// `from_name` is the sender's display name (default `Knocker`).
public struct EmailChannelConfig: Codable, Sendable, Equatable {
    /// How an `smtp://` connection uses STARTTLS.
    public enum StartTLS: String, Codable, Sendable, Equatable, CaseIterable {
        /// Upgrade or fail.
        case required
        /// Upgrade when the server offers it.
        case optional
        /// Never upgrade.
        case off
    }

    /// Most recipients.
    public static let maxRecipients = 50

    /// `smtp://host[:port]` or `smtps://host[:port]`.
    public var smtpURL: String
    /// SMTP AUTH login name.
    public var username: String?
    /// SMTP AUTH password (a secret).
    public var password: String?
    /// The sender address (envelope and `From:`).
    public var from: String
    /// The sender's display name.
    public var fromName: String
    /// The recipient addresses.
    public var to: [String]
    /// STARTTLS policy for `smtp://`.
    public var startTLS: StartTLS

    /// A config submitting through `smtpURL` from `from` to `to`.
    public init(
        smtpURL: String,
        username: String? = nil,
        password: String? = nil,
        from: String,
        fromName: String = "Knocker",
        to: [String],
        startTLS: StartTLS = .required
    ) {
        self.smtpURL = smtpURL
        self.username = username
        self.password = password
        self.from = from
        self.fromName = fromName
        self.to = to
        self.startTLS = startTLS
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case username, password, from, to
        case smtpURL = "smtp_url"
        case fromName = "from_name"
        case startTLS = "starttls"
    }

    public init(from decoder: any Decoder) throws {
        try ConfigDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        smtpURL = try c.decode(String.self, forKey: .smtpURL)
        username = try c.decodeIfPresent(String.self, forKey: .username)
        password = try c.decodeIfPresent(String.self, forKey: .password)
        from = try c.decode(String.self, forKey: .from)
        fromName = try c.decodeIfPresent(String.self, forKey: .fromName) ?? "Knocker"
        to = try c.decode([String].self, forKey: .to)
        let policy = try c.decodeIfPresent(String.self, forKey: .startTLS) ?? StartTLS.required.rawValue
        guard let parsed = StartTLS(rawValue: policy) else {
            throw ConfigDecodingError(issues: [
                ConfigIssue(
                    field: ConfigDecoding.path(decoder.codingPath + [CodingKeys.startTLS]),
                    message: "must be required, optional or off (got \(quoted(policy)))"
                )
            ])
        }
        startTLS = parsed
    }

    /// True for `smtps://` URLs (TLS from the first byte).
    var isImplicitTLS: Bool { smtpURL.lowercased().hasPrefix("smtps://") }

    /// Every problem with this config, in field order; empty when it is valid.
    public func validate() -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        func add(_ field: String, _ message: String) { issues.append(ConfigIssue(field: field, message: message)) }

        if let problem = Self.smtpURLProblem(smtpURL) { add("smtp_url", problem) }
        if let username {
            if username.isEmpty {
                add("username", "must not be empty; leave it out instead")
            } else if username.contains(where: { $0.isNewline || $0 == "\0" }) {
                add("username", "must not contain line breaks or NUL characters")
            }
        }
        if let password {
            if username == nil { add("password", "needs a username") }
            if password.contains(where: { $0.isNewline || $0 == "\0" }) {
                add("password", "must not contain line breaks or NUL characters")
            }
            if !isImplicitTLS && startTLS != .required {
                add("password", "is only sent over TLS: use an smtps:// URL or starttls \"required\"")
            }
        }
        if let problem = Self.addressProblem(from) { add("from", problem) }
        if fromName.count > 255 || fromName.contains(where: { $0.isNewline || $0 == "\0" }) {
            add("from_name", "must be at most 255 characters without line breaks")
        }
        if to.isEmpty {
            add("to", "must list at least one address")
        } else if to.count > Self.maxRecipients {
            add("to", "must list at most \(Self.maxRecipients) addresses (got \(to.count))")
        }
        for (index, address) in to.enumerated() {
            if let problem = Self.addressProblem(address) { add("to[\(index)]", problem) }
        }
        if isImplicitTLS && startTLS == .off {
            add("starttls", "cannot be off with smtps://, which always uses TLS; use smtp:// for a plain connection")
        }
        return issues
    }

    /// Why `url` is not `smtp(s)://host[:port]`, or nil.
    static func smtpURLProblem(_ url: String) -> String? {
        if url.isEmpty { return "is required" }
        let lower = url.lowercased()
        guard lower.hasPrefix("smtp://") || lower.hasPrefix("smtps://") else {
            return "must start with smtp:// or smtps:// (got \(quoted(url)))"
        }
        if url.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }) {
            return "must not contain spaces or control characters (got \(quoted(url)))"
        }
        guard let components = URLComponents(string: url) else { return "is not a valid URL (got \(quoted(url)))" }
        if components.user != nil || components.password != nil {
            return "must not contain credentials; use username and password"
        }
        if components.query != nil || components.fragment != nil || !(components.path.isEmpty || components.path == "/")
        {
            return "must be smtp://host[:port] or smtps://host[:port] without a path (got \(quoted(url)))"
        }
        guard var host = components.host, !host.isEmpty else { return "must include a host (got \(quoted(url)))" }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if let problem = HostAddress.problem(with: host) { return "host \(problem)" }
        if let port = components.port, !(1...65535).contains(port) {
            return "port must be between 1 and 65535 (got \(port))"
        }
        return nil
    }

    /// Why `address` is not a bare ASCII `local@domain` address, or nil.
    static func addressProblem(_ address: String) -> String? {
        if address.isEmpty { return "is required" }
        guard let at = address.lastIndex(of: "@") else {
            return "must be an address like ops@example.com (got \(quoted(address)))"
        }
        let local = address[..<at]
        let domain = String(address[address.index(after: at)...])
        let forbidden = Set(" \t\"(),:;<>[\\]@")
        guard address.utf8.count <= 254, !local.isEmpty, local.utf8.count <= 64,
            address.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value != 0x7F }),
            !local.contains(where: forbidden.contains)
        else {
            return "must be a bare ASCII address like ops@example.com, without a display name (got \(quoted(address)))"
        }
        if let problem = HostAddress.problem(with: domain) { return "domain \(problem)" }
        return nil
    }

    /// The config with the password masked.
    public func masked() -> EmailChannelConfig {
        var copy = self
        copy.password = password.map { _ in ChannelConfigChecks.mask }
        return copy
    }
}

/// The RFC 5322 message an email channel submits.
enum EmailPayload {
    /// The message for `notification`, CRLF line ends:
    ///
    /// ```text
    /// From: Knocker <alerts@example.com>
    /// To: ops@example.com, oncall@example.com
    /// Subject: api is DOWN
    /// Date: Fri, 04 Dec 2026 18:03:44 +0000
    /// Message-ID: <…@example.com>
    /// MIME-Version: 1.0
    /// Content-Type: text/plain; charset=utf-8
    /// Content-Transfer-Encoding: 7bit
    /// X-Knocker-Event: monitor.down
    ///
    /// Monitor: api
    /// …
    /// ```
    ///
    /// Non-ASCII in the subject or display name becomes RFC 2047 `=?utf-8?B?…?=` words; a body that is not
    /// plain ASCII with lines of at most 998 bytes is sent quoted-printable. Dot-stuffing is libcurl's job.
    static func message(
        for notification: NotificationMessage,
        config: EmailChannelConfig,
        date: Date,
        messageID: String
    ) -> [UInt8] {
        let bodyLines = notification.body.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        let plain = bodyLines.allSatisfy { line in line.utf8.count <= 998 && line.utf8.allSatisfy { $0 < 0x80 } }
        let encodedBody: String
        if plain {
            encodedBody = bodyLines.joined(separator: "\r\n")
        } else {
            encodedBody = bodyLines.map(quotedPrintable).joined(separator: "\r\n")
        }
        let headers = [
            "From: \(displayName(config.fromName)) <\(config.from)>",
            "To: " + config.to.joined(separator: ", "),
            "Subject: " + headerText(notification.title),
            "Date: " + rfc5322Date(date),
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: " + (plain ? "7bit" : "quoted-printable"),
            "X-Knocker-Event: " + notification.event.rawValue,
        ]
        return Array((headers.joined(separator: "\r\n") + "\r\n\r\n" + encodedBody + "\r\n").utf8)
    }

    /// An unstructured header value: line breaks become spaces; printable ASCII stays as it is, anything else
    /// becomes RFC 2047 B-encoded words of at most 75 characters, folded onto continuation lines.
    static func headerText(_ text: String) -> String {
        let flat = String(text.map { $0.isNewline ? " " : $0 })
        if flat.unicodeScalars.allSatisfy({ $0.isASCII && ($0.value >= 0x20 && $0.value < 0x7F || $0 == "\t") }) {
            return flat
        }
        return encodedWords(flat)
    }

    /// `=?utf-8?B?…?=` words, each holding whole characters and at most 45 bytes of UTF-8 (60 base64 characters),
    /// joined by a fold (CRLF space).
    static func encodedWords(_ text: String) -> String {
        var words: [[UInt8]] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if !chunk.isEmpty && chunk.count + bytes.count > 45 {
                words.append(chunk)
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?utf-8?B?" + Data($0).base64EncodedString() + "?=" }.joined(separator: "\r\n ")
    }

    /// A display name as an atom sequence, a quoted string, or encoded words when it is not ASCII.
    static func displayName(_ name: String) -> String {
        let flat = String(name.map { $0.isNewline ? " " : $0 })
        guard flat.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }) else {
            return encodedWords(flat)
        }
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~ ")
        if !flat.isEmpty && flat.allSatisfy(atext.contains) { return flat }
        return "\"" + flat.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            + "\""
    }

    /// One line quoted-printable (RFC 2045): `=` and bytes outside printable ASCII as `=XX`, a space or tab at
    /// the end of the line as `=20` / `=09`, soft line breaks (`=` CRLF) keeping lines at most 76 characters.
    static func quotedPrintable(_ line: String) -> String {
        let bytes = Array(line.utf8)
        let hex = Array("0123456789ABCDEF")
        var out = ""
        var width = 0
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let token: String
            if (byte == 0x20 || byte == 0x09) && !isLast {
                token = String(UnicodeScalar(byte))
            } else if byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=") {
                token = String(UnicodeScalar(byte))
            } else {
                token = "=" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
            // Room for the token plus a soft break's "=" unless it is the line's last token.
            let limit = isLast ? 76 : 75
            if width + token.count > limit {
                out += "=\r\n"
                width = 0
            }
            out += token
            width += token.count
        }
        return out
    }

    /// `Fri, 04 Dec 2026 18:03:44 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        var seconds = time_t(floor(date.timeIntervalSince1970))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let day = days[Int(parts.tm_wday) % 7]
        let month = months[Int(parts.tm_mon) % 12]
        let time = [parts.tm_hour, parts.tm_min, parts.tm_sec].map { Timestamp.pad(Int($0), 2) }.joined(separator: ":")
        return "\(day), \(Timestamp.pad(Int(parts.tm_mday), 2)) \(month) \(Int(parts.tm_year) + 1900) \(time) +0000"
    }

    /// The Message-ID (without angle brackets) of `message` sent through channel `channelID`: for an incident's
    /// notification the same on every delivery of it (`knocker.incident-<id>.<down|up>.channel-<id>@<from domain>`),
    /// so a message sent again (a delivery aborted at shutdown and retried) is one message to mail systems that
    /// drop repeated Message-IDs; otherwise a fresh one (``newMessageID(from:date:)``).
    static func messageID(
        for message: NotificationMessage,
        channelID: Int64,
        from address: String,
        date: Date
    )
        -> String
    {
        guard let incident = message.incidentID, message.event != .test else {
            return newMessageID(from: address, date: date)
        }
        let kind = message.event == .monitorUp ? "up" : "down"
        let domain = address.split(separator: "@").last.map(String.init) ?? "knocker.invalid"
        return "knocker.incident-\(incident).\(kind).channel-\(channelID)@\(domain)"
    }

    /// A fresh Message-ID (without angle brackets): `knocker.<unix seconds>.<16 random hex digits>@<from domain>`.
    static func newMessageID(from address: String, date: Date) -> String {
        let domain = address.split(separator: "@").last.map(String.init) ?? "knocker.invalid"
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let padded = String(repeating: "0", count: 16 - random.count) + random
        return "knocker.\(Int64(floor(date.timeIntervalSince1970))).\(padded)@\(domain)"
    }
}
