import Foundation
import Testing

@testable import KnockerKit

@Suite("Queue keys")
struct QueueKeysTests {
    @Test func perQueueKeys() {
        #expect(QueueKeys.allQueues == "asynq:queues")
        #expect(QueueKeys.queuePrefix("1") == "asynq:{1}:")
        #expect(QueueKeys.taskKeyPrefix("1") == "asynq:{1}:t:")
        #expect(QueueKeys.task("1", id: "abc") == "asynq:{1}:t:abc")
        #expect(QueueKeys.pending("1") == "asynq:{1}:pending")
        #expect(QueueKeys.active("default") == "asynq:{default}:active")
        #expect(QueueKeys.lease("default") == "asynq:{default}:lease")
        #expect(QueueKeys.scheduled("default") == "asynq:{default}:scheduled")
        #expect(QueueKeys.retry("default") == "asynq:{default}:retry")
        #expect(QueueKeys.archived("default") == "asynq:{default}:archived")
        #expect(QueueKeys.completed("default") == "asynq:{default}:completed")
        #expect(QueueKeys.paused("critical") == "asynq:{critical}:paused")
        #expect(QueueKeys.processedTotal("critical") == "asynq:{critical}:processed")
        #expect(QueueKeys.failedTotal("critical") == "asynq:{critical}:failed")
        #expect(QueueKeys.groups("q") == "asynq:{q}:groups")
        #expect(QueueKeys.groupKeyPrefix("q") == "asynq:{q}:g:")
        #expect(QueueKeys.group("q", name: "batch") == "asynq:{q}:g:batch")
        #expect(QueueKeys.aggregationSets("q") == "asynq:{q}:aggregation_sets")
        #expect(QueueKeys.container("q", state: .retry) == "asynq:{q}:retry")
        #expect(QueueKeys.container("q", state: .aggregating) == nil)
    }

    @Test func queueNamesAreNotInterpreted() {
        #expect(QueueKeys.pending("a b{c}") == "asynq:{a b{c}}:pending")
        #expect(QueueKeys.pending("") == "asynq:{}:pending")
    }

    @Test func dailyCountersUseTheUTCDate() throws {
        let formatter = ISO8601DateFormatter()
        // 23:30 in New York is already the next day in UTC.
        let evening = try #require(formatter.date(from: "2026-03-01T23:30:00-05:00"))
        #expect(evening.timeIntervalSince1970 == 1_772_425_800)
        #expect(QueueKeys.processed("1", on: evening) == "asynq:{1}:processed:2026-03-02")
        #expect(QueueKeys.failed("1", on: evening) == "asynq:{1}:failed:2026-03-02")
        // 00:30 in Athens is still the previous day in UTC.
        let night = try #require(formatter.date(from: "2026-03-02T00:30:00+02:00"))
        #expect(QueueKeys.processed("default", on: night) == "asynq:{default}:processed:2026-03-01")
        let lastSecond = Date(timeIntervalSince1970: 1_772_409_599)
        #expect(QueueKeys.failed("q", on: lastSecond) == "asynq:{q}:failed:2026-03-01")
        #expect(QueueKeys.failed("q", on: lastSecond.addingTimeInterval(1)) == "asynq:{q}:failed:2026-03-02")
    }

    @Test func uniqueKeys() {
        #expect(Digest.hex(Digest.md5([])) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(
            QueueKeys.unique("1", type: "monitor:ping:{region}", payload: Array(#"{"x":1}"#.utf8))
                == "asynq:{1}:unique:monitor:ping:{region}:ac3ef48caa08fa3ed5e025da69edc645"
        )
        #expect(QueueKeys.unique("q", type: "t", payload: []) == "asynq:{q}:unique:t:d41d8cd98f00b204e9800998ecf8427e")
        #expect(QueueKeys.unique("q", type: "t", payload: nil) == "asynq:{q}:unique:t:")
    }

    @Test func serverKeys() {
        #expect(QueueKeys.allServers == "asynq:servers")
        #expect(QueueKeys.allWorkers == "asynq:workers")
        #expect(QueueKeys.cancelChannel == "asynq:cancel")
        #expect(QueueKeys.serverInfo(host: "h", pid: 42, serverID: "uuid") == "asynq:servers:{h:42:uuid}")
        #expect(QueueKeys.workers(host: "h", pid: 42, serverID: "uuid") == "asynq:workers:{h:42:uuid}")
    }

    @Test func stateStrings() {
        #expect(
            TaskState.allCases.map(\.rawValue)
                == ["pending", "active", "scheduled", "retry", "archived", "completed", "aggregating"]
        )
        #expect(TaskState(rawValue: "Pending") == nil)
    }
}
