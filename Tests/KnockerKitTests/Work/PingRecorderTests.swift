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
                settings: .init(flushInterval: .seconds(3600), batchSize: 10),
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
                settings: .init(flushInterval: .milliseconds(20), batchSize: 1000),
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
                settings: .init(flushInterval: .seconds(3600), batchSize: 5, retryDelay: .milliseconds(1)),
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
                settings: .init(flushInterval: .seconds(3600), batchSize: 2, bufferLimit: 4),
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
    }
}
