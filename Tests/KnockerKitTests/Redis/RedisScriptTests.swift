import Foundation
import Testing

@testable import KnockerKit

@Suite("Redis scripts")
struct RedisScriptTests {
    static let incrementBy = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")

    @Test func sha1MatchesKnownVectors() {
        #expect(Digest.hex(Digest.sha1(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(Digest.hex(Digest.sha1([])) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(RedisScript("return 1").sha1 == "e0e1f9fabfc9d4800c877a703b823ac0578ff8db")
    }

    @Test func evalshaFallsBackToEvalAfterScriptFlush() async throws {
        try await withTemporaryRedisServer { server in
            try await withRedisClient(server.configuration) { client in
                _ = try await client.command(["SCRIPT", "FLUSH"])
                #expect(try await client.run(Self.incrementBy, keys: ["n"], arguments: [5]) == .integer(5))
                let loaded = try await client.command(["SCRIPT", "EXISTS", RedisArgument(Self.incrementBy.sha1)])
                #expect(loaded == .array([.integer(1)]))
                // The server's hash is the one we computed: EVALSHA with it works directly.
                let direct = try await client.command(["EVALSHA", RedisArgument(Self.incrementBy.sha1), 1, "n", 1])
                #expect(direct == .integer(6))
                _ = try await client.command(["SCRIPT", "FLUSH"])
                #expect(try await client.run(Self.incrementBy, keys: ["n"], arguments: [10]) == .integer(16))
            }
        }
    }

    @Test func scriptErrorsThrowServerErrors() async throws {
        let prefix = redisTestPrefix()
        try await withRedisClient { client in
            _ = try await client.command(["SET", "\(prefix)s", "text"])
            let error = await expectRedisError {
                _ = try await client.run(Self.incrementBy, keys: ["\(prefix)s"], arguments: [1])
            }
            #expect(error?.code == .server)
            #expect(error?.message.contains("not an integer") == true)
            _ = try await client.command(["DEL", "\(prefix)s"])
        }
    }

    @Test func runPipelinedReloadsAfterNoScript() async throws {
        try await withTemporaryRedisServer { server in
            try await withRedisClient(server.configuration) { client in
                _ = try await client.command(["SET", "text", "abc"])
                _ = try await client.command(["SCRIPT", "FLUSH"])
                let calls: [(keys: [RedisArgument], arguments: [RedisArgument])] = (0..<100).map { index in
                    index == 50 ? (keys: ["text"], arguments: [1]) : (keys: ["k\(index % 3)"], arguments: [1])
                }
                let replies = try await client.runPipelined(Self.incrementBy, calls: calls)
                #expect(replies.count == 100)
                #expect(replies[0] == .integer(1))
                #expect(replies[1] == .integer(1))
                #expect(replies[3] == .integer(2))
                #expect(replies[99] == .integer(34))
                #expect(replies[50].errorMessage?.contains("not an integer") == true)
                #expect(!replies.contains { $0.errorMessage?.hasPrefix("NOSCRIPT") == true })
                // Cached now: a second batch needs no reload and continues the counts.
                let again = try await client.runPipelined(Self.incrementBy, calls: [(keys: ["k0"], arguments: [1])])
                #expect(again == [.integer(35)])
            }
        }
    }
}
