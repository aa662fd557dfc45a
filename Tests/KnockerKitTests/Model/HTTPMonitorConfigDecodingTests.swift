import Foundation
import Testing

@testable import KnockerKit

extension ModelTests {
    @Suite("HTTP monitor config decoding")
    struct HTTPMonitorConfigDecodingTests {
        /// What the Go front end sends when creating an http monitor.
        static let goFrontEndJSON = """
            {"url":"https://example.com/health","method":"POST","max_redirects":5,"request_timeout":20,
             "headers":{"Accept":"application/json","X-Token":"abc"},"body_encoding":"json","body":"{\\"a\\":1}",
             "upside_down_mode":false,"certificate_expiry_notification":true,"ignore_tls_error":false,
             "accepted_status_codes":[200,201]}
            """

        @Test func decodesTheGoFrontEndShape() throws {
            let config = try MonitorConfig.decode(type: .http, json: bytes(Self.goFrontEndJSON))
            let expected = HTTPMonitorConfig(
                url: "https://example.com/health",
                method: "POST",
                maxRedirects: 5,
                requestTimeout: 20,
                headers: ["Accept": "application/json", "X-Token": "abc"],
                bodyEncoding: "json",
                body: "{\"a\":1}",
                certificateExpiryNotification: true,
                acceptedStatusCodes: [200, 201]
            )
            #expect(config == .http(expected))
            #expect(config.validate() == [])
        }

        @Test func decodesWhatTheGoBackEndStores() throws {
            // Go writes a nil slice as null, an unset timeout as 0 and leaves out empty headers, body and encoding.
            let json = """
                {"url":"http://example.com","method":"GET","max_redirects":0,"request_timeout":0,
                 "upside_down_mode":true,"certificate_expiry_notification":false,"ignore_tls_error":true,
                 "accepted_status_codes":null}
                """
            guard case .http(let config) = try MonitorConfig.decode(type: .http, json: bytes(json)) else {
                Issue.record("expected http")
                return
            }
            #expect(config.maxRedirects == 0)
            #expect(config.requestTimeout == 30)
            #expect(config.acceptedStatusCodes == [])
            #expect(config.upsideDownMode && config.ignoreTLSError)
            #expect(config.headers == [:])
            #expect(config.body == nil && config.bodyEncoding == nil)
        }

        @Test func appliesDefaultsForMissingFields() throws {
            let config = try MonitorConfig.decode(type: .http, json: bytes(#"{"url":"https://example.com"}"#))
            #expect(config == .http(HTTPMonitorConfig(url: "https://example.com")))
            guard case .http(let http) = config else { return }
            #expect(http.method == "GET")
            #expect(http.maxRedirects == 10)
            #expect(http.requestTimeout == 30)
            #expect(http.maxBodyBytes == 1_048_576)
            #expect(http.assertions.isEmpty && http.degradedAfterMs == nil && http.expectedTLSDays == nil)
            #expect(http.basicAuth == nil && http.bearerToken == nil)
        }

        @Test func emptyStringsForBodyAndEncodingMeanNone() throws {
            let json = #"{"url":"https://example.com","body":"","body_encoding":""}"#
            #expect(
                try MonitorConfig.decode(type: .http, json: bytes(json))
                    == .http(HTTPMonitorConfig(url: "https://example.com"))
            )
        }

        @Test func roundTripsEveryField() throws {
            let config = HTTPMonitorConfig(
                url: "https://example.com/api",
                method: "PUT",
                maxRedirects: 0,
                requestTimeout: 10,
                headers: ["X-A": "1"],
                bodyEncoding: "xml",
                body: "<a/>",
                upsideDownMode: true,
                certificateExpiryNotification: true,
                ignoreTLSError: true,
                acceptedStatusCodes: [204],
                assertions: [
                    .bodyContains("ok"), .bodyNotContains("error"), .bodyMatches(pattern: "v\\d+"),
                    .bodyNotMatches(pattern: "down"), .jsonPathEquals(path: "$.status", value: .string("up")),
                    .jsonPathEquals(path: "$.n", value: .number(3)),
                    .jsonPathContains(path: "$.tags", value: .bool(true)),
                ],
                degradedAfterMs: 1500,
                basicAuth: .init(username: "u", password: "p"),
                expectedTLSDays: 14,
                maxBodyBytes: 4096
            )
            let json = try MonitorConfig.http(config).json()
            #expect(try MonitorConfig.decode(type: .http, json: json) == .http(config))
            let fromGo = try MonitorConfig.decode(type: .http, json: bytes(Self.goFrontEndJSON))
            #expect(try MonitorConfig.decode(type: .http, json: fromGo.json()) == fromGo)
        }

        @Test func encodesWithSortedKeysAndLeavesOutUnsetOptionals() throws {
            let text = String(
                decoding: try MonitorConfig.http(HTTPMonitorConfig(url: "https://example.com/a")).json(),
                as: UTF8.self
            )
            #expect(
                text
                    == #"{"accepted_status_codes":[],"assertions":[],"certificate_expiry_notification":false,"headers":{},"#
                    + #""ignore_tls_error":false,"max_body_bytes":1048576,"max_redirects":10,"method":"GET","#
                    + #""request_timeout":30,"upside_down_mode":false,"url":"https://example.com/a"}"#
            )
        }

        @Test func decodesAssertionShapes() throws {
            let json = """
                {"url":"https://x.example","assertions":[
                  {"type":"body_contains","value":"ok"},{"type":"body_not_matches","pattern":"err"},
                  {"type":"json_path_equals","path":"$.a[0]","value":null},{"type":"json_path_contains","path":"$.b","value":2}]}
                """
            guard case .http(let config) = try MonitorConfig.decode(type: .http, json: bytes(json)) else {
                Issue.record("expected http")
                return
            }
            #expect(
                config.assertions == [
                    .bodyContains("ok"), .bodyNotMatches(pattern: "err"), .jsonPathEquals(path: "$.a[0]", value: .null),
                    .jsonPathContains(path: "$.b", value: .number(2)),
                ]
            )
        }

        @Test func decodesAssertionValuesOfEveryJSONKind() throws {
            let json = """
                {"url":"https://x.example","assertions":[
                  {"type":"json_path_equals","path":"$.a","value":1},{"type":"json_path_equals","path":"$.b","value":0},
                  {"type":"json_path_equals","path":"$.c","value":true},{"type":"json_path_equals","path":"$.d","value":1.5},
                  {"type":"json_path_equals","path":"$.e","value":{"k":["v",false]}}]}
                """
            guard case .http(let config) = try MonitorConfig.decode(type: .http, json: bytes(json)) else {
                Issue.record("expected http")
                return
            }
            let values: [JSONValue] = config.assertions.map {
                guard case .jsonPathEquals(_, let value) = $0 else { return JSONValue.null }
                return value
            }
            let expected: [JSONValue] = [
                .number(1), .number(0), .bool(true), .number(1.5),
                .object(["k": .array([.string("v"), .bool(false)])]),
            ]
            #expect(values == expected)
            let again = try MonitorConfig.decode(type: .http, json: MonitorConfig.http(config).json())
            #expect(again == .http(config))
        }

        @Test func reportsObjectsAndListsOfTheWrongShape() {
            #expect(
                decodeIssues(.http, #"{"url":"https://e.com","basic_auth":"u:p"}"#) == [
                    issue("basic_auth", "must be an object")
                ]
            )
            #expect(
                decodeIssues(.http, #"{"url":"https://e.com","assertions":{}}"#) == [
                    issue("assertions", "must be a list")
                ]
            )
            #expect(decodeIssues(.http, #"{"url":null}"#) == [issue("url", "must be a string, not null")])
        }

        @Test func rejectsUnknownKeysNamingThem() {
            let issues = decodeIssues(.http, #"{"url":"https://example.com","request_timout":5,"zzz":1}"#)
            #expect(issues.map(\.field) == ["request_timout", "zzz"])
            #expect(
                issues.first?.message.hasPrefix("unknown field (did you mean \"request_timeout\"?); known fields: ")
                    == true
            )
            #expect(
                issues.last?.message.hasPrefix("unknown field; known fields: accepted_status_codes, assertions,")
                    == true
            )
        }

        @Test func rejectsUnknownKeysInNestedObjects() {
            #expect(
                decodeIssues(.http, #"{"url":"https://e.com","basic_auth":{"username":"u","pasword":"p"}}"#).map(
                    \.field
                )
                    == ["basic_auth.pasword"]
            )
            #expect(
                decodeIssues(.http, #"{"url":"https://e.com","assertions":[{"type":"body_contains","pattern":"x"}]}"#)
                    .map(\.field) == ["assertions[0].pattern"]
            )
            #expect(
                decodeIssues(.http, #"{"url":"https://e.com","assertions":[{"type":"body_has","value":"x"}]}"#)
                    == [
                        issue(
                            "assertions[0].type",
                            "must be one of body_contains, body_not_contains, body_matches, body_not_matches, json_path_equals, json_path_contains (got \"body_has\")"
                        )
                    ]
            )
        }

        @Test func reportsMissingAndMistypedFields() {
            #expect(decodeIssues(.http, #"{"method":"GET"}"#) == [issue("url", "is required")])
            #expect(
                decodeIssues(.http, #"{"url":"https://e.com","request_timeout":"30"}"#) == [
                    issue("request_timeout", "must be a whole number")
                ]
            )
            #expect(
                decodeIssues(.http, #"{"url":"https://e.com","headers":{"A":1}}"#) == [
                    issue("headers.A", "must be a string")
                ]
            )
            #expect(
                decodeIssues(.http, #"{"url":"https://e.com","upside_down_mode":"yes"}"#) == [
                    issue("upside_down_mode", "must be true or false")
                ]
            )
            #expect(
                decodeIssues(.http, #"{"url":"https://e.com","accepted_status_codes":[200,"x"]}"#) == [
                    issue("accepted_status_codes[1]", "must be a whole number")
                ]
            )
            #expect(
                decodeIssues(.http, #"{"url":"https://e.com","assertions":[{"type":"json_path_equals","path":"$"}]}"#)
                    == [issue("assertions[0].value", "is required")]
            )
            #expect(decodeIssues(.http, "[1]") == [issue("", "config must be a JSON object")])
            #expect(decodeIssues(.http, "{nope") == [issue("", "config is not valid JSON")])
            // Numbers that do not fit a whole-number field are named, not reported as invalid JSON.
            #expect(
                decodeIssues(.http, #"{"url":"https://e.com","request_timeout":1.5}"#)
                    == [issue("request_timeout", "must be a whole number in range (got 1.5)")]
            )
            #expect(
                decodeIssues(.http, #"{"url":"https://e.com","accepted_status_codes":[200,1e300]}"#)
                    == [issue("accepted_status_codes[1]", "must be a whole number in range (got 1e+300)")]
            )
            // An assertion's value may be any number; the field that does not fit is still the one named.
            let mixed =
                #"{"url":"https://e.com","max_redirects":2.5,"#
                + #""assertions":[{"type":"json_path_equals","path":"$.a","value":0.5}]}"#
            #expect(decodeIssues(.http, mixed) == [issue("max_redirects", "must be a whole number in range (got 2.5)")])
        }
    }
}
