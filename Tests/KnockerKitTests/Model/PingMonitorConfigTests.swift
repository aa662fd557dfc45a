import Testing

@testable import KnockerKit

extension ModelTests {
    @Suite("Ping monitor config")
    struct PingMonitorConfigTests {
        @Test func decodesTheGoShapeWithZeroDefaults() throws {
            let config = try MonitorConfig.decode(
                type: .ping,
                json: bytes(#"{"host":"example.com","timeout_seconds":0,"packet_size":0}"#)
            )
            #expect(config == .ping(PingMonitorConfig(host: "example.com", timeoutSeconds: 5, packetSize: 56)))
            #expect(config.validate() == [])
        }

        @Test func decodesEveryField() throws {
            let json =
                #"{"host":"::1","timeout_seconds":2,"packet_size":1000,"count":5,"loss_threshold_percent":20,"ip_version":"6"}"#
            let expected = PingMonitorConfig(
                host: "::1",
                timeoutSeconds: 2,
                packetSize: 1000,
                count: 5,
                lossThresholdPercent: 20,
                ipVersion: .v6
            )
            #expect(try MonitorConfig.decode(type: .ping, json: bytes(json)) == .ping(expected))
            #expect(
                try MonitorConfig.decode(type: .ping, json: bytes(#"{"host":"a.b","ip_version":4}"#))
                    == .ping(PingMonitorConfig(host: "a.b", ipVersion: .v4))
            )
        }

        @Test func encodesStablyAndRoundTrips() throws {
            let config = MonitorConfig.ping(PingMonitorConfig(host: "example.com"))
            let text = String(decoding: try config.json(), as: UTF8.self)
            #expect(
                text
                    == #"{"count":1,"host":"example.com","ip_version":"auto","loss_threshold_percent":0,"packet_size":56,"timeout_seconds":5}"#
            )
            #expect(try MonitorConfig.decode(type: .ping, json: config.json()) == config)
        }

        @Test func decodeErrors() {
            #expect(
                decodeIssues(.ping, #"{"host":"a","ip_version":"7"}"#) == [
                    issue("ip_version", "must be \"auto\", \"4\" or \"6\" (got \"7\")")
                ]
            )
            #expect(decodeIssues(.ping, #"{"timeout_seconds":1}"#) == [issue("host", "is required")])
            #expect(decodeIssues(.ping, #"{"host":"a","packetsize":1}"#).map(\.field) == ["packetsize"])
        }

        @Test func validation() {
            #expect(PingMonitorConfig(host: "").validate() == [issue("host", "is required")])
            #expect(
                PingMonitorConfig(host: "256.1.1.1").validate() == [
                    issue("host", "is not a valid IPv4 address or hostname (got \"256.1.1.1\")")
                ]
            )
            #expect(
                PingMonitorConfig(host: "1.2.3.4", timeoutSeconds: 61).validate() == [
                    issue("timeout_seconds", "must be between 1 and 60 seconds (got 61)")
                ]
            )
            #expect(
                PingMonitorConfig(host: "1.2.3.4", packetSize: 65001).validate() == [
                    issue("packet_size", "must be between 1 and 65000 bytes (got 65001)")
                ]
            )
            #expect(
                PingMonitorConfig(host: "1.2.3.4", count: 0).validate() == [
                    issue("count", "must be between 1 and 100 (got 0)")
                ]
            )
            #expect(
                PingMonitorConfig(host: "1.2.3.4", count: 101).validate() == [
                    issue("count", "must be between 1 and 100 (got 101)")
                ]
            )
            #expect(
                PingMonitorConfig(host: "1.2.3.4", lossThresholdPercent: 100).validate()
                    == [issue("loss_threshold_percent", "must be between 0 and 99 percent (got 100)")]
            )
            #expect(
                PingMonitorConfig(host: "1.2.3.4", ipVersion: .v6).validate() == [
                    issue("ip_version", "is 6 but host \"1.2.3.4\" is an IPv4 address")
                ]
            )
            #expect(
                PingMonitorConfig(host: "::1", ipVersion: .v4).validate() == [
                    issue("ip_version", "is 4 but host \"::1\" is an IPv6 address")
                ]
            )
            #expect(
                PingMonitorConfig(
                    host: "example.com",
                    timeoutSeconds: 60,
                    packetSize: 65000,
                    count: 100,
                    lossThresholdPercent: 99,
                    ipVersion: .v6
                ).validate() == []
            )
            #expect(
                PingMonitorConfig(
                    host: "10.0.0.1",
                    timeoutSeconds: 1,
                    packetSize: 1,
                    count: 1,
                    lossThresholdPercent: 0,
                    ipVersion: .v4
                ).validate() == []
            )
        }
    }
}
