import Foundation
import Synchronization
import Testing

@testable import KnockerKit

@Suite("Redis pub/sub")
struct RedisPubSubTests {
    @Test func deliversPublishedMessages() async throws {
        let channel = redisTestPrefix() + "channel"
        try await withRedisClient { client in
            let subscribed = Mutex(0)
            let stream = client.subscribe(channels: [channel, channel + ":other"]) {
                subscribed.withLock { $0 += 1 }
            }
            try await eventually { subscribed.withLock { $0 } == 1 }
            let payload: [UInt8] = [0, 1, 2, 255, 10, 13]
            #expect(try await client.publish(channel: channel, message: payload) == 1)
            #expect(try await client.publish(channel: channel + ":other", message: Array("hi".utf8)) == 1)
            var iterator = stream.makeAsyncIterator()
            #expect(try await iterator.next() == RedisPubSubMessage(channel: channel, payload: payload))
            #expect(
                try await iterator.next() == RedisPubSubMessage(channel: channel + ":other", payload: Array("hi".utf8))
            )
        }
    }

    @Test func resubscribesAfterServerRestart() async throws {
        try await withTemporaryRedisServer { server in
            try await withRedisClient(server.configuration) { client in
                let subscribed = Mutex(0)
                let stream = client.subscribe(channels: ["events"]) { subscribed.withLock { $0 += 1 } }
                try await eventually { subscribed.withLock { $0 } == 1 }
                try await server.restart()
                try await eventually(timeout: .seconds(15)) { subscribed.withLock { $0 } == 2 }
                #expect(try await client.publish(channel: "events", message: Array("after".utf8)) == 1)
                var iterator = stream.makeAsyncIterator()
                #expect(
                    try await iterator.next() == RedisPubSubMessage(channel: "events", payload: Array("after".utf8))
                )
            }
        }
    }

    @Test func streamEndsWhenConsumerStopsAndOnShutdown() async throws {
        try await withTemporaryRedisServer { server in
            let client = RedisClient(configuration: server.configuration, logger: Logger(level: .critical))
            let subscribed = Mutex(0)
            let first = client.subscribe(channels: ["a"]) { subscribed.withLock { $0 += 1 } }
            let second = client.subscribe(channels: ["b"]) { subscribed.withLock { $0 += 1 } }
            try await eventually { subscribed.withLock { $0 } == 2 }
            let consumer = Task { for try await _ in first {} }
            consumer.cancel()
            _ = try? await consumer.value
            try await eventually {
                try await client.command(["PUBSUB", "NUMSUB", "a"]) == .array([.bulk(Array("a".utf8)), .integer(0)])
            }
            await client.shutdown()
            var iterator = second.makeAsyncIterator()
            #expect(try await iterator.next() == nil)
            let late = client.subscribe(channels: ["c"])
            let error = await expectRedisError { for try await _ in late {} }
            #expect(error?.code == .poolClosed)
        }
    }
}
