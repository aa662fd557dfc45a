import Foundation
import Testing

@testable import KnockerKit

extension CheckTests {
    /// The socket loop and resolver the socket-check tests share.
    static let socketLoop = SocketLoop(name: "test-probe")
    static let resolver = HostResolver(threads: 2)
    static let tcp = TCPChecker(loop: socketLoop, resolver: resolver)

    @Suite("TCP check: connect, send, expect")
    struct TCPCheckTests {
        @Test func openPortIsUp() async throws {
            let server = try #require(TestHTTPServer.shared)
            let result = await CheckTests.tcp.perform(TCPMonitorConfig(host: "127.0.0.1", port: Int(server.port)))
            #expect(result.status == .successful, "\(result.message ?? "")")
            #expect(result.message == nil)
            #expect(result.address == SocketAddress(ip: "127.0.0.1", port: server.port))
            #expect(result.connectTime != nil)
        }

        @Test func localhostNameResolves() async throws {
            let server = try #require(TestHTTPServer.shared)
            let result = await CheckTests.tcp.perform(TCPMonitorConfig(host: "localhost", port: Int(server.port)))
            // localhost may list ::1 first; the checker falls back to 127.0.0.1 when ::1 refuses.
            #expect(result.status == .successful, "\(result.message ?? "")")
        }

        @Test func closedPortIsRefused() async throws {
            let port = try #require(TestHTTPServer.closedPort())
            let result = await CheckTests.tcp.perform(TCPMonitorConfig(host: "127.0.0.1", port: Int(port)))
            #expect(result.status == .failed)
            #expect(result.message == "connection refused by 127.0.0.1:\(port)")
            #expect(result.connectTime == nil)
        }

        @Test func sendAndExpect() async throws {
            let server = try #require(TestHTTPServer.shared)
            let config = TCPMonitorConfig(
                host: "127.0.0.1",
                port: Int(server.port),
                send: "GET /status/200 HTTP/1.0\r\n\r\n",
                expect: "200 Test"
            )
            let result = await CheckTests.tcp.perform(config)
            #expect(result.status == .successful, "\(result.message ?? "")")
            #expect(result.reply?.hasPrefix("HTTP/1.1 200 Test\\r\\n") == true, "\(result.reply ?? "")")
        }

        @Test func expectedTextMissingWhenThePeerCloses() async throws {
            let server = try #require(TestHTTPServer.shared)
            let config = TCPMonitorConfig(
                host: "127.0.0.1",
                port: Int(server.port),
                send: "GET /status/503 HTTP/1.0\r\n\r\n",
                expect: "200 Test"
            )
            let result = await CheckTests.tcp.perform(config)
            #expect(result.status == .failed)
            let message = try #require(result.message)
            #expect(
                message.hasPrefix(
                    "connection closed by 127.0.0.1:\(server.port) before \"200 Test\" arrived (got \"HTTP/1.1 503"
                ),
                "\(message)"
            )
        }

        @Test func timesOutWaitingForTheExpectedText() async throws {
            let server = try #require(TestHTTPServer.shared)
            let config = TCPMonitorConfig(
                host: "127.0.0.1",
                port: Int(server.port),
                timeoutSeconds: 1,
                send: "GET /hang/tcp-timeout HTTP/1.0\r\n\r\n",
                expect: "never"
            )
            let result = await CheckTests.tcp.perform(config)
            #expect(result.status == .timeout)
            #expect(result.message == "timed out after 1 s waiting for \"never\" (got nothing)")
            #expect(result.latencyMs >= 1000)
        }

        @Test func unknownHostFailsTheLookup() async {
            let result = await CheckTests.tcp.perform(TCPMonitorConfig(host: "no-such-host.invalid", port: 80))
            #expect(result.status == .failed)
            #expect(result.message?.hasPrefix("DNS lookup failed for host no-such-host.invalid") == true)
        }

        @Test func cancellationEndsTheCheck() async throws {
            let server = try #require(TestHTTPServer.shared)
            let config = TCPMonitorConfig(
                host: "127.0.0.1",
                port: Int(server.port),
                timeoutSeconds: 30,
                send: "GET /hang/tcp-cancel HTTP/1.0\r\n\r\n",
                expect: "never"
            )
            let task = Task { await CheckTests.tcp.perform(config) }
            await server.arrival(of: "tcp-cancel")
            task.cancel()
            let result = await task.value
            #expect(result.status == .failed)
            #expect(result.message == "check cancelled")
        }

        @Test func displayTextEscapesControlCharacters() {
            #expect(TCPCheck.displayText(Array("+PONG\r\n".utf8)) == "+PONG\\r\\n")
            #expect(TCPCheck.displayText([0x01, 0x41]) == "\\x01A")
            #expect(TCPCheck.displayText([UInt8](repeating: 0x41, count: 300)).hasSuffix("A…"))
        }
    }
}
