import Foundation
import Testing

@testable import KnockerKit

extension CheckTests {
    @Suite("Curl multi loop")
    struct CurlMultiLoopTests {
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
