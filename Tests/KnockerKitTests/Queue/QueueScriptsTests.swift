import Foundation
import Testing

@testable import KnockerKit

@Suite("Queue scripts")
struct QueueScriptsTests {
    /// 2026-03-02T04:30:00.5Z.
    let now = Date(timeIntervalSince1970: 1_772_425_800.5)
    let message = TaskMessage(type: "monitor:ping:{region}", payload: [1, 0, 2], id: "t1", queue: "1", retry: 25)
    let max = "9223372036854775807"

    func texts(_ arguments: [[UInt8]]) -> [String] { arguments.map(QueueFixtures.text) }

    @Test func enqueueFamily() throws {
        let enqueue = QueueScripts.enqueueCall(message: message, now: now)
        #expect(enqueue.keys == ["asynq:{1}:t:t1", "asynq:{1}:pending"])
        #expect(enqueue.arguments == [message.encoded(), Array("t1".utf8), Array("1772425800500000000".utf8)])

        var unique = message
        unique.uniqueKey = "asynq:{1}:unique:monitor:ping:{region}:x"
        let enqueueUnique = try QueueScripts.enqueueUniqueCall(message: unique, lockTTL: 60, now: now)
        #expect(enqueueUnique.keys == [unique.uniqueKey, "asynq:{1}:t:t1", "asynq:{1}:pending"])
        #expect(
            enqueueUnique.arguments == [
                Array("t1".utf8), Array("60".utf8), unique.encoded(),
                Array("1772425800500000000".utf8),
            ]
        )
        #expect(throws: QueueScriptError.missingUniqueKey(taskID: "t1")) {
            try QueueScripts.enqueueUniqueCall(message: message, lockTTL: 60, now: now)
        }

        let processAt = now.addingTimeInterval(99.7)
        let schedule = QueueScripts.scheduleCall(message: message, processAt: processAt)
        #expect(schedule.keys == ["asynq:{1}:t:t1", "asynq:{1}:scheduled"])
        #expect(schedule.arguments == [message.encoded(), Array("1772425900".utf8), Array("t1".utf8)])

        let scheduleUnique = try QueueScripts.scheduleUniqueCall(
            message: unique,
            processAt: processAt,
            uniqueTTL: 3600,
            now: now
        )
        #expect(scheduleUnique.keys == [unique.uniqueKey, "asynq:{1}:t:t1", "asynq:{1}:scheduled"])
        #expect(texts(scheduleUnique.arguments).prefix(3) == ["t1", "3699", "1772425900"])
        #expect(scheduleUnique.arguments[3] == unique.encoded())
    }

    @Test func workerCalls() throws {
        let dequeue = QueueScripts.dequeueCall(queue: "1", now: now)
        #expect(dequeue.keys == ["asynq:{1}:pending", "asynq:{1}:paused", "asynq:{1}:active", "asynq:{1}:lease"])
        #expect(texts(dequeue.arguments) == ["1772425830", "asynq:{1}:t:"])

        let done = QueueScripts.doneCall(message: message, now: now)
        #expect(
            done.keys == [
                "asynq:{1}:active", "asynq:{1}:lease", "asynq:{1}:t:t1",
                "asynq:{1}:processed:2026-03-02", "asynq:{1}:processed",
            ]
        )
        #expect(texts(done.arguments) == ["t1", "1780201800", max])
        var unique = message
        unique.uniqueKey = "lock"
        #expect(try QueueScripts.doneUniqueCall(message: unique, now: now).keys.last == "lock")
        #expect(try QueueScripts.doneUniqueCall(message: unique, now: now).keys.count == 6)

        var kept = message
        kept.retention = 3600
        let complete = QueueScripts.markAsCompleteCall(message: kept, now: now)
        #expect(
            complete.keys == [
                "asynq:{1}:active", "asynq:{1}:lease", "asynq:{1}:completed", "asynq:{1}:t:t1",
                "asynq:{1}:processed:2026-03-02", "asynq:{1}:processed",
            ]
        )
        var completed = kept
        completed.completedAt = 1_772_425_800
        #expect(
            complete.arguments == [
                Array("t1".utf8), Array("1780201800".utf8), Array("1772429400".utf8),
                completed.encoded(), Array(max.utf8),
            ]
        )
        kept.uniqueKey = "lock"
        #expect(try QueueScripts.markAsCompleteUniqueCall(message: kept, now: now).keys.count == 7)

        let requeue = QueueScripts.requeueCall(message: message)
        #expect(requeue.keys == ["asynq:{1}:active", "asynq:{1}:lease", "asynq:{1}:pending", "asynq:{1}:t:t1"])
        #expect(texts(requeue.arguments) == ["t1"])
    }

    @Test func retryAndArchive() throws {
        let retryAt = now.addingTimeInterval(44)
        let retry = QueueScripts.retryCall(
            message: message,
            now: now,
            retryAt: retryAt,
            errorMessage: "boom",
            isFailure: true
        )
        #expect(
            retry.keys == [
                "asynq:{1}:t:t1", "asynq:{1}:active", "asynq:{1}:lease", "asynq:{1}:retry",
                "asynq:{1}:processed:2026-03-02", "asynq:{1}:failed:2026-03-02", "asynq:{1}:processed",
                "asynq:{1}:failed",
            ]
        )
        #expect(
            texts(retry.arguments).enumerated().filter { $0.offset != 1 }.map(\.element)
                == ["t1", "1772425844", "1780201800", "1", max]
        )
        let retried = try TaskMessage(decoding: retry.arguments[1])
        #expect(retried.retried == 1 && retried.errorMessage == "boom" && retried.lastFailedAt == 1_772_425_800)
        let notFailure = QueueScripts.retryCall(
            message: message,
            now: now,
            retryAt: retryAt,
            errorMessage: "x",
            isFailure: false
        )
        #expect(try TaskMessage(decoding: notFailure.arguments[1]).retried == 0)
        #expect(texts(notFailure.arguments)[4] == "0")

        let archive = QueueScripts.archiveCall(message: message, now: now, errorMessage: "dead")
        #expect(
            archive.keys == [
                "asynq:{1}:t:t1", "asynq:{1}:active", "asynq:{1}:lease", "asynq:{1}:archived",
                "asynq:{1}:processed:2026-03-02", "asynq:{1}:failed:2026-03-02", "asynq:{1}:processed",
                "asynq:{1}:failed", "asynq:{1}:t:",
            ]
        )
        #expect(
            texts(archive.arguments).enumerated().filter { $0.offset != 1 }.map(\.element)
                == ["t1", "1772425800", "1764649800", "10000", "1780201800", max]
        )
        let dead = try TaskMessage(decoding: archive.arguments[1])
        #expect(dead.retried == 0 && dead.errorMessage == "dead" && dead.lastFailedAt == 1_772_425_800)
    }

    @Test func maintenanceCalls() {
        let forward = QueueScripts.forwardCall(queue: "default", from: .retry, now: now)
        #expect(forward.keys == ["asynq:{default}:retry", "asynq:{default}:pending"])
        #expect(
            texts(forward.arguments) == [
                "1772425800", "asynq:{default}:t:", "1772425800500000000",
                "asynq:{default}:g:",
            ]
        )
        #expect(QueueScripts.forwardCall(queue: "q", from: .scheduled, now: now).keys[0] == "asynq:{q}:scheduled")

        let expired = QueueScripts.listLeaseExpiredCall(queue: "1", cutoff: now.addingTimeInterval(-30))
        #expect(expired.keys == ["asynq:{1}:lease"])
        #expect(texts(expired.arguments) == ["1772425770", "asynq:{1}:t:"])

        let janitor = QueueScripts.deleteExpiredCompletedCall(queue: "1", now: now)
        #expect(janitor.keys == ["asynq:{1}:completed"])
        #expect(texts(janitor.arguments) == ["1772425800", "asynq:{1}:t:", "100"])

        let extend = QueueScripts.extendLeaseCommand(queue: "1", ids: ["a", "b"], now: now)
        #expect(extend.map(texts) == ["ZADD", "asynq:{1}:lease", "XX", "1772425830", "a", "1772425830", "b"])
        #expect(QueueScripts.extendLeaseCommand(queue: "1", ids: [], now: now) == nil)
        #expect(QueueScripts.leaseExpiry(now: now) == 1_772_425_830)
    }

    @Test func serverStateCalls() {
        let server = ServerInfo(host: "h", pid: 7, serverID: "s", queues: ["1": 6])
        let workers = [WorkerInfo(taskID: "t1", queue: "1"), WorkerInfo(taskID: "t2", queue: "1")]
        let write = QueueScripts.writeServerStateCall(server: server, workers: workers)
        #expect(write.keys == ["asynq:servers:{h:7:s}", "asynq:workers:{h:7:s}"])
        #expect(
            write.arguments == [
                Array("10".utf8), server.encoded(), Array("t1".utf8), workers[0].encoded(),
                Array("t2".utf8), workers[1].encoded(),
            ]
        )
        let clear = QueueScripts.clearServerStateCall(server: server)
        #expect(clear.keys == write.keys && clear.arguments.isEmpty)
        #expect(
            QueueScripts.registerServerCommands(server: server, now: now).map { $0.map(QueueFixtures.text) }
                == [
                    ["ZADD", "asynq:servers", "1772425810", "asynq:servers:{h:7:s}"],
                    ["ZADD", "asynq:workers", "1772425810", "asynq:workers:{h:7:s}"],
                ]
        )
        #expect(
            QueueScripts.unregisterServerCommands(server: server).map { $0.map(QueueFixtures.text) }
                == [
                    ["ZREM", "asynq:servers", "asynq:servers:{h:7:s}"],
                    ["ZREM", "asynq:workers", "asynq:workers:{h:7:s}"],
                ]
        )
    }

    @Test func inspectorCalls() {
        let stats = QueueScripts.currentStatsCall(queue: "1", now: now)
        #expect(
            stats.keys == [
                "asynq:{1}:pending", "asynq:{1}:active", "asynq:{1}:scheduled", "asynq:{1}:retry",
                "asynq:{1}:archived", "asynq:{1}:completed", "asynq:{1}:processed:2026-03-02",
                "asynq:{1}:failed:2026-03-02", "asynq:{1}:processed", "asynq:{1}:failed", "asynq:{1}:paused",
                "asynq:{1}:groups",
            ]
        )
        #expect(texts(stats.arguments) == ["asynq:{1}:g:", "asynq:{1}:t:"])

        let run = QueueScripts.runTaskCall(queue: "1", id: "t1")
        #expect(run.keys == ["asynq:{1}:t:t1", "asynq:{1}:pending", "asynq:{1}:groups"])
        #expect(texts(run.arguments) == ["t1", "asynq:{1}:", "asynq:{1}:g:"])
        let archive = QueueScripts.archiveTaskCall(queue: "1", id: "t1", now: now)
        #expect(archive.keys == ["asynq:{1}:t:t1", "asynq:{1}:archived", "asynq:{1}:groups"])
        #expect(texts(archive.arguments) == ["t1", "1772425800", "asynq:{1}:", "asynq:{1}:g:"])
        let delete = QueueScripts.deleteTaskCall(queue: "1", id: "t1")
        #expect(delete.keys == ["asynq:{1}:t:t1", "asynq:{1}:groups"])
        #expect(texts(delete.arguments) == ["t1", "asynq:{1}:", "asynq:{1}:g:"])
    }

    @Test func statsReplyParses() throws {
        let since = QueueClock.nanoseconds(now) - 2_500_000_000
        let reply = ["3", "2", "1", "4", "5", "6", "7", "8", "9", "9223372036854775807", "11", "1", String(since)]
        let stats = try QueueStats(currentStatsReply: reply, now: now)
        #expect(stats.pending == 3 && stats.active == 2 && stats.scheduled == 1 && stats.retry == 4)
        #expect(stats.archived == 5 && stats.completed == 6 && stats.aggregating == 7)
        #expect(stats.processedToday == 8 && stats.failedToday == 9)
        #expect(stats.processedTotal == Int64.max && stats.failedTotal == 11)
        #expect(stats.paused)
        #expect(stats.latency == .milliseconds(2500))
        #expect(stats.size == 28)

        var idle = reply
        idle[11] = "0"
        idle[12] = "0"
        let quiet = try QueueStats(currentStatsReply: idle, now: now)
        #expect(!quiet.paused && quiet.latency == .zero)
        idle[12] = String(QueueClock.nanoseconds(now) + 1_000_000_000)
        #expect(try QueueStats(currentStatsReply: idle, now: now).latency == .zero)

        #expect(throws: QueueStats.ParseError.wrongCount(12)) {
            try QueueStats(currentStatsReply: Array(reply.prefix(12)), now: now)
        }
        var bad = reply
        bad[4] = "x"
        #expect(throws: QueueStats.ParseError.notANumber(index: 5)) { try QueueStats(currentStatsReply: bad, now: now) }
        bad[4] = "-1"
        #expect(throws: QueueStats.ParseError.notANumber(index: 5)) { try QueueStats(currentStatsReply: bad, now: now) }
    }

    @Test func everyScriptIsListedOnce() {
        let names = QueueScripts.all.map(\.name)
        #expect(names.count == 21)
        #expect(Set(names).count == names.count)
        for script in QueueScripts.all {
            #expect(!script.source.isEmpty)
            #expect(!script.source.contains("\\("), "\(script.name) has an uninterpolated fragment")
        }
    }

    /// Scripts the reference marks fully declared must not build key names in Lua (no concatenation), so they run
    /// under Dragonfly's strict mode.
    @Test func declaredScriptsBuildNoKeys() {
        let declared = [
            "enqueue", "enqueueUnique", "schedule", "scheduleUnique", "done", "doneUnique",
            "markAsComplete", "markAsCompleteUnique", "requeue", "retry", "writeServerState", "clearServerState",
        ]
        for script in QueueScripts.all where declared.contains(script.name) {
            #expect(!script.source.contains(".."), "\(script.name) builds a key")
        }
    }

    /// Every script is valid Lua 5.1 (the dialect Redis embeds), checked with `luac -p` when it is installed.
    @Test func scriptsParseWithLuac() async throws {
        let candidates = ["/usr/bin/luac5.1", "/usr/bin/luac", "/usr/local/bin/luac"]
        guard let luac = requiredTool("luac (lua5.1)", candidates: candidates) else { return }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("knocker-lua-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for script in QueueScripts.all {
            let file = directory.appendingPathComponent(script.name + ".lua")
            try Data(script.source.utf8).write(to: file)
            let run = try await runTool(luac, ["-p", file.path])
            #expect(run.status == 0, "\(script.name): \(run.standardError)")
        }
    }
}
