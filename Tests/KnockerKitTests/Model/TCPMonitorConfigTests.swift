import Testing

@testable import KnockerKit

extension ModelTests {
    @Suite("TCP monitor config")
    struct TCPMonitorConfigTests {
        @Test func decodesWithDefaultsAndRoundTrips() throws {
            let config = try MonitorConfig.decode(type: .tcp, json: bytes(#"{"host":"db.internal","port":5432}"#))
            #expect(config == .tcp(TCPMonitorConfig(host: "db.internal", port: 5432, timeoutSeconds: 5)))
            #expect(
                String(decoding: try config.json(), as: UTF8.self)
                    == #"{"host":"db.internal","port":5432,"timeout_seconds":5}"#
            )
            let full = MonitorConfig.tcp(
                TCPMonitorConfig(host: "::1", port: 6379, timeoutSeconds: 3, send: "PING\r\n", expect: "+PONG")
            )
            #expect(try MonitorConfig.decode(type: .tcp, json: full.json()) == full)
        }

        @Test func decodeErrors() {
            #expect(decodeIssues(.tcp, #"{"host":"a"}"#) == [issue("port", "is required")])
            #expect(decodeIssues(.tcp, #"{"host":"a","port":"80"}"#) == [issue("port", "must be a whole number")])
            #expect(decodeIssues(.tcp, #"{"host":"a","port":80,"expected":"x"}"#).map(\.field) == ["expected"])
        }

        @Test func validation() {
            #expect(TCPMonitorConfig(host: "", port: 1).validate() == [issue("host", "is required")])
            #expect(
                TCPMonitorConfig(host: "a..b", port: 1).validate() == [
                    issue("host", "has an empty label (two dots in a row, or a leading dot) (got \"a..b\")")
                ]
            )
            #expect(
                TCPMonitorConfig(host: "a", port: 0).validate() == [
                    issue("port", "must be between 1 and 65535 (got 0)")
                ]
            )
            #expect(
                TCPMonitorConfig(host: "a", port: 65536).validate() == [
                    issue("port", "must be between 1 and 65535 (got 65536)")
                ]
            )
            #expect(
                TCPMonitorConfig(host: "a", port: 1, timeoutSeconds: 0).validate() == [
                    issue("timeout_seconds", "must be between 1 and 60 seconds (got 0)")
                ]
            )
            #expect(
                TCPMonitorConfig(host: "a", port: 1, send: "").validate() == [
                    issue("send", "must not be empty; leave it out instead")
                ]
            )
            #expect(
                TCPMonitorConfig(host: "a", port: 1, expect: String(repeating: "x", count: 65537)).validate()
                    == [issue("expect", "must be at most 65536 bytes (got 65537)")]
            )
            #expect(
                TCPMonitorConfig(host: "2001:db8::5", port: 65535, timeoutSeconds: 60, send: "HELO\r\n", expect: "250")
                    .validate() == []
            )
            #expect(TCPMonitorConfig(host: "smtp.example.com", port: 1, expect: "220").validate() == [])
        }
    }
}
