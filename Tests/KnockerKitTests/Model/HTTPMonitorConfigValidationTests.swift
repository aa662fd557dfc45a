import Testing

@testable import KnockerKit

/// One validation example: a config and the issues it must produce (none for a passing example).
struct HTTPValidationCase: Sendable, CustomTestStringConvertible {
    var name: String
    var config: HTTPMonitorConfig
    var issues: [ConfigIssue]
    var testDescription: String { name }

    init(_ name: String, _ issues: [ConfigIssue] = [], _ change: (inout HTTPMonitorConfig) -> Void) {
        var config = HTTPMonitorConfig(url: "https://example.com/health")
        change(&config)
        self.name = name
        self.config = config
        self.issues = issues
    }
}

extension ModelTests {
    @Suite("HTTP monitor config validation")
    struct HTTPMonitorConfigValidationTests {
        static let failing: [HTTPValidationCase] = [
            .init("ftp url", [issue("url", "must start with http:// or https:// (got \"ftp://x\")")]) {
                $0.url = "ftp://x"
            },
            .init("empty url", [issue("url", "is required")]) { $0.url = "" },
            .init("no host", [issue("url", "must include a host (got \"http://\")")]) { $0.url = "http://" },
            .init("space in url", [issue("url", "must not contain spaces or control characters (got \"http://a b\")")])
            {
                $0.url = "http://a b"
            },
            .init("bad host", [issue("url", "host has a label that starts or ends with a hyphen (got \"-a.com\")")]) {
                $0.url = "http://-a.com/"
            },
            .init(
                "method",
                [issue("method", "must be one of GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS (got \"get\")")]
            ) {
                $0.method = "get"
            },
            .init("redirects low", [issue("max_redirects", "must be between 0 and 1000 (got -1)")]) {
                $0.maxRedirects = -1
            },
            .init("redirects high", [issue("max_redirects", "must be between 0 and 1000 (got 1001)")]) {
                $0.maxRedirects = 1001
            },
            .init("timeout low", [issue("request_timeout", "must be between 1 and 300 seconds (got -5)")]) {
                $0.requestTimeout = -5
            },
            .init("timeout high", [issue("request_timeout", "must be between 1 and 300 seconds (got 301)")]) {
                $0.requestTimeout = 301
            },
            .init(
                "header name",
                [
                    issue(
                        "headers.X Foo",
                        "header name must be a token (letters, digits and !#$%&'*+-.^_`|~) (got \"X Foo\")"
                    )
                ]
            ) { $0.headers = ["X Foo": "1"] },
            .init("header value", [issue("headers.X-Foo", "header value must not contain CR, LF or NUL characters")]) {
                $0.headers = ["X-Foo": "a\r\nInjected: 1"]
            },
            .init(
                "authorization twice",
                [issue("headers.Authorization", "must not be set together with basic_auth or bearer_token")]
            ) {
                $0.headers = ["Authorization": "x"]
                $0.bearerToken = "t"
            },
            .init("body encoding", [issue("body_encoding", "must be json or xml (got \"yaml\")")]) {
                $0.bodyEncoding = "yaml"
            },
            .init("body too big", [issue("body", "must be at most 1000000 bytes (got 1000001)")]) {
                $0.method = "POST"
                $0.body = String(repeating: "a", count: 1_000_001)
            },
            .init(
                "body on GET",
                [issue("body", "is not allowed with method GET; use one of POST, PUT, DELETE, PATCH, OPTIONS")]
            ) {
                $0.body = "x"
            },
            .init("json body", [issue("body", "must be valid JSON because body_encoding is json")]) {
                $0.method = "POST"
                $0.bodyEncoding = "json"
                $0.body = "{oops"
            },
            .init(
                "status codes",
                [
                    issue("accepted_status_codes[1]", "must be a status code between 100 and 599 (got 99)"),
                    issue("accepted_status_codes[2]", "must be a status code between 100 and 599 (got 600)"),
                ]
            ) { $0.acceptedStatusCodes = [200, 99, 600] },
            .init("regex", [issue("assertions[1].pattern", "is not a valid regular expression (got \"(unclosed\")")]) {
                $0.assertions = [.bodyContains("ok"), .bodyMatches(pattern: "(unclosed")]
            },
            .init("empty text", [issue("assertions[0].value", "must not be empty")]) {
                $0.assertions = [.bodyNotContains("")]
            },
            .init(
                "json path",
                [issue("assertions[0].path", "is not a valid JSON path: must start with $ (got \"status\")")]
            ) { $0.assertions = [.jsonPathEquals(path: "status", value: .string("up"))] },
            .init("contains object", [issue("assertions[0].value", "must be a string, number, boolean or null")]) {
                $0.assertions = [.jsonPathContains(path: "$.a", value: .object([:]))]
            },
            .init("degraded zero", [issue("degraded_after_ms", "must be greater than 0 (got 0)")]) {
                $0.degradedAfterMs = 0
            },
            .init(
                "degraded too late",
                [issue("degraded_after_ms", "must be less than request_timeout (30000 ms) (got 30000)")]
            ) {
                $0.degradedAfterMs = 30000
            },
            .init("tls days low", [issue("expected_tls_days", "must be between 1 and 3650 days (got 0)")]) {
                $0.expectedTLSDays = 0
            },
            .init("tls days high", [issue("expected_tls_days", "must be between 1 and 3650 days (got 3651)")]) {
                $0.expectedTLSDays = 3651
            },
            .init("tls days on http", [issue("expected_tls_days", "only applies to https:// URLs")]) {
                $0.url = "http://example.com"
                $0.expectedTLSDays = 10
            },
            .init("basic user", [issue("basic_auth.username", "must not contain \":\"")]) {
                $0.basicAuth = .init(username: "a:b", password: "p")
            },
            .init("basic empty", [issue("basic_auth.username", "must not be empty")]) {
                $0.basicAuth = .init(username: "", password: "p")
            },
            .init("bearer", [issue("bearer_token", "must not contain spaces, line breaks or NUL characters")]) {
                $0.bearerToken = "a b"
            },
            .init("both auths", [issue("bearer_token", "must not be set together with basic_auth")]) {
                $0.bearerToken = "t"
                $0.basicAuth = .init(username: "u", password: "p")
            },
            .init("body cap", [issue("max_body_bytes", "must be between 1 and 67108864 (64 MiB) (got 0)")]) {
                $0.maxBodyBytes = 0
            },
        ]

        static let passing: [HTTPValidationCase] = [
            .init("defaults") { _ in },
            .init("http ipv4") { $0.url = "http://192.0.2.1:8080/x?y=1" },
            .init("ipv6 host") { $0.url = "http://[2001:db8::1]/" },
            .init("upper-case scheme") { $0.url = "HTTPS://Example.COM" },
            .init("every method") { $0.method = "OPTIONS" },
            .init("no redirects") { $0.maxRedirects = 0 },
            .init("limits") {
                $0.maxRedirects = 1000
                $0.requestTimeout = 300
                $0.degradedAfterMs = 299_999
                $0.expectedTLSDays = 3650
            },
            .init("token headers") { $0.headers = ["X-Custom_Header!": "value: with colon", "Accept": ""] },
            .init("json body") {
                $0.method = "PATCH"
                $0.bodyEncoding = "json"
                $0.body = #"{"a":[1,2]}"#
            },
            .init("xml body on DELETE") {
                $0.method = "DELETE"
                $0.bodyEncoding = "xml"
                $0.body = "<a/>"
            },
            .init("status codes") { $0.acceptedStatusCodes = [100, 301, 599] },
            .init("assertions") {
                $0.assertions = [
                    .bodyMatches(pattern: #"^\s*ok"#), .bodyNotMatches(pattern: "(?i)down"),
                    .jsonPathEquals(path: #"$.data["a b"][0]"#, value: .array([.null])),
                    .jsonPathContains(path: "$.s", value: .string("x")),
                ]
            },
            .init("basic auth") { $0.basicAuth = .init(username: "user", password: "p:ss word") },
            .init("bearer") { $0.bearerToken = "eyJhbGciOi.x-y_z~+/=" },
            .init("tls days") { $0.expectedTLSDays = 1 },
        ]

        @Test(arguments: failing) func failingExample(_ example: HTTPValidationCase) {
            #expect(example.config.validate() == example.issues)
        }

        @Test(arguments: passing) func passingExample(_ example: HTTPValidationCase) {
            #expect(example.config.validate() == [])
        }

        @Test func reportsEveryIssueAtOnce() {
            var config = HTTPMonitorConfig(url: "ftp://x", method: "FETCH", requestTimeout: 0)
            config.acceptedStatusCodes = [1]
            #expect(config.validate().map(\.field) == ["url", "method", "request_timeout", "accepted_status_codes[0]"])
        }
    }
}
