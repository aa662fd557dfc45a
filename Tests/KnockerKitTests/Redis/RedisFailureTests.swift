import Foundation
import Synchronization
import Testing

@testable import KnockerKit

@Suite("Redis connection failures")
struct RedisFailureTests {
    @Test func nextCommandAfterRestartSucceeds() async throws {
        try await withTemporaryRedisServer { server in
            try await withRedisClient(server.configuration) { client in
                #expect(try await client.command(["SET", "k", "before"]) == .status("OK"))
                #expect(client.statistics.idle == 1)
                try await server.restart()
                #expect(try await client.command(["GET", "k"]) == .null)  // no persistence
                #expect(try await client.command(["PING"]) == .status("PONG"))
                #expect(client.statistics.open == 1)
            }
        }
    }

    @Test func serverDownFailsFastAndRepeatedly() async throws {
        var configuration = RedisConfiguration(host: "127.0.0.1", port: try TemporaryRedisServer.freePort())
        // A refused connection must fail at once, not after the connect timeout; the bound is half the timeout so a
        // loaded machine (the whole suite runs in parallel) cannot make this flaky.
        configuration.connectTimeout = .seconds(10)
        try await withRedisClient(configuration) { client in
            for _ in 0..<20 {
                let start = ContinuousClock.now
                let error = await expectRedisError { _ = try await client.command(["PING"]) }
                #expect(error?.code == .connectionFailed)
                #expect(error?.isConnectionError == true)
                #expect(error?.message.contains("cannot connect to Redis at 127.0.0.1:\(configuration.port)") == true)
                #expect(ContinuousClock.now - start < .seconds(5))
            }
            #expect(client.statistics == RedisPoolStatistics(open: 0, idle: 0, inUse: 0, waiting: 0))
        }
    }

    @Test func connectAttemptsBackOffWhileTheServerIsDown() async throws {
        let port = try TemporaryRedisServer.freePort()
        let lines = Mutex<[String]>([])
        let logger = Logger(level: .warning, sink: Logger.Sink { line in lines.withLock { $0.append(line) } })
        let client = RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: port), logger: logger)
        let start = ContinuousClock.now
        for _ in 0..<10 {
            let error = await expectRedisError { _ = try await client.command(["PING"]) }
            #expect(error?.code == .connectionFailed)
        }
        let elapsed = ContinuousClock.now - start
        await client.shutdown()
        // Attempts may start at 0, 0.1, 0.3, 0.7, 1.5 … s; every other call fails with the last error, unattempted.
        var allowed = 0
        var due = Duration.zero
        var delay = Duration.milliseconds(100)
        while due <= elapsed {
            allowed += 1
            due += delay
            delay = min(delay * 2, .seconds(5))
        }
        let attempts = lines.withLock { $0.filter { $0.contains("backing off") }.count }
        #expect(attempts >= 1)
        #expect(attempts <= allowed)
        #expect(attempts < 10)
    }

    @Test func recoversWhenTheServerComesBackAfterBeingDown() async throws {
        try await withTemporaryRedisServer { server in
            try await withRedisClient(server.configuration) { client in
                #expect(try await client.command(["PING"]) == .status("PONG"))
                try await server.stop()
                let error = await expectRedisError { _ = try await client.command(["PING"]) }
                #expect(error?.code == .connectionFailed)
                try await server.startAgain()
                // Within the longest backoff step the client connects again by itself.
                try await eventually(timeout: .seconds(6)) {
                    (try? await client.command(["PING"])) == .status("PONG")
                }
            }
        }
    }

    @Test func wrongPasswordIsAClearErrorWithoutThePassword() async throws {
        try await withTemporaryRedisServer(password: "right-secret") { server in
            var configuration = server.configuration
            configuration.password = "wrong-secret"
            try await withRedisClient(configuration) { client in
                let error = await expectRedisError { _ = try await client.command(["PING"]) }
                #expect(error?.code == .connectionFailed)
                #expect(error?.message.contains("refused the password") == true)
                #expect(error?.description.contains("wrong-secret") == false)
            }
            try await withRedisClient(server.configuration) { client in
                let pong = try await client.command(["PING"])
                #expect(pong == .status("PONG"))
            }
            configuration.password = nil
            try await withRedisClient(configuration) { client in
                let error = await expectRedisError { _ = try await client.command(["GET", "x"]) }
                #expect(error?.code == .server)
                #expect(error?.message.hasPrefix("NOAUTH") == true)
            }
        }
    }

    @Test func commandTimeoutDiscardsTheConnection() async throws {
        try await withTemporaryRedisServer { server in
            var configuration = server.configuration
            configuration.commandTimeout = .milliseconds(300)
            try await withRedisClient(configuration) { client in
                #expect(try await client.command(["PING"]) == .status("PONG"))
                let start = ContinuousClock.now
                let error = await expectRedisError { _ = try await client.command(["DEBUG", "SLEEP", "3"]) }
                #expect(error?.code == .timeout)
                #expect(error?.isConnectionError == true)
                // Well before the server's 3 s sleep ends (with room for a busy machine).
                #expect(ContinuousClock.now - start < .seconds(2.5))
                #expect(client.statistics == RedisPoolStatistics(open: 0, idle: 0, inUse: 0, waiting: 0))
                // Once the server is awake, a new connection answers.
                try await eventually("the server answers again", timeout: .seconds(10)) {
                    (try? await client.command(["PING"])) == .status("PONG")
                }
            }
        }
    }

    @Test func blockingCommandLongerThanTheTimeoutTimesOut() async throws {
        var configuration = try TestServices.redisConfiguration()
        configuration.commandTimeout = .milliseconds(300)
        let key = redisTestPrefix() + "empty"
        try await withRedisClient(configuration) { client in
            let error = await expectRedisError { _ = try await client.command(["BLPOP", RedisArgument(key), 2]) }
            #expect(error?.code == .timeout)
            #expect(client.statistics.open == 0)
            let pong = try await client.command(["PING"])
            #expect(pong == .status("PONG"))
        }
    }
}
