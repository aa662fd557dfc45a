import Foundation
import Testing

@testable import KnockerKit

extension WorkTests {
    @Suite("Ping task payload (the original's JSON)")
    struct PingTaskTests {
        static let created = Date(timeIntervalSince1970: 1_790_000_000.123456)

        static let monitor = Monitor(
            id: 613_000_000_000_001,
            teamID: 42,
            name: "API \"prod\"",
            type: .http,
            interval: 60,
            configJSON: #"{"method":"GET","url":"https://example.org/"}"#,
            lastChecked: nil,
            nextCheck: created,
            failureThreshold: 2,
            recoveryThreshold: 3,
            regionQuorum: 2,
            regionIDs: [7, 9],
            createdAt: created,
            updatedAt: created
        )

        @Test func roundTrips() throws {
            let task = PingTask(monitor: Self.monitor, regionID: 9)
            let text = String(decoding: task.payload(), as: UTF8.self)
            #expect(
                text.hasPrefix(
                    #"{"monitor":{"id":"613000000000001","team_id":"42","name":"API \"prod\"","type":"http","#
                )
            )
            #expect(text.contains(#""last_checked":null,"next_check":"2026-09-21T14:13:20.123456Z""#))
            #expect(text.hasSuffix(#""region":9}"#))
            let decoded = try PingTask(payload: task.payload())
            #expect(decoded == task)
        }

        @Test func readsTheOriginalsPayload() throws {
            let go = """
                {"monitor":{"id":"501","team_id":"3","name":"web","type":"ping",
                 "config":{"host":"example.org","timeout_seconds":0,"packet_size":0},"interval":30,"status":"down",
                 "last_checked":"2025-01-02T03:04:05.999999999+01:00","next_check":"2025-01-02T03:04:35Z",
                 "failure_threshold":3,"recovery_threshold":1,"regions":[1,2],"notification":null,
                 "created_at":"2024-12-31T23:59:59Z","updated_at":"2025-01-01T00:00:00Z"},"region":2}
                """
            let task = try PingTask(payload: Array(go.utf8))
            #expect(task.regionID == 2)
            #expect(task.monitor.id == 501)
            #expect(task.monitor.type == .ping)
            #expect(task.monitor.status == .down)
            #expect(task.monitor.regionQuorum == 1)
            #expect(task.monitor.regionIDs == [1, 2])
            #expect(task.monitor.lastChecked == Timestamp.parse("2025-01-02T02:04:05.999999999Z"))
            let config = try MonitorConfig.decode(type: .ping, json: Array(task.monitor.configJSON.utf8))
            #expect(config == .ping(PingMonitorConfig(host: "example.org")))
        }

        @Test func badPayloadsAreClearErrors() {
            #expect(throws: PingTaskError("the payload is not a JSON object")) {
                try PingTask(payload: Array("[1]".utf8))
            }
            #expect(throws: PingTaskError("the payload has no \"region\" id")) {
                try PingTask(payload: Array(#"{"monitor":{},"region":true}"#.utf8))
            }
            #expect(throws: PingTaskError("monitor.type is missing or unknown")) {
                try PingTask(payload: Array(#"{"monitor":{"id":"1","type":"smtp"},"region":1}"#.utf8))
            }
        }

        @Test func parsesRFC3339() {
            #expect(Timestamp.parse("1970-01-01T00:00:10Z") == Date(timeIntervalSince1970: 10))
            #expect(Timestamp.parse("1970-01-01T01:00:10+01:00") == Date(timeIntervalSince1970: 10))
            #expect(Timestamp.parse("1970-01-01T00:00:10.5z") == Date(timeIntervalSince1970: 10.5))
            #expect(Timestamp.parse("1970-01-01 00:00:10Z") == nil)
            #expect(Timestamp.parse("1970-01-01T00:00:10") == nil)
            #expect(Timestamp.parse("1970-13-01T00:00:10Z") == nil)
            #expect(Timestamp.parse("1970-01-01T00:00:10.Z") == nil)
            #expect(Timestamp.rfc3339Microseconds(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500000Z")
            #expect(Timestamp.rfc3339Microseconds(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000000Z")
            #expect(Timestamp.rfc3339Microseconds(Self.created) == "2026-09-21T14:13:20.123456Z")
            #expect(
                Timestamp.rfc3339Microseconds(Date(timeIntervalSince1970: 253_402_300_800.5))
                    == "10000-01-01T00:00:00.500000Z"
            )
        }

        @Test func channelJSONIsTheEncodersJSON() throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for ping in [
                RecordedPing(
                    time: Self.created,
                    monitorID: 7,
                    regionID: 613,
                    latencyMs: 12,
                    status: .successful,
                    message: nil
                ),
                RecordedPing(
                    time: Self.created,
                    monitorID: 1,
                    regionID: 2,
                    latencyMs: 0,
                    status: .timeout,
                    message: nil
                ),
                RecordedPing(
                    time: Self.created,
                    monitorID: 1,
                    regionID: 2,
                    latencyMs: 5,
                    status: .failed,
                    message: "a/\"b\"\n"
                ),
            ] {
                #expect(ping.channelJSON(encoder) == Array(try encoder.encode(ping)))
            }
        }

        @Test func arrayText() {
            #expect(PostgresArrayText.strings(["a", nil, #"b"c\d"#, "é\"", ""]) == #"{"a",NULL,"b\"c\\d","é\"",""}"#)
            #expect(PostgresArrayText.strings([]) == "{}")
            #expect(PostgresArrayText.parseInt64("{1,-2,x,3}") == [1, -2, 3])
            #expect(PostgresArrayText.parseInt64("{}") == [])
            #expect(PostgresArrayText.parseInt64("{{4}}") == [4])
        }
    }
}
