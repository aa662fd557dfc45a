import Foundation
import Testing

@testable import KnockerKit

@Suite("Queue protobuf")
struct QueueProtobufTests {
    @Test func vectorEncodesByteExact() {
        let encoded = QueueFixtures.vectorMessage.encoded()
        #expect(encoded.count == 77)
        #expect(encoded == QueueFixtures.bytes(hex: QueueFixtures.vectorHex))
    }

    @Test func vectorDecodes() throws {
        let decoded = try TaskMessage(decoding: QueueFixtures.bytes(hex: QueueFixtures.vectorHex))
        #expect(decoded == QueueFixtures.vectorMessage)
    }

    @Test func everyFieldRoundTrips() throws {
        let message = TaskMessage(
            type: "notification:dispatch ✉️ Grüße",
            payload: [0, 1, 2, 0, 0xFF, 0xC3, 0x28, 0],
            id: "id-日本語",
            queue: "{critical}",
            retry: -1,
            retried: Int32.max,
            errorMessage: "context deadline exceeded: ü",
            timeout: Int64.max,
            deadline: Int64.min,
            uniqueKey: "asynq:{q}:unique:t:abc",
            lastFailedAt: 1_700_000_000,
            retention: 86_400,
            completedAt: 1_700_000_123,
            groupKey: "group/ß"
        )
        let encoded = message.encoded()
        #expect(try TaskMessage(decoding: encoded) == message)
        // Fields appear in field-number order: the tag bytes of fields 1 … 14.
        var reader = ProtobufReader(encoded)
        var numbers: [Int] = []
        while let field = try reader.next() { numbers.append(field.number) }
        #expect(numbers == Array(1...14))
    }

    @Test func emptyMessageEncodesToNothing() throws {
        #expect(TaskMessage().encoded().isEmpty)
        #expect(try TaskMessage(decoding: []) == TaskMessage())
    }

    @Test func decodingSlicesAndOtherCollections() throws {
        let bytes = [0xAA] + QueueFixtures.bytes(hex: QueueFixtures.vectorHex)
        #expect(try TaskMessage(decoding: bytes.dropFirst()) == QueueFixtures.vectorMessage)
    }

    @Test func unknownFieldsAreSkipped() throws {
        var bytes = QueueFixtures.bytes(hex: QueueFixtures.vectorHex)
        // v0.26 field 15 `headers` (map<string,string>) entry {"k": "v"}.
        bytes += [0x7A, 0x06, 0x0A, 0x01, 0x6B, 0x12, 0x01, 0x76]
        // Field 20 fixed32, field 21 fixed64, field 22 varint.
        bytes += [0xA5, 0x01, 1, 2, 3, 4]
        bytes += [0xA9, 0x01, 1, 2, 3, 4, 5, 6, 7, 8]
        bytes += [0xB0, 0x01, 0x96, 0x01]
        let decoded = try TaskMessage(decoding: bytes)
        #expect(decoded == QueueFixtures.vectorMessage)
        #expect(decoded.encoded() == QueueFixtures.bytes(hex: QueueFixtures.vectorHex))
    }

    @Test func knownFieldWithWrongWireTypeIsSkipped() throws {
        // Field 5 (retry) sent length-delimited, field 1 (type) sent as a varint.
        let decoded = try TaskMessage(decoding: [0x2A, 0x01, 0x07, 0x08, 0x05, 0x28, 0x03])
        #expect(decoded == TaskMessage(retry: 3))
    }

    @Test func lastOccurrenceWins() throws {
        #expect(try TaskMessage(decoding: [0x28, 0x01, 0x28, 0x02]).retry == 2)
    }

    @Test(arguments: [
        ([0x28, 0x80] as [UInt8], ProtobufError.truncatedVarint(offset: 1)),
        ([0x80], .truncatedVarint(offset: 0)),
        ([0x0A, 0x05, 0x61], .lengthPastEnd(offset: 2, length: 5, remaining: 1)),
        (
            [0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
            .lengthPastEnd(offset: 11, length: UInt64.max, remaining: 0)
        ),
        ([0x28] + [UInt8](repeating: 0xFF, count: 10) + [0x01], .varintOverflow(offset: 1)),
        ([0x28, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02], .varintOverflow(offset: 1)),
        ([0x0B], .badWireType(offset: 0, field: 1, wireType: 3)),
        ([0x0C], .badWireType(offset: 0, field: 1, wireType: 4)),
        ([0x0E], .badWireType(offset: 0, field: 1, wireType: 6)),
        ([0x0F], .badWireType(offset: 0, field: 1, wireType: 7)),
        ([0x00], .badFieldNumber(offset: 0, field: 0)),
        ([0x80, 0x80, 0x80, 0x80, 0x10], .badFieldNumber(offset: 0, field: 1 << 29)),
        ([0x0A, 0x02, 0xC3, 0x28], .invalidUTF8(field: 1)),
        ([0x1A, 0x01, 0xFF], .invalidUTF8(field: 3)),
        ([0x72, 0x03, 0xED, 0xA0, 0x80], .invalidUTF8(field: 14)),
        ([0xA5, 0x01, 1, 2], .lengthPastEnd(offset: 2, length: 4, remaining: 2)),
        ([0xA9, 0x01, 1], .lengthPastEnd(offset: 2, length: 8, remaining: 1)),
    ])
    func malformedInputThrows(bytes: [UInt8], expected: ProtobufError) {
        #expect(throws: expected) { try TaskMessage(decoding: bytes) }
        #expect(!expected.description.isEmpty)
    }

    @Test func binaryPayloadNeedsNoUTF8() throws {
        let message = TaskMessage(payload: [0xC3, 0x28, 0xFF, 0])
        #expect(try TaskMessage(decoding: message.encoded()).payload == [0xC3, 0x28, 0xFF, 0])
    }

    @Test func fuzzNeverTraps() {
        var generator = SeededGenerator(seed: 0x6B6E_6F63_6B65_72)
        let vector = QueueFixtures.bytes(hex: QueueFixtures.vectorHex)
        var decodedCount = 0
        for round in 0..<10_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                let count = Int.random(in: 0...64, using: &generator)
                bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                // Mutate the valid vector: flip bytes and cut it short, to reach deeper decoding paths.
                bytes = vector
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(
                        in: 0...255,
                        using: &generator
                    )
                }
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
            }
            if (try? TaskMessage(decoding: bytes)) != nil { decodedCount += 1 }
            _ = try? ServerInfo(decoding: bytes)
            _ = try? WorkerInfo(decoding: bytes)
            _ = try? ProtobufTimestamp(decoding: bytes)
        }
        #expect(decodedCount > 0)
    }

    @Test func serverInfoRoundTrips() throws {
        let info = ServerInfo(
            host: "probe-1.example",
            pid: 4242,
            serverID: "9f1c0e4e-5b55-4d4e-8d5f-0c1f4b8a2e77",
            concurrency: 10_000,
            queues: ["critical": 1, "7": 6, "default": 3],
            strictPriority: true,
            status: "active",
            startTime: ProtobufTimestamp(seconds: 1_700_000_000, nanos: 123_456_789),
            activeWorkerCount: 3
        )
        let encoded = info.encoded()
        #expect(try ServerInfo(decoding: encoded) == info)
        // Deterministic: same bytes every time, entries sorted by key ("7" < "critical" < "default").
        #expect(info.encoded() == encoded)
        let firstEntry: [UInt8] = [0x2A, 0x05, 0x0A, 0x01, 0x37, 0x10, 0x06]
        #expect(encoded.indices.contains { encoded[$0...].starts(with: firstEntry) })
        #expect(try ServerInfo(decoding: ServerInfo().encoded()) == ServerInfo())
    }

    @Test func serverInfoMapEntryWithoutValue() throws {
        // Entry {key: "q"} with the value left out decodes as weight 0.
        let decoded = try ServerInfo(decoding: [0x2A, 0x03, 0x0A, 0x01, 0x71])
        #expect(decoded.queues == ["q": 0])
    }

    @Test func workerInfoRoundTrips() throws {
        let worker = WorkerInfo(
            host: "probe-1",
            pid: 1,
            serverID: "s",
            taskID: "t-1",
            taskType: "monitor:ping:{region}",
            taskPayload: [0, 0x7B, 0x7D, 0xFF],
            queue: "1",
            startTime: ProtobufTimestamp(seconds: 1_700_000_000),
            deadline: ProtobufTimestamp(seconds: 0)
        )
        let decoded = try WorkerInfo(decoding: worker.encoded())
        #expect(decoded == worker)
        // A timestamp at the epoch is present but empty: tag 0x4A, length 0.
        #expect(worker.encoded().suffix(2) == [0x4A, 0x00])
        #expect(try WorkerInfo(decoding: WorkerInfo().encoded()) == WorkerInfo())
    }

    @Test func timestampFromDate() {
        let stamp = ProtobufTimestamp(Date(timeIntervalSince1970: 1_700_000_000.25))
        #expect(stamp.seconds == 1_700_000_000)
        #expect(abs(Int(stamp.nanos) - 250_000_000) < 1000)
        let before = ProtobufTimestamp(Date(timeIntervalSince1970: -1.5))
        #expect(before.seconds == -2 && before.nanos == 500_000_000)
        #expect(ProtobufTimestamp(seconds: 5, nanos: 500_000_000).date.timeIntervalSince1970 == 5.5)
    }

    @Test func negativeInt32UsesTenBytes() {
        var writer = ProtobufWriter()
        writer.writeInt32(5, -1)
        #expect(writer.bytes == [0x28] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
    }
}
