import Foundation
import Synchronization
import Testing

@testable import KnockerKit

@Suite("IDGenerator")
struct IDGeneratorTests {
    @Test func layoutMatchesSonyflake() throws {
        let time = Date(timeIntervalSince1970: IDGenerator.epoch + 1234.25)
        let generator = IDGenerator(machineID: 0xBEEF, now: { time })
        let id = try generator.next()
        #expect(id == Int64(123_425) << 24 | 0xBEEF)
        let parts = IDGenerator.decompose(id)
        #expect(parts.machineID == 0xBEEF)
        #expect(parts.sequence == 0)
        #expect(abs(parts.time.timeIntervalSince1970 - time.timeIntervalSince1970) < 0.011)
        #expect(id > 0)
    }

    @Test func strictlyIncreasingEvenWhenTheClockStandsStill() throws {
        let time = Date(timeIntervalSince1970: IDGenerator.epoch + 10)
        let generator = IDGenerator(machineID: 1, now: { time })
        var previous = try generator.next()
        for _ in 0..<1000 {
            let id = try generator.next()
            #expect(id > previous)
            previous = id
        }
        // 1001 IDs in one 10 ms unit borrow three more units.
        #expect(IDGenerator.decompose(previous).time.timeIntervalSince1970 > time.timeIntervalSince1970 + 0.02)
    }

    @Test func clockGoingBackwardsStillIncreases() throws {
        let clock = Locked(Date(timeIntervalSince1970: IDGenerator.epoch + 100))
        let generator = IDGenerator(machineID: 7, now: { clock.withLock { $0 } })
        let first = try generator.next()
        clock.withLock { $0 = Date(timeIntervalSince1970: IDGenerator.epoch + 50) }
        #expect(try generator.next() > first)
    }

    @Test func differentMachinesNeverCollide() throws {
        let time = Date(timeIntervalSince1970: IDGenerator.epoch + 5)
        let a = IDGenerator(machineID: 1, now: { time })
        let b = IDGenerator(machineID: 2, now: { time })
        var seen = Set<Int64>()
        for _ in 0..<600 {
            #expect(seen.insert(try a.next()).inserted)
            #expect(seen.insert(try b.next()).inserted)
        }
    }

    @Test func uniqueAcrossThreads() async throws {
        let generator = IDGenerator(machineID: 3)
        let ids = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for _ in 0..<8 {
                group.addTask { try (0..<2000).map { _ in try generator.next() } }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(Set(ids).count == ids.count)
    }

    @Test func refusesAClockBeforeTheEpoch() {
        let generator = IDGenerator(machineID: 1, now: { Date(timeIntervalSince1970: 0) })
        #expect(throws: IDGenerator.Failure.clockBeforeEpoch) { try generator.next() }
    }
}

@Suite("DurationText")
struct DurationTextTests {
    @Test func parsesUnits() {
        #expect(DurationText.parse("500ms") == .milliseconds(500))
        #expect(DurationText.parse("10s") == .seconds(10))
        #expect(DurationText.parse("2m") == .seconds(120))
        #expect(DurationText.parse("1h") == .seconds(3600))
        #expect(DurationText.parse("1d") == .seconds(86_400))
        #expect(DurationText.parse("1.5") == .milliseconds(1500))
        #expect(DurationText.parse("-1s") == nil)
        #expect(DurationText.parse("soon") == nil)
        #expect(DurationText.parse("") == nil)
    }

    @Test func formatsShortest() {
        #expect(DurationText.format(.milliseconds(250)) == "250ms")
        #expect(DurationText.format(.seconds(10)) == "10s")
        #expect(DurationText.format(.seconds(120)) == "2m")
        #expect(DurationText.format(.milliseconds(1500)) == "1.5s")
        #expect(DurationText.format(.seconds(7200)) == "2h")
        #expect(DurationText.format(.seconds(86_400)) == "1d")
        #expect(DurationText.format(DurationText.maximum) == "36500d")
    }

    /// Texts too long for the arithmetic done with durations are refused, never trapped on.
    @Test func refusesDurationsBeyondTheMaximum() {
        #expect(DurationText.maximum == .seconds(36_500 * 86_400))
        #expect(DurationText.parse("36500d") == DurationText.maximum)
        #expect(DurationText.parse("876000h") == DurationText.maximum)
        #expect(DurationText.parse("3153600000") == DurationText.maximum)
        #expect(DurationText.parse("36500.001d") == nil)
        #expect(DurationText.parse("3153600001s") == nil)
        for text in [
            "99999999999999d", "200000000d", "3000000d", "1e20s", "1e20", "1e300ms", "1e308d", "inf", "infs", "nan",
            "-inf", "-1e20s", "-0.5",
        ] {
            #expect(DurationText.parse(text) == nil, "\(text)")
        }
        #expect(DurationText.parse("-0") == .zero)
        #expect(DurationText.parse("0.0004s") == .zero)
    }

    @Test func parsesWithinARangeOrSaysWhy() {
        let range = Duration.zero...Duration.seconds(3600)
        #expect(DurationText.parse("10m", in: range) == .success(.seconds(600)))
        #expect(DurationText.parse("1h", in: range) == .success(.seconds(3600)))
        let expected = "expected a duration from 0s to 1h such as 500ms, 10s or 2m"
        #expect(DurationText.parse("61m", in: range) == .failure(.init(reason: expected)))
        #expect(DurationText.parse("1e20s", in: range) == .failure(.init(reason: expected)))
        #expect(DurationText.parse("soon", in: range) == .failure(.init(reason: expected)))
        #expect(
            DurationText.parse("-5m", in: range)
                == .failure(.init(reason: "durations cannot be negative (\(expected))"))
        )
        #expect(
            DurationText.describe(.milliseconds(10)...DurationText.maximum)
                == "a duration from 10ms to 36500d such as 500ms, 10s or 2m"
        )
    }

    @Test func wholeMillisecondsSaturatesInsteadOfTrapping() {
        #expect(Duration.milliseconds(1500).wholeMilliseconds == 1500)
        #expect(Duration.seconds(Int64.max).wholeMilliseconds == .max)
        #expect(Duration.seconds(Int64.min).wholeMilliseconds == .min)
        #expect(Duration.seconds(Int64.max / 1000).wholeMilliseconds == Int64.max / 1000 * 1000)
    }
}

@Suite("Logger")
struct LoggerTests {
    func capture(_ format: Logger.Format, level: Logger.Level = .info) -> (Logger, @Sendable () -> [String]) {
        let lines = Locked<[String]>([])
        let logger = Logger(
            label: "test",
            level: level,
            format: format,
            sink: .init { line in lines.withLock { $0.append(line) } },
            clock: { Date(timeIntervalSince1970: 1_700_000_000.25) }
        )
        return (logger, { lines.withLock { $0 } })
    }

    @Test func textLinesCarryLevelLabelAndFields() {
        let (logger, lines) = capture(.text)
        logger.with("region", "eu").info("started", ("workers", 3), ("note", "two words"))
        logger.debug("hidden")
        #expect(lines() == ["2023-11-14T22:13:20.250Z INFO [test] started region=eu workers=3 note=\"two words\""])
    }

    @Test func jsonLinesAreValidJSON() throws {
        let (logger, lines) = capture(.json)
        logger.error("boom \"quoted\"\n", ("k", "v"))
        let line = try #require(lines().first)
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
        #expect(object?["level"] == "error")
        #expect(object?["message"] == "boom \"quoted\"\n")
        #expect(object?["k"] == "v")
    }

    @Test func levelsParse() {
        #expect(Logger.Level(name: "WARNING") == .warning)
        #expect(Logger.Level(name: "loud") == nil)
    }
}

@Suite("BlockingThreadPool")
struct BlockingThreadPoolTests {
    @Test func runsOnOwnedNamedThreads() async throws {
        let pool = BlockingThreadPool(name: "test-pool", threads: 2)
        defer { pool.shutdown() }
        let name = try await pool.run { ThreadName.current }
        #expect(name.hasPrefix("test-pool-"))
    }

    @Test func propagatesErrors() async {
        struct Boom: Error {}
        let pool = BlockingThreadPool(name: "test-errors", threads: 1)
        defer { pool.shutdown() }
        await #expect(throws: Boom.self) { try await pool.run { throw Boom() } }
    }

    @Test func boundsConcurrencyToTheThreadCount() async throws {
        let pool = BlockingThreadPool(name: "test-bound", threads: 3)
        defer { pool.shutdown() }
        let state = Locked((running: 0, peak: 0))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<30 {
                group.addTask {
                    try await pool.run {
                        state.withLock {
                            $0.running += 1
                            $0.peak = max($0.peak, $0.running)
                        }
                        usleep(2000)
                        state.withLock { $0.running -= 1 }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(state.withLock { $0.peak } <= 3)
        #expect(pool.startedThreads == 3)
    }

    @Test func threadsStartWhenWorkNeedsThem() async throws {
        let pool = BlockingThreadPool(name: "test-lazy", threads: 4)
        defer { pool.shutdown() }
        #expect(pool.startedThreads == 0, "no thread before any work")
        let gate = Gate()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 { group.addTask { try await pool.run { gate.wait() } } }
            try await eventually("two jobs run at once") { pool.startedThreads == 2 && pool.queuedJobs == 0 }
            gate.open()
            gate.open()
            try await group.waitForAll()
        }
        #expect(pool.startedThreads == 2)
    }

    @Test func aPoolThatNeverRanShutsDownAtOnce() {
        BlockingThreadPool(name: "test-idle", threads: 8).shutdown()
    }

    @Test func cancellingARunningJobCallsTheCancelHook() async throws {
        let pool = BlockingThreadPool(name: "test-cancel", threads: 1)
        defer { pool.shutdown() }
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let task = Task {
            try await pool.run(onCancel: { release.signal() }) {
                started.signal()
                release.wait()
                return 1
            }
        }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                started.wait()
                continuation.resume()
            }
        }
        task.cancel()
        #expect(try await task.value == 1)
    }

    @Test func cancellingAQueuedJobDropsIt() async throws {
        let pool = BlockingThreadPool(name: "test-drop", threads: 1)
        defer { pool.shutdown() }
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let blocker = Task {
            try await pool.run {
                started.signal()
                release.wait()
            }
        }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                started.wait()
                continuation.resume()
            }
        }
        let ran = Locked(false)
        let queued = Task { try await pool.run { ran.withLock { $0 = true } } }
        while pool.queuedJobs == 0 { await Task.yield() }
        queued.cancel()
        await #expect(throws: CancellationError.self) { try await queued.value }
        release.signal()
        try await blocker.value
        #expect(ran.withLock { $0 } == false)
    }

    @Test func refusesWorkAfterShutdown() async {
        let pool = BlockingThreadPool(name: "test-shutdown", threads: 2)
        pool.shutdown()
        await #expect(throws: BlockingThreadPool.ShutDown.self) { try await pool.run { 1 } }
    }
}

/// A value behind a lock that closures on other threads may share.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<T>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
}

@Suite("TaskID")
struct TaskIDTests {
    @Test func isALowerCaseVersion4UUID() throws {
        var seen = Set<String>()
        for _ in 0..<1000 {
            let id = TaskID.random()
            let uuid = try #require(UUID(uuidString: id))
            #expect(id == uuid.uuidString.lowercased())
            let bytes = uuid.uuid
            #expect(bytes.6 >> 4 == 4)
            #expect(bytes.8 >> 6 == 0b10)
            seen.insert(id)
        }
        #expect(seen.count == 1000)
    }

    @Test func isDeterministicForASeededGenerator() {
        struct Fixed: RandomNumberGenerator {
            var value: UInt64
            mutating func next() -> UInt64 { value }
        }
        var generator = Fixed(value: 0)
        #expect(TaskID.random(using: &generator) == "00000000-0000-4000-8000-000000000000")
        generator.value = .max
        #expect(TaskID.random(using: &generator) == "ffffffff-ffff-4fff-bfff-ffffffffffff")
    }
}
