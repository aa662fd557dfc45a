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
}

/// Why a notification was not delivered. Descriptions never contain secrets (tokens, passwords, URLs).
public enum NotificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The channel's config does not validate.
    case invalidConfig([ConfigIssue])
    /// The server answered with a non-2xx HTTP status; `body` is the start of its answer (at most 1 KiB).
    case httpStatus(code: Int, body: String)
    /// No complete answer within the sender's timeout.
    case timeout(milliseconds: Int)
    /// The server could not be reached: name resolution, connection or TLS failed.
    case connection(String)
    /// The SMTP server did not take the message (no STARTTLS while required, login refused, a sender or
    /// recipient refused…); `code` is its last reply code (0 when none).
    case smtp(code: Int, message: String)
    /// The transfer did not run: the sender is shut down, the task was cancelled, or libcurl failed.
    case unavailable(String)

    /// True when trying again later may succeed: timeouts, connection failures, HTTP 408, 429 and 5xx, SMTP 4xx
    /// replies and refusals without a reply code. An invalid config, another 4xx or an SMTP 5xx will fail again.
    public var isRetryable: Bool {
        switch self {
        case .invalidConfig: false
        case .httpStatus(let code, _): code == 408 || code == 429 || code >= 500
        case .timeout, .connection, .unavailable: true
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
        case .smtp(let code, let message): code > 0 ? "SMTP \(code): \(message)" : "SMTP: \(message)"
        case .unavailable(let detail): "not sent: \(detail)"
        }
    }
}

/// Delivers notifications through their channels: Discord, Telegram and Slack webhooks, generic JSON webhooks
/// and email over SMTP.
///
/// Each delivery is one blocking libcurl transfer on a thread pool the sender owns (`knocker-notify-N`), so a slow
/// or hanging channel holds one of those threads for at most the timeout and never touches the cooperative pool
/// or the check loops. Requests are one-shot: no redirects are followed, nothing is retried (the dispatching
/// queue retries), connections are not reused. HTTP bodies are read up to 1 KiB.
public final class NotificationSender: Sendable {
    /// Default longest time one delivery may take, connecting included.
    public static let defaultTimeout: Duration = .seconds(10)
    /// Most response body bytes kept (for error messages and receipts).
    public static let maxResponseBytes = 1024

    private let pool: BlockingThreadPool
    private let timeoutMilliseconds: Int
    private let telegramAPIBase: String
    private let now: @Sendable () -> Date

    /// A sender with `threads` delivery threads.
    /// - Parameters:
    ///   - threads: deliveries that may run at once (at least 1); more wait their turn.
    ///   - timeout: longest one delivery may take, connecting included (at least 1 ms).
    ///   - telegramAPIBase: the Telegram Bot API's base URL (tests point it at a local server).
    ///   - now: the clock for webhook timestamps and email `Date` headers.
    public init(
        threads: Int = 4,
        timeout: Duration = NotificationSender.defaultTimeout,
        telegramAPIBase: String = "https://api.telegram.org",
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        pool = BlockingThreadPool(name: "knocker-notify", threads: threads)
        timeoutMilliseconds = Int(clamping: max(1, min(timeout.wholeMilliseconds, 86_400_000)))
        self.telegramAPIBase = telegramAPIBase
        self.now = now
    }

    /// Lets running deliveries finish, refuses new ones, and stops the threads.
    public func shutdown() {
        pool.shutdown()
    }

    /// Delivers `message` through `channel` and returns the server's answer.
    /// - Throws: ``NotificationError``: the config is invalid, the server refused or did not answer in time, or
    ///   the sender is shut down. Cancelling the calling task drops a delivery that has not started yet; one
    ///   already running ends at the timeout.
    public func send(
        _ message: NotificationMessage,
        via channel: NotificationChannel
    ) async throws(NotificationError)
        -> DeliveryReceipt
    {
        let issues = channel.config.validate()
        guard issues.isEmpty else { throw .invalidConfig(issues) }
        let request = transferRequest(for: message, via: channel)
        let result: Result<CurlTransferResponse, CurlTransferFailure>
        do {
            result = try await pool.run { request.perform() }
        } catch is CancellationError {
            throw .unavailable("cancelled")
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
                maxResponseBytes: Self.maxResponseBytes
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
                messageID: EmailPayload.newMessageID(from: config.from, date: date)
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
                maxResponseBytes: Self.maxResponseBytes
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
            case .dns, .connect, .tls: throw .connection(failure.message)
            case .startTLSUnavailable:
                throw .smtp(
                    code: failure.code,
                    message:
                        "the server does not offer STARTTLS, which starttls \"required\" demands (\(failure.message))"
                )
            case .login, .rejected: throw .smtp(code: failure.code, message: failure.message)
            case .setup: throw .unavailable(failure.message)
            case .other:
                if isMail { throw .smtp(code: failure.code, message: failure.message) }
                throw .connection(failure.message)
            }
        }
    }
}
