import Testing

@testable import KnockerKit

extension ModelTests {
    @Suite("Monitor config")
    struct MonitorConfigTests {
        @Test func monitorTypeRawValues() {
            #expect(MonitorType.allCases.map(\.rawValue) == ["http", "ping", "tcp", "dns"])
            #expect(MonitorType(rawValue: "ping") == .ping)
        }

        @Test func decodeAndValidateReturnsAValidConfig() throws {
            let config = try MonitorConfig.decodeAndValidate(
                type: .tcp,
                json: bytes(#"{"host":"example.com","port":443}"#)
            )
            #expect(config.type == .tcp)
        }

        @Test func decodeAndValidateListsEveryIssue() {
            #expect(
                throws: MonitorConfigError(issues: [
                    issue("url", "must start with http:// or https:// (got \"ftp://x\")"),
                    issue("max_redirects", "must be between 0 and 1000 (got 5000)"),
                ])
            ) {
                try MonitorConfig.decodeAndValidate(
                    type: .http,
                    json: bytes(#"{"url":"ftp://x","max_redirects":5000}"#)
                )
            }
        }

        @Test func decodeAndValidateReportsDecodeIssues() {
            #expect(throws: MonitorConfigError(issues: [issue("host", "is required")])) {
                try MonitorConfig.decodeAndValidate(type: .ping, json: bytes("{}"))
            }
        }

        @Test func errorDescriptionNamesFields() {
            let error = MonitorConfigError(issues: [
                issue("port", "must be between 1 and 65535 (got 0)"), issue("", "config is not valid JSON"),
            ])
            #expect(
                error.description
                    == "invalid monitor config: port: must be between 1 and 65535 (got 0); config is not valid JSON"
            )
        }

        @Test func sameJSONDecodesDifferentlyPerType() {
            #expect(decodeIssues(.ping, #"{"url":"https://e.com"}"#).map(\.field) == ["url"])
            #expect(decodeIssues(.dns, #"{"host":"e.com"}"#).map(\.field) == ["host"])
        }

        @Test func longValuesAreShortenedInMessages() {
            let long = "ftp://" + String(repeating: "a", count: 200)
            let message = HTTPMonitorConfig(url: long).validate().first?.message ?? ""
            #expect(message.count < 140)
            #expect(message.hasSuffix("…\")"))
        }
    }
}
