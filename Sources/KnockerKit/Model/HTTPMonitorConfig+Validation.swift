import Foundation

extension HTTPMonitorConfig {
    /// Largest request `body`, bytes (as the original: 1,000,000).
    public static let maxRequestBodyBytes = 1_000_000

    /// Every problem with this config, in field order; empty when it is valid.
    public func validate() -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        func add(_ field: String, _ message: String) { issues.append(ConfigIssue(field: field, message: message)) }

        if let problem = Self.urlProblem(url) { add("url", problem) }
        if !Self.methods.contains(method) {
            add("method", "must be one of \(Self.methods.joined(separator: ", ")) (got \(quoted(method)))")
        }
        if !(0...1000).contains(maxRedirects) {
            add("max_redirects", "must be between 0 and 1000 (got \(maxRedirects))")
        }
        if !(1...300).contains(requestTimeout) {
            add("request_timeout", "must be between 1 and 300 seconds (got \(requestTimeout))")
        }
        for name in headers.keys.sorted() {
            let field = "headers.\(name)"
            if name.isEmpty || !name.unicodeScalars.allSatisfy(Self.isTokenCharacter) {
                add(field, "header name must be a token (letters, digits and !#$%&'*+-.^_`|~) (got \(quoted(name)))")
            }
            if let value = headers[name],
                value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" })
            {
                add(field, "header value must not contain CR, LF or NUL characters")
            }
            if name.lowercased() == "authorization" && (basicAuth != nil || bearerToken != nil) {
                add(field, "must not be set together with basic_auth or bearer_token")
            }
        }
        if let encoding = bodyEncoding, encoding != "json" && encoding != "xml" {
            add("body_encoding", "must be json or xml (got \(quoted(encoding)))")
        }
        if let body {
            if body.utf8.count > Self.maxRequestBodyBytes {
                add("body", "must be at most 1000000 bytes (got \(body.utf8.count))")
            }
            if !Self.methodsWithBody.contains(method) {
                add(
                    "body",
                    "is not allowed with method \(method); use one of \(Self.methodsWithBody.joined(separator: ", "))"
                )
            }
            if bodyEncoding == "json",
                (try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])) == nil
            {
                add("body", "must be valid JSON because body_encoding is json")
            }
        }
        for (index, code) in acceptedStatusCodes.enumerated() where !(100...599).contains(code) {
            add("accepted_status_codes[\(index)]", "must be a status code between 100 and 599 (got \(code))")
        }
        for (index, assertion) in assertions.enumerated() {
            issues += assertion.validate(prefix: "assertions[\(index)]")
        }
        if let degradedAfterMs {
            if degradedAfterMs <= 0 {
                add("degraded_after_ms", "must be greater than 0 (got \(degradedAfterMs))")
            } else if (1...300).contains(requestTimeout), degradedAfterMs >= requestTimeout * 1000 {
                add(
                    "degraded_after_ms",
                    "must be less than request_timeout (\(requestTimeout * 1000) ms) (got \(degradedAfterMs))"
                )
            }
        }
        if let basicAuth {
            if basicAuth.username.isEmpty {
                add("basic_auth.username", "must not be empty")
            } else if basicAuth.username.contains(":") {
                add("basic_auth.username", "must not contain \":\"")
            }
            if (basicAuth.username + basicAuth.password).contains(where: { $0.isNewline || $0 == "\0" }) {
                add("basic_auth", "username and password must not contain line breaks or NUL characters")
            }
        }
        if let bearerToken {
            if bearerToken.isEmpty {
                add("bearer_token", "must not be empty")
            } else if bearerToken.contains(where: { $0.isWhitespace || $0 == "\0" }) {
                add("bearer_token", "must not contain spaces, line breaks or NUL characters")
            }
            if basicAuth != nil { add("bearer_token", "must not be set together with basic_auth") }
        }
        if let expectedTLSDays {
            if !(1...3650).contains(expectedTLSDays) {
                add("expected_tls_days", "must be between 1 and 3650 days (got \(expectedTLSDays))")
            } else if !url.lowercased().hasPrefix("https://") {
                add("expected_tls_days", "only applies to https:// URLs")
            }
        }
        if !(1...67_108_864).contains(maxBodyBytes) {
            add("max_body_bytes", "must be between 1 and 67108864 (64 MiB) (got \(maxBodyBytes))")
        }
        return issues
    }

    /// Why `url` is not an http(s) URL with a valid host, or `nil`.
    static func urlProblem(_ url: String) -> String? {
        if url.isEmpty { return "is required" }
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            return "must start with http:// or https:// (got \(quoted(url)))"
        }
        if url.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }) {
            return "must not contain spaces or control characters (got \(quoted(url)))"
        }
        guard let components = URLComponents(string: url) else { return "is not a valid URL (got \(quoted(url)))" }
        guard var host = components.host, !host.isEmpty else { return "must include a host (got \(quoted(url)))" }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if let problem = HostAddress.problem(with: host) { return "host \(problem)" }
        return nil
    }

    /// RFC 9110 `tchar`.
    static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return false }
        let value = scalar.value
        if (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) {
            return true
        }
        return "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar)
    }
}
