/// Config of an `http` monitor. JSON keys are snake_case; the first eleven are the Go original's.
///
/// ```json
/// {"url": "https://example.com/health", "method": "GET", "max_redirects": 10, "request_timeout": 30,
///  "headers": {"Accept": "application/json"}, "upside_down_mode": false,
///  "certificate_expiry_notification": true, "ignore_tls_error": false, "accepted_status_codes": [200],
///  "assertions": [{"type": "json_path_equals", "path": "$.status", "value": "up"}],
///  "degraded_after_ms": 2000, "bearer_token": "s3cret", "expected_tls_days": 14, "max_body_bytes": 1048576}
/// ```
///
/// Defaults, applied when a key is missing or `null` (and for the Go front end's zero values where noted):
/// `method` GET; `max_redirects` 10 (an explicit 0 means *do not follow*, fixing the original's defect);
/// `request_timeout` 30 s (also for 0, which the original treated as "no timeout"); `headers` none; `body` and
/// `body_encoding` none (an empty string counts as none); flags false; `accepted_status_codes` empty (any 2xx);
/// `assertions` none; `max_body_bytes` 1 MiB. `degraded_after_ms`, `basic_auth`, `bearer_token` and
/// `expected_tls_days` are optional and omitted from the encoded JSON when unset.
///
/// `body_encoding` `json` sends `Content-Type: application/json` and `xml` sends `application/xml` (the original
/// sent text/plain) unless a Content-Type header is given. `expected_tls_days` fails the check when the server's
/// certificate expires sooner; `certificate_expiry_notification` is kept for the Go front end.
public struct HTTPMonitorConfig: Codable, Sendable, Equatable {
    /// Default `request_timeout`, seconds.
    public static let defaultRequestTimeout = 30
    /// Default `max_redirects`.
    public static let defaultMaxRedirects = 10
    /// Default `max_body_bytes` (1 MiB).
    public static let defaultMaxBodyBytes = 1_048_576
    /// The methods a monitor may use.
    public static let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
    /// The methods that may carry a `body` (GET and HEAD may not).
    public static let methodsWithBody = ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]

    /// Username and password for HTTP basic authentication.
    public struct BasicAuth: Codable, Sendable, Equatable {
        /// User name; must not contain ":".
        public var username: String
        /// Password (may be empty).
        public var password: String

        /// Credentials for basic authentication.
        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }

        public init(from decoder: any Decoder) throws {
            try ConfigDecoding.rejectUnknownKeys(in: decoder, known: ["username", "password"])
            let container = try decoder.container(keyedBy: CodingKeys.self)
            username = try container.decode(String.self, forKey: .username)
            password = try container.decodeIfPresent(String.self, forKey: .password) ?? ""
        }
    }

    /// Target URL, `http://` or `https://` with a host.
    public var url: String
    /// Request method, one of ``methods``.
    public var method: String
    /// Redirects to follow; 0 means do not follow (a 3xx is then the response checked).
    public var maxRedirects: Int
    /// Whole-request timeout, seconds.
    public var requestTimeout: Int
    /// Extra request headers, name to value.
    public var headers: [String: String]
    /// `json` or `xml`: how `body` is labelled (and, for json, checked).
    public var bodyEncoding: String?
    /// Request body, at most 1,000,000 bytes.
    public var body: String?
    /// Invert the result: the check passes when it would otherwise fail.
    public var upsideDownMode: Bool
    /// Notify before the certificate expires (Go field, kept).
    public var certificateExpiryNotification: Bool
    /// Accept invalid TLS certificates.
    public var ignoreTLSError: Bool
    /// Accepted status codes; empty means any 2xx.
    public var acceptedStatusCodes: [Int]
    /// Body checks that must all hold.
    public var assertions: [HTTPAssertion]
    /// A successful response slower than this many milliseconds is `degraded`.
    public var degradedAfterMs: Int?
    /// Basic authentication credentials.
    public var basicAuth: BasicAuth?
    /// Token sent as `Authorization: Bearer <token>`.
    public var bearerToken: String?
    /// Fail when the certificate expires within this many days.
    public var expectedTLSDays: Int?
    /// At most this many body bytes are read (and seen by assertions).
    public var maxBodyBytes: Int

    /// A config for `url` with every other field at its default.
    public init(
        url: String,
        method: String = "GET",
        maxRedirects: Int = HTTPMonitorConfig.defaultMaxRedirects,
        requestTimeout: Int = HTTPMonitorConfig.defaultRequestTimeout,
        headers: [String: String] = [:],
        bodyEncoding: String? = nil,
        body: String? = nil,
        upsideDownMode: Bool = false,
        certificateExpiryNotification: Bool = false,
        ignoreTLSError: Bool = false,
        acceptedStatusCodes: [Int] = [],
        assertions: [HTTPAssertion] = [],
        degradedAfterMs: Int? = nil,
        basicAuth: BasicAuth? = nil,
        bearerToken: String? = nil,
        expectedTLSDays: Int? = nil,
        maxBodyBytes: Int = HTTPMonitorConfig.defaultMaxBodyBytes
    ) {
        self.url = url
        self.method = method
        self.maxRedirects = maxRedirects
        self.requestTimeout = requestTimeout
        self.headers = headers
        self.bodyEncoding = bodyEncoding
        self.body = body
        self.upsideDownMode = upsideDownMode
        self.certificateExpiryNotification = certificateExpiryNotification
        self.ignoreTLSError = ignoreTLSError
        self.acceptedStatusCodes = acceptedStatusCodes
        self.assertions = assertions
        self.degradedAfterMs = degradedAfterMs
        self.basicAuth = basicAuth
        self.bearerToken = bearerToken
        self.expectedTLSDays = expectedTLSDays
        self.maxBodyBytes = maxBodyBytes
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case url, method, headers, body, assertions
        case maxRedirects = "max_redirects"
        case requestTimeout = "request_timeout"
        case bodyEncoding = "body_encoding"
        case upsideDownMode = "upside_down_mode"
        case certificateExpiryNotification = "certificate_expiry_notification"
        case ignoreTLSError = "ignore_tls_error"
        case acceptedStatusCodes = "accepted_status_codes"
        case degradedAfterMs = "degraded_after_ms"
        case basicAuth = "basic_auth"
        case bearerToken = "bearer_token"
        case expectedTLSDays = "expected_tls_days"
        case maxBodyBytes = "max_body_bytes"
    }

    public init(from decoder: any Decoder) throws {
        try ConfigDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decode(String.self, forKey: .url)
        method = try c.decodeIfPresent(String.self, forKey: .method) ?? "GET"
        maxRedirects = try c.decodeIfPresent(Int.self, forKey: .maxRedirects) ?? Self.defaultMaxRedirects
        let timeout = try c.decodeIfPresent(Int.self, forKey: .requestTimeout) ?? 0
        requestTimeout = timeout == 0 ? Self.defaultRequestTimeout : timeout
        headers = try c.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
        bodyEncoding = try c.decodeIfPresent(String.self, forKey: .bodyEncoding).flatMap { $0.isEmpty ? nil : $0 }
        body = try c.decodeIfPresent(String.self, forKey: .body).flatMap { $0.isEmpty ? nil : $0 }
        upsideDownMode = try c.decodeIfPresent(Bool.self, forKey: .upsideDownMode) ?? false
        certificateExpiryNotification =
            try c.decodeIfPresent(Bool.self, forKey: .certificateExpiryNotification) ?? false
        ignoreTLSError = try c.decodeIfPresent(Bool.self, forKey: .ignoreTLSError) ?? false
        acceptedStatusCodes = try c.decodeIfPresent([Int].self, forKey: .acceptedStatusCodes) ?? []
        assertions = try c.decodeIfPresent([HTTPAssertion].self, forKey: .assertions) ?? []
        degradedAfterMs = try c.decodeIfPresent(Int.self, forKey: .degradedAfterMs)
        basicAuth = try c.decodeIfPresent(BasicAuth.self, forKey: .basicAuth)
        bearerToken = try c.decodeIfPresent(String.self, forKey: .bearerToken)
        expectedTLSDays = try c.decodeIfPresent(Int.self, forKey: .expectedTLSDays)
        maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? Self.defaultMaxBodyBytes
    }
}
