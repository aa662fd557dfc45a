import Foundation
import Synchronization
import Testing

@testable import KnockerKit

extension WorkTests {
    @Suite("Ping recorder: batching, retries, back-pressure")
    struct PingRecorderTests {
        static func ping(_ index: Int) -> RecordedPing {
            RecordedPing(
                time: Date(timeIntervalSince1970: TimeInterval(index)),
                monitorID: Int64(index),
                regionID: 1,
                latencyMs: index,
                status: .successful,
                message: nil
            )
        }

        /// Records every batch; fails the first `failures` writes.
        final class Sink: Sendable {
            let batches = Mutex<[[RecordedPing]]>([])
            let failuresLeft: Mutex<Int>
            let written = AsyncStream<Int>.makeStream()

            init(failures: Int = 0) { failuresLeft = Mutex(failures) }

            func write(_ batch: [RecordedPing]) throws {
                let fail = failuresLeft.withLock { left -> Bool in
                    guard left > 0 else { return false }
                    left -= 1
                    return true
                }
                if fail { throw PostgresError(code: .connectionLost, message: "server closed the connection") }
                batches.withLock { $0.append(batch) }
                written.continuation.yield(batch.count)
            }

            var all: [RecordedPing] { batches.withLock { $0.flatMap { $0 } } }
        }

        @Test func writesFullBatchesThenTheRestOnStop() async {
            let sink = Sink()
            let recorder = PingRecorder(
                settings: .init(flushInterval: .seconds(3600), batchSize: 10, writers: 1),
                logger: Logger(level: .error)
            ) { try sink.write($0) }
            let runner = Task { await recorder.run() }
            for index in 0..<25 { await recorder.record(Self.ping(index)) }
            var written = 0
            for await count in sink.written.stream {
                written += count
                if written == 20 { break }
            }
            #expect(sink.batches.withLock { $0.map(\.count) } == [10, 10])
            recorder.stop()
            await runner.value
            #expect(sink.batches.withLock { $0.map(\.count) } == [10, 10, 5])
            #expect(sink.all == (0..<25).map(Self.ping))
            #expect(recorder.statistics.written == 25)
            #expect(recorder.statistics.buffered == 0)
        }

        @Test func aPartialBatchIsWrittenAtTheFlushInterval() async {
            let sink = Sink()
            let recorder = PingRecorder(
                settings: .init(flushInterval: .milliseconds(20), batchSize: 1000, writers: 1),
                logger: Logger(level: .error)
            ) { try sink.write($0) }
            let runner = Task { await recorder.run() }
            await recorder.record(Self.ping(1))
            for await _ in sink.written.stream { break }
            #expect(sink.all == [Self.ping(1)])
            recorder.stop()
            await runner.value
        }

        @Test func failedWritesAreRetriedWithoutLoss() async {
            let sink = Sink(failures: 3)
            let recorder = PingRecorder(
                settings: .init(flushInterval: .seconds(3600), batchSize: 5, retryDelay: .milliseconds(1), writers: 1),
                logger: Logger(level: .error)
            ) { try sink.write($0) }
            let runner = Task { await recorder.run() }
            for index in 0..<12 { await recorder.record(Self.ping(index)) }
            recorder.stop()
            await runner.value
            #expect(sink.all == (0..<12).map(Self.ping))
            #expect(recorder.statistics.failedWrites == 3)
        }

        @Test func aFullBufferMakesRecordWait() async {
            let gate = Mutex<CheckedContinuation<Void, Never>?>(nil)
            let entered = AsyncStream<Void>.makeStream()
            let sink = Sink()
            let recorder = PingRecorder(
                settings: .init(flushInterval: .seconds(3600), batchSize: 2, bufferLimit: 4, writers: 1),
                logger: Logger(level: .error)
            ) { batch in
                // The first write blocks until the test opens the gate.
                if sink.batches.withLock({ $0.isEmpty }) {
                    await withCheckedContinuation { continuation in
                        gate.withLock { $0 = continuation }
                        entered.continuation.yield()
                    }
                }
                try sink.write(batch)
            }
            let runner = Task { await recorder.run() }
            for index in 0..<4 { await recorder.record(Self.ping(index)) }
            for await _ in entered.stream { break }
            let fifth = Task { await recorder.record(Self.ping(4)) }
            // The buffer is full (4 of 4): the fifth ping waits for the write.
            #expect(recorder.statistics.recorded == 4)
            gate.withLock { $0?.resume() }
            await fifth.value
            recorder.stop()
            await runner.value
            #expect(sink.all == (0..<5).map(Self.ping))
        }

        /// A gate the writer waits at: the test sees each write arrive and lets it finish (or fail).
        final class Gate: Sendable {
            private let waiting = Mutex<[CheckedContinuation<Bool, Never>]>([])
            let arrivals = AsyncStream<Int>.makeStream()
            private let inside = Mutex(0)
            let mostInside = Mutex(0)

            /// Waits until opened; returns whether the write succeeds.
            func pass() async -> Bool {
                let count = inside.withLock { count -> Int in
                    count += 1
                    return count
                }
                mostInside.withLock { $0 = max($0, count) }
                let succeed = await withCheckedContinuation { continuation in
                    waiting.withLock { $0.append(continuation) }
                    arrivals.continuation.yield(count)
                }
                inside.withLock { $0 -= 1 }
                return succeed
            }

            func open(succeeding: Bool = true) {
                let all = waiting.withLock { waiting in
                    defer { waiting = [] }
                    return waiting
                }
                for continuation in all { continuation.resume(returning: succeeding) }
            }
        }

        @Test func recordAndWaitReturnsOnceTheBatchIsWritten() async {
            let sink = Sink()
            let gate = Gate()
            let recorder = PingRecorder(
                settings: .init(flushInterval: .milliseconds(1), batchSize: 10, writers: 1),
                logger: Logger(level: .error)
            ) { batch in
                guard await gate.pass() else { throw CancellationError() }
                try sink.write(batch)
            }
            let runner = Task { await recorder.run() }
            let waiting = Task { await recorder.recordAndWait(Self.ping(1)) }
            for await _ in gate.arrivals.stream { break }
            #expect(sink.all.isEmpty, "not written yet, so the wait goes on")
            gate.open()
            #expect(await waiting.value == .written)
            #expect(sink.all == [Self.ping(1)])
            recorder.stop()
            await runner.value
        }

        @Test func aCancelledWaitTakesBackAPingNoWriteCarriesYet() async {
            let sink = Sink()
            let recorder = PingRecorder(
                settings: .init(flushInterval: .seconds(3600), batchSize: 10, writers: 1),
                logger: Logger(level: .error)
            ) { try sink.write($0) }
            let runner = Task { await recorder.run() }
            let waiting = Task { await recorder.recordAndWait(Self.ping(1)) }
            let kept = Task { await recorder.recordAndWait(Self.ping(2)) }
            try? await eventually("both pings are recorded") { recorder.statistics.recorded == 2 }
            waiting.cancel()
            #expect(await waiting.value == .withdrawn)
            #expect(recorder.statistics.withdrawn == 1)
            #expect(recorder.statistics.buffered == 1)
            recorder.stop()
            #expect(await kept.value == .written)
            await runner.value
            #expect(sink.all == [Self.ping(2)], "the withdrawn ping is never written")
        }

        @Test func aWaitCancelledDuringItsWriteFollowsThatWrite() async {
            for succeeding in [true, false] {
                let sink = Sink()
                let gate = Gate()
                let first = Mutex(true)
                let recorder = PingRecorder(
                    settings: .init(
                        flushInterval: .milliseconds(1),
                        batchSize: 10,
                        retryDelay: .milliseconds(1),
                        writers: 1
                    ),
                    logger: Logger(level: .error)
                ) { batch in
                    // Only the first write is held at the gate; retries go straight through.
                    if first.withLock({ value in
                        defer { value = false }
                        return value
                    }) {
                        guard await gate.pass() else { throw CancellationError() }
                    }
                    try sink.write(batch)
                }
                let runner = Task { await recorder.run() }
                let waiting = Task { await recorder.recordAndWait(Self.ping(1)) }
                for await _ in gate.arrivals.stream { break }
                waiting.cancel()
                gate.open(succeeding: succeeding)
                #expect(await waiting.value == (succeeding ? .written : .withdrawn))
                recorder.stop()
                await runner.value
                #expect(
                    sink.all == (succeeding ? [Self.ping(1)] : []),
                    "a failed write's cancelled ping is not retried"
                )
            }
        }

        @Test func twoWritersWriteAtOnceAndKeepEachMonitorsPingsInOrder() async {
            let sink = Sink()
            let gate = Gate()
            let recorder = PingRecorder(
                settings: .init(flushInterval: .milliseconds(1), batchSize: 50, writers: 2),
                logger: Logger(level: .error)
            ) { batch in
                _ = await gate.pass()
                try sink.write(batch)
            }
            let runner = Task { await recorder.run() }
            let opener = Task {
                for await _ in gate.arrivals.stream {
                    try? await Task.sleep(for: .milliseconds(2))
                    gate.open()
                }
            }
            // 20 monitors, 30 pings each, times increasing.
            var index = 0
            for round in 0..<30 {
                for monitor in 1...20 {
                    index += 1
                    await recorder.record(
                        RecordedPing(
                            time: Date(timeIntervalSince1970: TimeInterval(index)),
                            monitorID: Int64(monitor),
                            regionID: 1,
                            latencyMs: round,
                            status: .successful,
                            message: nil
                        )
                    )
                }
            }
            recorder.stop()
            await runner.value
            opener.cancel()
            let all = sink.all
            #expect(all.count == 600)
            for monitor in 1...20 {
                let times = all.filter { $0.monitorID == Int64(monitor) }.map(\.time)
                #expect(times == times.sorted(), "monitor \(monitor)'s pings in order")
            }
            #expect(gate.mostInside.withLock { $0 } == 2, "both writers wrote at once")
        }

        @Test func aWaitForRoomEndsWhenItsTaskIsCancelled() async {
            let gate = Gate()
            let recorder = PingRecorder(
                settings: .init(flushInterval: .milliseconds(1), batchSize: 1, bufferLimit: 1, writers: 1),
                logger: Logger(level: .error)
            ) { _ in _ = await gate.pass() }
            let runner = Task { await recorder.run() }
            let first = Task { await recorder.recordAndWait(Self.ping(1)) }
            for await _ in gate.arrivals.stream { break }
            // The buffer is full (its one ping is being written): the second waits for room until cancelled.
            let second = Task { await recorder.recordAndWait(Self.ping(2)) }
            try? await eventually("the second waits for room") { recorder.statistics.recorded == 1 }
            second.cancel()
            #expect(await second.value == .withdrawn)
            #expect(recorder.statistics.recorded == 1, "never added")
            #expect(recorder.statistics.withdrawn == 0, "never recorded, so not withdrawn")
            gate.open()
            #expect(await first.value == .written)
            recorder.stop()
            await runner.value
        }

        @Test func aFailedWriteThatWithdrawsPingsMakesRoomForWaitingOnes() async {
            let sink = Sink()
            let gate = Gate()
            let first = Mutex(true)
            let recorder = PingRecorder(
                settings: .init(
                    flushInterval: .milliseconds(1),
                    batchSize: 2,
                    bufferLimit: 2,
                    retryDelay: .milliseconds(1),
                    writers: 1
                ),
                logger: Logger(level: .error)
            ) { batch in
                let held = first.withLock { value in
                    defer { value = false }
                    return value
                }
                // The first write is held, then fails; later ones go through.
                if held, !(await gate.pass()) { throw PostgresError(code: .connectionLost, message: "down") }
                try sink.write(batch)
            }
            let runner = Task { await recorder.run() }
            let a = Task { await recorder.recordAndWait(Self.ping(1)) }
            let b = Task { await recorder.recordAndWait(Self.ping(2)) }
            for await _ in gate.arrivals.stream { break }
            let waiting = Task { await recorder.recordAndWait(Self.ping(3)) }
            try? await eventually("both pings are in the write") { recorder.statistics.recorded == 2 }
            a.cancel()
            gate.open(succeeding: false)
            #expect(await a.value == .withdrawn)
            #expect(await b.value == .written)
            #expect(await waiting.value == .written, "the withdrawn ping's room went to the waiting one")
            recorder.stop()
            await runner.value
            #expect(Set(sink.all.map(\.monitorID)) == [2, 3])
        }
    }
}
