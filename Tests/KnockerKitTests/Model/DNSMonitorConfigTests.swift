import Testing

@testable import KnockerKit

extension ModelTests {
    @Suite("DNS monitor config")
    struct DNSMonitorConfigTests {
        @Test func decodesWithDefaultsAndRoundTrips() throws {
            let config = try MonitorConfig.decode(type: .dns, json: bytes(#"{"name":"example.com"}"#))
            #expect(config == .dns(DNSMonitorConfig(name: "example.com", recordType: "A", timeoutSeconds: 5)))
            #expect(
                String(decoding: try config.json(), as: UTF8.self)
                    == #"{"name":"example.com","record_type":"A","timeout_seconds":5}"#
            )
            let full = MonitorConfig.dns(
                DNSMonitorConfig(
                    name: "example.com",
                    recordType: "MX",
                    server: "[2606:4700::1111]:53",
                    timeoutSeconds: 2,
                    expected: ["10 mx.example.com"]
                )
            )
            #expect(try MonitorConfig.decode(type: .dns, json: full.json()) == full)
        }

        @Test func decodeErrors() {
            #expect(decodeIssues(.dns, #"{"record_type":"A"}"#) == [issue("name", "is required")])
            #expect(
                decodeIssues(.dns, #"{"name":"a.b","expected":"1.2.3.4"}"#) == [issue("expected", "must be a list")]
            )
            #expect(
                decodeIssues(.dns, #"{"name":"a.b","recordtype":"A"}"#).first?.message.contains(
                    "did you mean \"record_type\"?"
                ) == true
            )
        }

        @Test func validation() {
            let bad = "must be an IP address with an optional port, like 1.1.1.1:53 or [2606:4700::1111]:53"
            #expect(DNSMonitorConfig(name: "").validate() == [issue("name", "is required")])
            #expect(
                DNSMonitorConfig(name: "1.2.3.4").validate() == [
                    issue("name", "must be a DNS name, not an IP address (got \"1.2.3.4\")")
                ]
            )
            #expect(DNSMonitorConfig(name: "a b.com").validate().map(\.field) == ["name"])
            #expect(
                DNSMonitorConfig(name: "a.com", recordType: "SRV").validate() == [
                    issue("record_type", "must be one of A, AAAA, CNAME, MX, TXT (got \"SRV\")")
                ]
            )
            #expect(
                DNSMonitorConfig(name: "a.com", server: "dns.google").validate() == [
                    issue("server", "\(bad) (got \"dns.google\")")
                ]
            )
            #expect(
                DNSMonitorConfig(name: "a.com", server: "1.1.1.1:0").validate() == [
                    issue("server", "port must be between 1 and 65535 (got \"1.1.1.1:0\")")
                ]
            )
            #expect(
                DNSMonitorConfig(name: "a.com", server: "[::1]53").validate() == [
                    issue("server", "\(bad) (got \"[::1]53\")")
                ]
            )
            #expect(DNSMonitorConfig(name: "a.com", server: "[1.1.1.1]:53").validate().map(\.field) == ["server"])
            #expect(
                DNSMonitorConfig(name: "a.com", timeoutSeconds: 61).validate() == [
                    issue("timeout_seconds", "must be between 1 and 60 seconds (got 61)")
                ]
            )
            #expect(
                DNSMonitorConfig(name: "a.com", expected: ["1.2.3.4", ""]).validate() == [
                    issue("expected[1]", "must not be empty")
                ]
            )
            #expect(
                DNSMonitorConfig(name: "a.com", expected: ["::1"]).validate() == [
                    issue("expected[0]", "must be an IPv4 address for an A record (got \"::1\")")
                ]
            )
            #expect(
                DNSMonitorConfig(name: "a.com", recordType: "AAAA", expected: ["1.2.3.4"]).validate() == [
                    issue("expected[0]", "must be an IPv6 address for an AAAA record (got \"1.2.3.4\")")
                ]
            )
            #expect(
                DNSMonitorConfig(name: "a.com", recordType: "MX", expected: ["x 10 y"]).validate() == [
                    issue(
                        "expected[0]",
                        "must be \"<preference> <host>\" or \"<host>\" for an MX record (got \"x 10 y\")"
                    )
                ]
            )
            #expect(
                DNSMonitorConfig(name: "a.com", recordType: "CNAME", expected: ["-x.com"]).validate().map(\.field) == [
                    "expected[0]"
                ]
            )
        }

        @Test func validExamples() {
            for server in ["1.1.1.1", "1.1.1.1:53", "2606:4700::1111", "[2606:4700::1111]:5353", "[::1]"] {
                #expect(DNSMonitorConfig(name: "example.com", server: server).validate() == [], "\(server)")
            }
            #expect(
                DNSMonitorConfig(name: "_dmarc.example.com.", recordType: "TXT", expected: ["v=DMARC1; p=none"])
                    .validate() == []
            )
            #expect(
                DNSMonitorConfig(name: "www.example.com", recordType: "CNAME", expected: ["example.com."]).validate()
                    == []
            )
            #expect(
                DNSMonitorConfig(
                    name: "example.com",
                    recordType: "MX",
                    expected: ["10 mx.example.com", "mx2.example.com"]
                ).validate() == []
            )
            #expect(
                DNSMonitorConfig(name: "example.com", recordType: "AAAA", timeoutSeconds: 60, expected: ["2001:db8::1"])
                    .validate() == []
            )
        }
    }
}
