import CCurl
import Foundation

/// Turns an `http` monitor config into a libcurl request, and a finished transfer into an ``HTTPCheckResult``.
enum HTTPCheck {
    /// The `User-Agent` of every check.
    static let userAgent = "Knocker/\(Knocker.version)"

    /// Sets up `easy` for `config`, trusting the CAs in `caFile` instead of the system store when given; returns a
    /// problem description when libcurl refuses a setting.
    static func configure(_ easy: CurlEasy, for config: HTTPMonitorConfig, caFile: String? = nil) -> String? {
        guard easy.set(CURLOPT_URL, config.url) == CURLE_OK else { return "invalid URL \(config.url)" }
        easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        easy.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        let method = config.method.uppercased()
        switch method {
        case "GET": easy.set(CURLOPT_HTTPGET, 1)
        case "HEAD": easy.set(CURLOPT_NOBODY, 1)
        case "POST": easy.set(CURLOPT_POST, 1)
        default: easy.set(CURLOPT_CUSTOMREQUEST, method)
        }
        if let body = config.body, method != "GET", method != "HEAD" {
            easy.setPostBody(body)
        } else if method == "POST" {
            easy.set(CURLOPT_POSTFIELDSIZE, 0)
        }
        // max_redirects 0 means "do not follow": the 3xx itself is the response checked.
        easy.set(CURLOPT_FOLLOWLOCATION, config.maxRedirects > 0 ? 1 : 0)
        if config.maxRedirects > 0 { easy.set(CURLOPT_MAXREDIRS, config.maxRedirects) }
        easy.set(CURLOPT_TIMEOUT_MS, max(1, config.requestTimeout) * 1000)
        if config.ignoreTLSError {
            easy.set(CURLOPT_SSL_VERIFYPEER, 0)
            easy.set(CURLOPT_SSL_VERIFYHOST, 0)
        } else if let caFile {
            easy.trustOnly(caFile: caFile)
        }
        if let auth = config.basicAuth {
            easy.set(CURLOPT_HTTPAUTH, 1)  // CURLAUTH_BASIC
            easy.set(CURLOPT_USERPWD, "\(auth.username):\(auth.password)")
        }
        if config.url.lowercased().hasPrefix("https:") { easy.set(CURLOPT_CERTINFO, 1) }
        easy.set(CURLOPT_FRESH_CONNECT, 1)
        easy.set(CURLOPT_FORBID_REUSE, 1)
        easy.set(CURLOPT_USERAGENT, userAgent)
        easy.setHeaders(headerLines(for: config))
        return nil
    }

    /// The request header lines: the config's, then Content-Type and Authorization unless given, and an empty
    /// `Expect:` so bodies are sent without waiting for `100 Continue`.
    static func headerLines(for config: HTTPMonitorConfig) -> [String] {
        var lines = config.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        let given = Set(config.headers.keys.map { $0.lowercased() })
        if config.body != nil, !given.contains("content-type") {
            switch config.bodyEncoding?.lowercased() {
            case "json": lines.append("Content-Type: application/json")
            case "xml": lines.append("Content-Type: application/xml")
            default: break
            }
        }
        if let token = config.bearerToken, !given.contains("authorization") {
            lines.append("Authorization: Bearer \(token)")
        }
        lines.append("Expect:")
        return lines
    }

    /// Reads the outcome of a finished transfer from `easy`.
    static func transfer(of easy: CurlEasy, code: CURLcode) -> HTTPTransfer {
        let timings = HTTPCheckResult.Timings(
            dns: .microseconds(easy.microseconds(CURLINFO_NAMELOOKUP_TIME_T)),
            connect: .microseconds(easy.microseconds(CURLINFO_CONNECT_TIME_T)),
            tls: .microseconds(easy.microseconds(CURLINFO_APPCONNECT_TIME_T)),
            firstByte: .microseconds(easy.microseconds(CURLINFO_STARTTRANSFER_TIME_T)),
            total: .microseconds(easy.microseconds(CURLINFO_TOTAL_TIME_T))
        )
        return HTTPTransfer(
            error: easy.transferError(code),
            statusCode: easy.info(CURLINFO_RESPONSE_CODE),
            timings: timings,
            body: easy.body.bytes,
            truncated: easy.body.truncated,
            certificateExpiry: easy.certificateExpiryText().flatMap(parseCertificateDate)
        )
    }

    /// Parses OpenSSL's certificate date text, `Mar  5 17:00:00 2027 GMT`.
    static func parseCertificateDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "MMM d HH:mm:ss yyyy"
        var words = text.split(whereSeparator: \.isWhitespace)
        if words.last == "GMT" { words.removeLast() }
        return formatter.date(from: words.joined(separator: " "))
    }

    /// Judges `transfer` against `config`: transport errors, status codes, assertions, upside-down mode, and
    /// `degraded_after_ms`.
    static func evaluate(_ transfer: HTTPTransfer, config: HTTPMonitorConfig) -> HTTPCheckResult {
        let total = transfer.timings.total.components
        var result = HTTPCheckResult(
            status: .successful,
            latencyMs: Int(total.seconds) * 1000 + Int(total.attoseconds / 1_000_000_000_000_000),
            timings: transfer.timings,
            statusCode: transfer.statusCode == 0 ? nil : transfer.statusCode,
            bodyBytes: transfer.body.count,
            bodyTruncated: transfer.truncated,
            certificateExpiry: transfer.certificateExpiry
        )
        if case .cancelled(let reason) = transfer.error {
            result.status = .failed
            result.message = reason
            return result
        }
        if let error = transfer.error {
            result.status = error == .timeout ? .timeout : .failed
            result.message = message(for: error, config: config)
        } else if let problem = responseProblem(transfer, config: config) {
            result.status = .failed
            result.message = problem
        }
        if config.upsideDownMode {
            if result.status == .successful {
                result.status = .failed
                result.message = "upside down mode: the check passed"
            } else {
                result.status = .successful
                result.message = result.message.map { "upside down mode: \($0)" }
            }
            return result
        }
        if let limit = config.degradedAfterMs, result.status == .successful, result.latencyMs > limit {
            result.status = .degraded
            result.message = "slow response: \(result.latencyMs) ms (degraded after \(limit) ms)"
        }
        return result
    }

    /// The human message for a transport failure.
    static func message(for error: CurlTransferError, config: HTTPMonitorConfig) -> String {
        switch error {
        case .dns: return "DNS lookup failed for host \(URL(string: config.url)?.host ?? config.url)"
        case .connectionRefused: return "connection refused"
        case .connect(let detail): return "connection failed: \(detail)"
        case .timeout: return "timed out after \(config.requestTimeout) s"
        case .tls(let detail): return tlsMessage(detail)
        case .tooManyRedirects: return "too many redirects (more than \(config.maxRedirects))"
        case .cancelled(let reason): return reason
        case .other(let detail): return detail
        }
    }

    /// The human message for a TLS failure from libcurl's `detail`: a certificate for another host is named plainly,
    /// other certificate failures are "TLS certificate problem: <detail>" (e.g. "certificate has expired"), and the
    /// rest (no shared protocol or cipher, the peer closing mid-handshake) "TLS handshake failed: <detail>".
    static func tlsMessage(_ detail: String) -> String {
        // OpenSSL builds: "SSL: no alternative certificate subject name matches target host name 'h'" and
        // "SSL: certificate subject name 'n' does not match target host name 'h'".
        if detail.contains("does not match target host name") || detail.contains("matches target host name") {
            let quoted = detail.split(separator: "'", omittingEmptySubsequences: false).dropLast().last
            let host = quoted.map(String.init) ?? "the checked host"
            return "TLS certificate is for another host: it does not name \(host)"
        }
        let prefix = "SSL certificate problem: "
        guard detail.hasPrefix(prefix) || detail.localizedCaseInsensitiveContains("certificate") else {
            return "TLS handshake failed: \(detail)"
        }
        let trimmed = detail.hasPrefix(prefix) ? String(detail.dropFirst(prefix.count)) : detail
        return "TLS certificate problem: \(trimmed)"
    }

    /// The first reason a complete response fails: its status code, then the assertions in order.
    static func responseProblem(_ transfer: HTTPTransfer, config: HTTPMonitorConfig) -> String? {
        let code = transfer.statusCode
        let accepted =
            config.acceptedStatusCodes.isEmpty ? (200..<300).contains(code) : config.acceptedStatusCodes.contains(code)
        guard accepted else { return "unexpected status \(code)" }
        if let days = config.expectedTLSDays, let expiry = transfer.certificateExpiry {
            let left = Int(expiry.timeIntervalSinceNow / 86_400)
            if left < days { return "TLS certificate expires in \(left) days (expected at least \(days))" }
        }
        guard !config.assertions.isEmpty else { return nil }
        let body = HTTPResponseBody(bytes: transfer.body)
        for assertion in config.assertions {
            if let failure = assertion.failure(on: body) { return failure }
        }
        return nil
    }
}
