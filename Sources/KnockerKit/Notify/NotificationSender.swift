import Foundation

/// What a channel's server answered to a delivered notification.
public struct DeliveryReceipt: Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status (2xx), or the SMTP reply code to the message data (250).
    public var statusCode: Int
    /// A short answer: the first line of the response body (at most 200 characters; may be empty), or the SMTP
    /// server's last reply line.
    public var answer: String
    /// True for SMTP deliveries.
    public var isSMTP: Bool

    /// A receipt for `statusCode` with `answer`.
    public init(statusCode: Int, answer: String, isSMTP: Bool) {
        self.statusCode = statusCode
        self.answer = answer
        self.isSMTP = isSMTP
    }

    /// `HTTP 200: ok`, `HTTP 204`, `SMTP 250 OK`.
    public var description: String {
        if isSMTP { return answer.isEmpty ? "SMTP \(statusCode)" : "SMTP \(answer)" }
        return answer.isEmpty ? "HTTP \(statusCode)" : "HTTP \(statusCode): \(answer)"
    }

    /// A sentence for people, worded like ``NotificationError``'s descriptions: `the server answered HTTP 200: ok`,
    /// `the server answered SMTP 250 OK`.
    public var summary: String { "the server answered \(description)" }
}

/// Why a notification was not delivered. Descriptions never contain secrets (tokens, passwords, URLs).
public enum NotificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The channel's config does not validate.
    case invalidConfig([ConfigIssue])
    /// The server answered with a non-2xx HTTP status; `body` is the start of its answer (at most 1 KiB).
    case httpStatus(code: Int, body: String)
    /// No complete answer within the sender's timeout.
    case timeout(milliseconds: Int)
    /// The server could not be reached: name resolution or connecting failed.
    case connection(String)
    /// TLS failed: the server's certificate was not accepted (`TLS certificate problem: …`) or the handshake
    /// failed (`TLS handshake failed: …`). The text is the whole description.
    case tls(String)
    /// The SMTP server did not take the message (no STARTTLS while required, login refused, a sender or
    /// recipient refused…); `code` is its refusal's reply code (0 when there is none), `message` the whole
    /// description: `the server refused the message: 550 5.1.1 no such user`.
    case smtp(code: Int, message: String)
    /// The transfer did not run: the sender is shut down or libcurl failed.
    case unavailable(String)
    /// The calling task was cancelled (shutdown, deadline) before the server answered; the transfer was aborted
    /// or never started. The server may have received the request, but nothing is known of its answer.
    case cancelled

    /// True when trying again later may succeed: timeouts, connection and TLS failures (a certificate may be
    /// renewed), cancellations, HTTP 408, 429 and 5xx, SMTP 4xx replies and refusals without a reply code. An
    /// invalid config, another 4xx or an SMTP 5xx will fail again.
    public var isRetryable: Bool {
        switch self {
        case .invalidConfig: false
        case .httpStatus(let code, _): code == 408 || code == 429 || code >= 500
        case .timeout, .connection, .tls, .unavailable, .cancelled: true
        case .smtp(let code, _): code < 500
        }
    }

    public var description: String {
        switch self {
        case .invalidConfig(let issues): NotificationConfigError(issues: issues).description
        case .httpStatus(let code, let body):
            body.isEmpty ? "the server answered HTTP \(code)" : "the server answered HTTP \(code): \(body)"
        case .timeout(let milliseconds): "no answer within \(DurationText.format(.milliseconds(milliseconds)))"
        case .connection(let detail): "could not reach the server: \(detail)"
        case .tls(let text): text
        case .smtp(_, let message): message
        case .unavailable(let detail): "not sent: \(detail)"
        case .cancelled: "cancelled before the server answered"
        }
    }

    /// The ``tls(_:)`` error for libcurl's `detail` of a TLS failure, worded as the check engine words them for HTTP
    /// checks (``HTTPCheck/tlsMessage(_:)``): certificate problems as such, other failures as
    /// `TLS handshake failed: …`.
    static func tlsFailure(detail: String, isCertificate: Bool) -> NotificationError {
        if isCertificate && !detail.localizedCaseInsensitiveContains("certificate") {
            return .tls("TLS certificate problem: \(detail)")
        }
        return .tls(HTTPCheck.tlsMessage(detail))
    }
}

/// Delivers notifications through their channels: Discord, Telegram and Slack webhooks, generic JSON webhooks
/// and email over SMTP.
///
/// Each delivery is one blocking libcurl transfer on a thread pool the sender owns (`knocker-notify-N`), so a slow
/// or hanging channel holds one of those threads for at most the timeout (or until the delivering task is
/// cancelled) and never touches the cooperative pool or the check loops. Requests are one-shot: no redirects are
/// followed, nothing is retried (the dispatching queue retries), connections are not reused. HTTP bodies are read
/// up to 1 KiB.
public final class NotificationSender: Sendable {
    /// Deliveries one sender runs at once by default (each holds a thread while its transfer runs).
    public static let defaultThreads = 16

    /// Default longest time one delivery may take, connecting included.
    public static let defaultTimeout: Duration = .seconds(10)
    /// Most response body bytes kept (for error messages and receipts).
    public static let maxResponseBytes = 1024

    private let pool: BlockingThreadPool
    private let timeoutMilliseconds: Int
    private let telegramAPIBase: String
    private let caFile: String?
    private let now: @Sendable () -> Date

    /// A sender with `threads` delivery threads.
    /// - Parameters:
    ///   - threads: deliveries that may run at once (at least 1); more wait their turn.
    ///   - timeout: longest one delivery may take, connecting included (at least 1 ms).
    ///   - telegramAPIBase: the Telegram Bot API's base URL (tests point it at a local server).
    ///   - caFile: a PEM file of CA certificates HTTPS and SMTP servers are verified against instead of the
    ///     system's (`NOTIFICATION_CA_FILE`); nil for the system store.
    ///   - now: the clock for webhook timestamps and email `Date` headers.
    public init(
        threads: Int = NotificationSender.defaultThreads,
        timeout: Duration = NotificationSender.defaultTimeout,
        telegramAPIBase: String = "https://api.telegram.org",
        caFile: String? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        pool = BlockingThreadPool(name: "knocker-notify", threads: threads)
        timeoutMilliseconds = Int(clamping: max(1, min(timeout.wholeMilliseconds, 86_400_000)))
        self.telegramAPIBase = telegramAPIBase
        self.caFile = caFile
        self.now = now
    }

    /// Lets running deliveries finish, refuses new ones, and stops the threads.
    public func shutdown() {
        pool.shutdown()
    }

    /// Delivers `message` through `channel` and returns the server's answer.
    /// - Throws: ``NotificationError``: the config is invalid, the server refused or did not answer in time, or
    ///   the sender is shut down. Cancelling the calling task drops a delivery that has not started yet and aborts
    ///   one already running (its connection is closed at once); either throws ``NotificationError/cancelled``.
    public func send(
        _ message: NotificationMessage,
        via channel: NotificationChannel
    ) async throws(NotificationError)
        -> DeliveryReceipt
    {
        let issues = channel.config.validate()
        guard issues.isEmpty else { throw .invalidConfig(issues) }
        let request = transferRequest(for: message, via: channel)
        let cancellation = CurlTransferCancellation()
        let result: Result<CurlTransferResponse, CurlTransferFailure>
        do {
            result = try await pool.run(
                onCancel: { cancellation.cancel() },
                { request.perform(cancellation: cancellation) }
            )
        } catch is CancellationError {
            throw .cancelled
        } catch {
            throw .unavailable(String(describing: error))
        }
        return try Self.receipt(result, timeoutMilliseconds: timeoutMilliseconds, isMail: channel.type == .email)
    }

    /// The transfer that delivers `message` through `channel` (the config is assumed valid).
    func transferRequest(for message: NotificationMessage, via channel: NotificationChannel) -> CurlTransferRequest {
        let agent = "Knocker/\(Knocker.version)"
        func post(
            _ url: String,
            _ body: [UInt8],
            _ headers: [String] = ["Content-Type: application/json"]
        )
            -> CurlTransferRequest
        {
            CurlTransferRequest(
                url: url,
                operation: .post(body: body, headers: headers),
                timeoutMilliseconds: timeoutMilliseconds,
                userAgent: agent,
                maxResponseBytes: Self.maxResponseBytes,
                caFile: caFile
            )
        }
        switch channel.config {
        case .discord(let config):
            return post(config.webhookURL, DiscordPayload.json(for: message, channelName: channel.name))
        case .telegram(let config):
            let url = TelegramPayload.url(base: telegramAPIBase, botToken: config.botToken)
            return post(url, TelegramPayload.json(for: message, chatID: config.chatID))
        case .slack(let config):
            return post(config.webhookURL, SlackPayload.json(for: message))
        case .webhook(let config):
            let body = WebhookPayload.json(for: message)
            let timestamp = Int64(floor(now().timeIntervalSince1970))
            let headers = WebhookPayload.headers(config: config, event: message.event, timestamp: timestamp, body: body)
            return post(config.url, body, headers)
        case .email(let config):
            let date = now()
            let data = EmailPayload.message(
                for: message,
                config: config,
                date: date,
                messageID: EmailPayload.messageID(for: message, channelID: channel.id, from: config.from, date: date)
            )
            let tls: CurlTransferRequest.MailTLS
            switch config.startTLS {
            case .required: tls = .required
            case .optional: tls = .optional
            case .off: tls = .off
            }
            return CurlTransferRequest(
                url: config.smtpURL,
                operation: .mail(from: config.from, recipients: config.to, message: data, tls: tls),
                timeoutMilliseconds: timeoutMilliseconds,
                username: config.username,
                password: config.password,
                maxResponseBytes: Self.maxResponseBytes,
                caFile: caFile
            )
        }
    }

    /// The receipt for a finished transfer, or the error it amounts to.
    static func receipt(
        _ result: Result<CurlTransferResponse, CurlTransferFailure>,
        timeoutMilliseconds: Int,
        isMail: Bool
    ) throws(NotificationError) -> DeliveryReceipt {
        switch result {
        case .success(let response) where isMail:
            // The connection is not reused, so the QUIT exchange ("221 Bye") ends the transfer; the answer wanted is
            // the reply to the message data before it.
            let answer = response.replyLines.last { !$0.hasPrefix("221") } ?? ""
            return DeliveryReceipt(statusCode: response.code, answer: answer, isSMTP: true)
        case .success(let response):
            let text = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard (200...299).contains(response.code) else {
                throw .httpStatus(code: response.code, body: text + (response.bodyTruncated ? "…" : ""))
            }
            let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            return DeliveryReceipt(
                statusCode: response.code,
                answer: NotifyText.truncated(firstLine, to: 200),
                isSMTP: false
            )
        case .failure(let failure):
            switch failure.reason {
            case .timeout: throw .timeout(milliseconds: timeoutMilliseconds)
            case .dns, .connect: throw .connection(failure.message)
            case .tls: throw .tlsFailure(detail: failure.message, isCertificate: false)
            case .certificate: throw .tlsFailure(detail: failure.message, isCertificate: true)
            case .cancelled: throw .cancelled
            case .startTLSUnavailable:
                throw .smtp(code: 0, message: "the server does not offer STARTTLS, which starttls \"required\" demands")
            case .login: throw .smtp(code: failure.code, message: "the server refused the login: \(failure.message)")
            case .rejected:
                throw .smtp(code: failure.code, message: "the server refused the message: \(failure.message)")
            case .setup: throw .unavailable(failure.message)
            case .other:
                if isMail {
                    throw .smtp(code: failure.code, message: "the SMTP exchange failed: \(failure.message)")
                }
                throw .connection(failure.message)
            }
        }
    }
}
