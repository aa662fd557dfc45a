import Foundation
import Testing

@testable import KnockerKit

extension CheckTests {
    @Suite("HTTP check: bodies, assertions, requests")
    struct HTTPCheckBodyTests {
        @Test func bodyAssertions() async throws {
            let path = "/body/hello%20world%2042"
            let holds = try await CheckTests.check(path) {
                $0.assertions = [.bodyContains("hello"), .bodyNotContains("bye"), .bodyMatches(pattern: #"\d+$"#)]
            }
            #expect(holds.status == .successful)
            let contains = try await CheckTests.check(path) { $0.assertions = [.bodyNotContains("world")] }
            #expect(contains.message == #"body contains "world""#)
            let missing = try await CheckTests.check(path) { $0.assertions = [.bodyContains("bye")] }
            #expect(missing.message == #"body does not contain "bye""#)
            let matches = try await CheckTests.check(path) { $0.assertions = [.bodyNotMatches(pattern: "w.rld")] }
            #expect(matches.message == "body matches /w.rld/")
            let noMatch = try await CheckTests.check(path) { $0.assertions = [.bodyMatches(pattern: "^world")] }
            #expect(noMatch.message == "body does not match /^world/")
        }

        @Test func jsonPathAssertions() async throws {
            let holds = try await CheckTests.check("/json") {
                $0.assertions = [
                    .jsonPathEquals(path: "$.status", value: .string("up")),
                    .jsonPathEquals(path: "$.count", value: .number(3)),
                    .jsonPathEquals(path: "$.nested.ok", value: .bool(true)),
                    .jsonPathContains(path: "$.regions", value: .string("eu")),
                    .jsonPathContains(path: "$.status", value: .string("u")),
                ]
            }
            #expect(holds.status == .successful)
            let wrong = try await CheckTests.check("/json") {
                $0.assertions = [.jsonPathEquals(path: "$.status", value: .string("down"))]
            }
            #expect(wrong.message == #"$.status is "up", expected "down""#)
            let absent = try await CheckTests.check("/json") {
                $0.assertions = [.jsonPathContains(path: "$.regions", value: .string("ap"))]
            }
            #expect(absent.message == #"$.regions does not contain "ap""#)
            let missing = try await CheckTests.check("/json") {
                $0.assertions = [.jsonPathEquals(path: "$.nope[0]", value: .null)]
            }
            #expect(missing.message == "$.nope[0] is missing")
            let notJSON = try await CheckTests.check("/body/plain") {
                $0.assertions = [.jsonPathEquals(path: "$.a", value: .null)]
            }
            #expect(notJSON.message == "body is not JSON")
        }

        @Test func bodyIsCappedAtMaxBodyBytes() async throws {
            let capped = try await CheckTests.check("/large/200000") {
                $0.maxBodyBytes = 1000
                $0.assertions = [.bodyMatches(pattern: "^x{1000}$")]
            }
            #expect(capped.status == .successful)
            #expect(capped.bodyBytes == 1000)
            #expect(capped.bodyTruncated)
            let whole = try await CheckTests.check("/large/500") { $0.maxBodyBytes = 1000 }
            #expect(whole.bodyBytes == 500)
            #expect(!whole.bodyTruncated)
        }

        @Test func postsJSONWithContentType() async throws {
            let result = try await CheckTests.check("/echo") {
                $0.method = "POST"
                $0.body = #"{"a":1}"#
                $0.bodyEncoding = "json"
                $0.bearerToken = "t0k"
                $0.assertions = [
                    .bodyContains("method=POST\n"),
                    .bodyContains("content-type=application/json\n"),
                    .bodyContains("authorization=Bearer t0k\n"),
                    .bodyContains("user-agent=Knocker/\(Knocker.version)\n"),
                    .bodyContains(#"body={"a":1}"#),
                ]
            }
            #expect(result.status == .successful, "\(result.message ?? "")")
        }

        @Test func putsXMLWithBasicAuth() async throws {
            let result = try await CheckTests.check("/echo") {
                $0.method = "PUT"
                $0.body = "<a/>"
                $0.bodyEncoding = "xml"
                $0.basicAuth = .init(username: "user", password: "pass")
                $0.assertions = [
                    .bodyContains("method=PUT\n"),
                    .bodyContains("content-type=application/xml\n"),
                    .bodyContains("authorization=Basic dXNlcjpwYXNz\n"),
                    .bodyContains("body=<a/>"),
                ]
            }
            #expect(result.status == .successful, "\(result.message ?? "")")
        }

        @Test func headOmitsTheBody() async throws {
            let result = try await CheckTests.check("/status/200") { $0.method = "HEAD" }
            #expect(result.status == .successful)
            #expect(result.bodyBytes == 0)
        }

        @Test func headerLines() {
            var config = HTTPMonitorConfig(url: "http://x/", headers: ["X-B": "2", "Content-Type": "text/json"])
            config.body = "{}"
            config.bodyEncoding = "json"
            config.bearerToken = "t"
            #expect(
                HTTPCheck.headerLines(for: config) == [
                    "Content-Type: text/json", "X-B: 2", "Authorization: Bearer t", "Expect:",
                ]
            )
        }
    }
}
