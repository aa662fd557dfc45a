import Foundation
import Testing

@testable import KnockerKit

extension CheckTests {
    /// Serialized: the thread count sampled by the 5,000-check test must not include the thread-per-connection
    /// server threads of the 1,000-check test.
    @Suite("Curl multi loop", .serialized)
    struct CurlMultiLoopTests {
        @Test func fiveThousandConcurrentChecksOnOneThread() async throws {
            let checks = 5_000
            try ProcessResources.allowOpenFiles(2 * checks + 2_000)  // both ends of each connection live here
            let server = try #require(TestHoldingHTTPServer())
            let loop = CurlMultiLoop()
            let config = HTTPMonitorConfig(url: server.url, requestTimeout: 30)
            let before = ProcessResources.threadCount()
            // Once every request has reached the server (all checks in flight), count threads, then let them finish.
            async let inFlight: (allHeld: Bool, threads: Int) = {
                let allHeld = await server.held(checks)
                let threads = ProcessResources.threadCount()
                _ = try? await offPool { server.release() }
                return (allHeld, threads)
            }()
            let failures = await withTaskGroup(of: HTTPCheckResult.self) { group in
                for _ in 0..<checks {
                    group.addTask { await loop.perform(HTTPCheckRequest(config: config)) }
                }
                var failures: [String] = []
                for await result in group where result.status != .successful {
                    failures.append(result.message ?? "\(result.status)")
                }
                return failures
            }
            _ = try? await offPool { server.release() }  // when not all arrived: ends the wait above
            let (allHeld, threads) = await inFlight
            await loop.shutdown()
            server.stop()

            #expect(allHeld, "not all \(checks) requests were in flight at once")
            #expect(failures.isEmpty, "\(failures.count) failed, first: \(failures.first ?? "")")
            #expect(threads - before < 100, "\(before) threads before, \(threads) with \(checks) checks in flight")
        }

        @Test func thousandConcurrentChecksSucceed() async throws {
            let server = try #require(TestHTTPServer.shared)
            let config = HTTPMonitorConfig(url: server.url("/status/200"), requestTimeout: 60)
            let failures = await withTaskGroup(of: HTTPCheckResult.self) { group in
                for _ in 0..<1000 {
                    group.addTask { await CheckTests.loop.perform(HTTPCheckRequest(config: config)) }
                }
                var failures: [String] = []
                for await result in group where result.status != .successful {
                    failures.append(result.message ?? "\(result.status)")
                }
                return failures
            }
            #expect(failures.isEmpty, "\(failures.count) failed, first: \(failures.first ?? "")")
        }

        @Test func reusedHandlesStartClean() async throws {
            // One check at a time on a private loop, so each check runs on the handle the previous one used.
            let server = try #require(TestHTTPServer.shared)
            let loop = CurlMultiLoop()
            var first = HTTPMonitorConfig(url: server.url("/echo"), requestTimeout: 10)
            first.method = "PUT"
            first.body = "<a/>"
            first.bodyEncoding = "xml"
            first.basicAuth = .init(username: "user", password: "pass")
            first.maxBodyBytes = 10
            let truncated = await loop.perform(HTTPCheckRequest(config: first))
            var second = HTTPMonitorConfig(url: server.url("/echo"), requestTimeout: 10)
            second.assertions = [
                .bodyContains("method=GET\n"),
                .bodyContains("content-type=\n"),
                .bodyContains("authorization=\n"),
                .bodyContains("user-agent=Knocker/\(Knocker.version)\n"),
                .bodyContains("body="),
                .bodyNotContains("<a/>"),
            ]
            let clean = await loop.perform(HTTPCheckRequest(config: second))
            let refused = await loop.perform(
                HTTPCheckRequest(config: HTTPMonitorConfig(url: "http://127.0.0.1:1/", requestTimeout: 10))
            )
            let afterError = await loop.perform(HTTPCheckRequest(config: second))
            await loop.shutdown()

            #expect(truncated.bodyTruncated)
            #expect(clean.status == .successful, "\(clean.message ?? "")")
            #expect(!clean.bodyTruncated)
            #expect(refused.message == "connection refused")
            #expect(afterError.status == .successful, "\(afterError.message ?? "")")
        }

        @Test func cancellingAHangingCheckReturnsPromptly() async throws {
            let server = try #require(TestHTTPServer.shared)
            let config = HTTPMonitorConfig(url: server.url("/hang/cancel"), requestTimeout: 60)
            let task = Task { await CheckTests.loop.perform(HTTPCheckRequest(config: config)) }
            await server.arrival(of: "cancel")
            let started = ContinuousClock.now
            task.cancel()
            let result = await task.value
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(result.status == .failed)
            #expect(result.message == "check cancelled")
        }

        @Test func shutdownFailsInFlightChecksAndLaterOnes() async throws {
            let server = try #require(TestHTTPServer.shared)
            let loop = CurlMultiLoop()
            let config = HTTPMonitorConfig(url: server.url("/hang/shutdown"), requestTimeout: 60)
            let task = Task { await loop.perform(HTTPCheckRequest(config: config)) }
            await server.arrival(of: "shutdown")
            await loop.shutdown()
            let result = await task.value
            #expect(result.message == "shutting down")
            let later = await loop.perform(HTTPCheckRequest(config: config))
            #expect(later.status == .failed)
            #expect(later.message == "shutting down")
        }
    }
}
