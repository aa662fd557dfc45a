import Foundation
import Synchronization
import Testing

@testable import KnockerKit

@Suite("Redis commands (needs KNOCKER_TEST_REDIS_URL)")
struct RedisCommandTests {
    @Test func binarySafeRoundTrip() async throws {
        let prefix = redisTestPrefix()
        let all = (0...255).map { UInt8($0) }
        let key = Array(prefix.utf8) + all
        try await withRedisClient { client in
            #expect(try await client.command(["SET", RedisArgument(key), RedisArgument(all)]) == .status("OK"))
            #expect(try await client.command(["GET", RedisArgument(key)]) == .bulk(all))
            #expect(try await client.command(["STRLEN", RedisArgument(key)]) == .integer(256))
            // Empty values and values that are only NUL survive too.
            _ = try await client.command(["SET", RedisArgument(key + [0]), RedisArgument([])])
            #expect(try await client.command(["GET", RedisArgument(key + [0])]) == .bulk([]))
            _ = try await client.command(["SET", RedisArgument(key + [1]), RedisArgument([0, 0, 0])])
            #expect(try await client.command(["GET", RedisArgument(key + [1])]).bytes == [0, 0, 0])
            _ = try await client.command([
                "DEL", RedisArgument(key), RedisArgument(key + [0]), RedisArgument(key + [1]),
            ])
        }
    }

    @Test func everyReplyType() async throws {
        let prefix = redisTestPrefix()
        try await withRedisClient { client in
            let status = try await client.command(["SET", "\(prefix)n", 41])
            #expect(status == .status("OK"))
            #expect(status.string == "OK")
            let integer = try await client.command(["INCR", "\(prefix)n"])
            #expect(integer == .integer(42))
            #expect(integer.int == 42)
            let bulk = try await client.command(["GET", "\(prefix)n"])
            #expect(bulk == .bulk(Array("42".utf8)))
            #expect(bulk.string == "42")
            #expect(bulk.int == 42)
            let null = try await client.command(["GET", "\(prefix)missing"])
            #expect(null == .null)
            #expect(null.isNull)
            #expect(null.string == nil)
            _ = try await client.command(["RPUSH", "\(prefix)list", "a", "b"])
            let array = try await client.command(["LRANGE", "\(prefix)list", 0, -1])
            #expect(array == .array([.bulk(Array("a".utf8)), .bulk(Array("b".utf8))]))
            #expect(array.array?.count == 2)
            let nested = try await client.pipeline([
                ["MULTI"], ["INCR", "\(prefix)n"], ["GET", "\(prefix)n"], ["EXEC"],
            ])
            #expect(nested.last == .array([.integer(43), .bulk(Array("43".utf8))]))
            // A script can return an error reply inside a table: it comes back as `.error`, not thrown.
            let script = RedisScript("return {1, redis.error_reply('MY failure'), false}")
            let mixed = try await client.run(script, keys: [], arguments: [])
            #expect(mixed == .array([.integer(1), .error("MY failure"), .null]))
            _ = try await client.command(["DEL", "\(prefix)n", "\(prefix)list"])
        }
    }

    @Test func errorRepliesThrowServerErrors() async throws {
        let prefix = redisTestPrefix()
        try await withRedisClient { client in
            _ = try await client.command(["SET", "\(prefix)s", "text"])
            let wrongType = await expectRedisError { _ = try await client.command(["LPUSH", "\(prefix)s", "x"]) }
            #expect(wrongType?.code == .server)
            #expect(wrongType?.message.hasPrefix("WRONGTYPE") == true)
            #expect(wrongType?.isConnectionError == false)
            let unknown = await expectRedisError { _ = try await client.command(["NOSUCHCOMMAND", "x"]) }
            #expect(unknown?.code == .server)
            #expect(unknown?.message.hasPrefix("ERR unknown command") == true)
            // The connection that got the error reply is still fine.
            #expect(try await client.command(["GET", "\(prefix)s"]).string == "text")
            #expect(client.statistics.open == 1)
            _ = try await client.command(["DEL", "\(prefix)s"])
        }
    }

    @Test func pipelineOfTenThousandKeepsErrorRepliesInPlace() async throws {
        let prefix = redisTestPrefix()
        try await withRedisClient { client in
            _ = try await client.command(["SET", "\(prefix)text", "not a number"])
            var commands: [[RedisArgument]] = (0..<10_000).map { _ in ["INCR", "\(prefix)counter"] }
            commands[5_000] = ["INCR", "\(prefix)text"]
            let replies = try await client.pipeline(commands)
            #expect(replies.count == 10_000)
            #expect(replies[0] == .integer(1))
            #expect(replies[4_999] == .integer(5_000))
            #expect(replies[5_000].errorMessage?.hasPrefix("ERR value is not an integer") == true)
            #expect(replies[5_001] == .integer(5_001))
            #expect(replies[9_999] == .integer(9_999))
            _ = try await client.command(["DEL", "\(prefix)text", "\(prefix)counter"])
        }
    }

    @Test func selectsTheConfiguredDatabase() async throws {
        let prefix = redisTestPrefix()
        var configuration = try TestServices.redisConfiguration()
        configuration.database = configuration.database == 7 ? 8 : 7
        let other = try TestServices.redisConfiguration()
        try await withRedisClient(configuration) { selected in
            try await withRedisClient(other) { plain in
                _ = try await selected.command(["SET", "\(prefix)k", "in-db"])
                #expect(try await plain.command(["EXISTS", "\(prefix)k"]) == .integer(0))
                #expect(try await selected.command(["GET", "\(prefix)k"]).string == "in-db")
                let info = try await selected.command(["CLIENT", "INFO"]).string ?? ""
                #expect(info.contains("db=\(configuration.database)"))
                _ = try await selected.command(["DEL", "\(prefix)k"])
            }
        }
    }

    @Test func fiftyTasksTimesTwoHundredCommands() async throws {
        let prefix = redisTestPrefix()
        try await withRedisClient { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<50 {
                    group.addTask {
                        for index in 0..<200 {
                            let reply = try await client.command(["INCR", "\(prefix)\(task)"])
                            #expect(reply == .integer(Int64(index + 1)))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let total = try await client.pipeline((0..<50).map { ["GET", "\(prefix)\($0)"] })
            #expect(total.allSatisfy { $0.int == 200 })
            #expect(client.statistics.open <= 8)
            #expect(client.statistics.inUse == 0)
            _ = try await client.command(["DEL"] + (0..<50).map { RedisArgument("\(prefix)\($0)") })
        }
    }

    @Test func poolExhaustionTimesOut() async throws {
        var configuration = try TestServices.redisConfiguration()
        configuration.poolSize = 1
        configuration.connectTimeout = .milliseconds(200)
        configuration.commandTimeout = .milliseconds(300)
        try await withRedisClient(configuration) { client in
            // The only connection stays lent until the waiter has timed out, whatever the machine's speed.
            let release = DispatchSemaphore(value: 0)
            let holding = Task {
                try await client.withConnection { connection in
                    _ = try connection.command(["PING"])
                    release.wait()
                }
            }
            try await eventually { client.statistics.inUse == 1 }
            let start = ContinuousClock.now
            let error = await expectRedisError { _ = try await client.command(["PING"]) }
            #expect(error?.code == .poolTimeout)
            #expect(ContinuousClock.now - start >= .milliseconds(450))
            release.signal()
            try await holding.value
            #expect(try await client.command(["PING"]) == .status("PONG"))
        }
    }

    @Test func cancellingAWaiterThrowsCancelled() async throws {
        var configuration = try TestServices.redisConfiguration()
        configuration.poolSize = 1
        try await withRedisClient(configuration) { client in
            // The only connection is held until the waiter has been cancelled, whatever the machine's speed.
            let release = DispatchSemaphore(value: 0)
            let holding = Task { try await client.withConnection { _ in release.wait() } }
            try await eventually { client.statistics.inUse == 1 }
            let waiting = Task { try await client.command(["PING"]) }
            try await eventually { client.statistics.waiting == 1 }
            waiting.cancel()
            let error = await expectRedisError { _ = try await waiting.value }
            #expect(error?.code == .cancelled)
            release.signal()
            try await holding.value
        }
    }

    @Test func shutdownFailsLaterCallsWithPoolClosed() async throws {
        let client = RedisClient(configuration: try TestServices.redisConfiguration(), logger: Logger(level: .critical))
        #expect(try await client.command(["PING"]) == .status("PONG"))
        await client.shutdown()
        let error = await expectRedisError { _ = try await client.command(["PING"]) }
        #expect(error?.code == .poolClosed)
        #expect(client.statistics == RedisPoolStatistics(open: 0, idle: 0, inUse: 0, waiting: 0))
    }

    @Test func poolThreadsAreNamed() async throws {
        try await withRedisClient { client in
            let name = try await client.withConnection { _ in Thread.current.name ?? "" }
            #expect(name.hasPrefix("knocker-redis-"))
        }
    }
}
