import Foundation
import Testing

@testable import KnockerKit

/// Tests of the monitor checks.
enum CheckTests {
    /// The loop every check test shares.
    static let loop = CurlMultiLoop()

    /// Runs one check of `path` on the shared test server with a 10 s timeout, after `adjust`.
    static func check(
        _ path: String,
        _ adjust: (inout HTTPMonitorConfig) -> Void = { _ in }
    ) async throws -> HTTPCheckResult {
        let server = try #require(TestHTTPServer.shared)
        var config = HTTPMonitorConfig(url: server.url(path), requestTimeout: 10)
        adjust(&config)
        return await loop.perform(HTTPCheckRequest(config: config))
    }
}

extension CheckTests {
    @Suite("HTTP check: status, redirects, errors")
    struct HTTPCheckTests {
        @Test func okWithOrderedTimings() async throws {
            let result = try await CheckTests.check("/status/200")
            #expect(result.status == .successful)
            #expect(result.statusCode == 200)
            #expect(result.message == nil)
            let timings = result.timings
            #expect(timings.connect > .zero)
            #expect(timings.total > .zero)
            #expect(timings.dns <= timings.connect)
            #expect(timings.connect <= timings.firstByte)
            #expect(timings.firstByte <= timings.total)
            #expect(timings.tls == .zero)
            #expect(result.bodyBytes == "status 200".utf8.count)
        }

        @Test func unexpectedStatus() async throws {
            let result = try await CheckTests.check("/status/503")
            #expect(result.status == .failed)
            #expect(result.statusCode == 503)
            #expect(result.message == "unexpected status 503")
        }

        @Test func acceptedStatusCodes() async throws {
            let notFound = try await CheckTests.check("/status/404") { $0.acceptedStatusCodes = [404] }
            #expect(notFound.status == .successful)
            let ok = try await CheckTests.check("/status/200") { $0.acceptedStatusCodes = [201] }
            #expect(ok.message == "unexpected status 200")
            let created = try await CheckTests.check("/status/201")
            #expect(created.status == .successful)
        }

        @Test func followsRedirectsUpToTheLimit() async throws {
            let followed = try await CheckTests.check("/redirect/3") { $0.maxRedirects = 3 }
            #expect(followed.status == .successful)
            #expect(followed.statusCode == 200)
            let tooMany = try await CheckTests.check("/redirect/3") { $0.maxRedirects = 2 }
            #expect(tooMany.status == .failed)
            #expect(tooMany.message == "too many redirects (more than 2)")
            let loop = try await CheckTests.check("/loop")
            #expect(loop.message == "too many redirects (more than 10)")
        }

        @Test func zeroMaxRedirectsChecksTheRedirect() async throws {
            let result = try await CheckTests.check("/redirect/1") { $0.maxRedirects = 0 }
            #expect(result.statusCode == 302)
            #expect(result.message == "unexpected status 302")
            let accepted = try await CheckTests.check("/loop") {
                $0.maxRedirects = 0
                $0.acceptedStatusCodes = [302]
            }
            #expect(accepted.status == .successful)
        }

        @Test func timesOut() async throws {
            let result = try await CheckTests.check("/hang/timeout") { $0.requestTimeout = 1 }
            #expect(result.status == .timeout)
            #expect(result.message == "timed out after 1 s")
            #expect(result.statusCode == nil)
        }

        @Test func connectionRefused() async throws {
            let port = try #require(TestHTTPServer.closedPort())
            let config = HTTPMonitorConfig(url: "http://127.0.0.1:\(port)/", requestTimeout: 10)
            let result = await CheckTests.loop.perform(HTTPCheckRequest(config: config))
            #expect(result.status == .failed)
            #expect(result.message == "connection refused")
        }

        @Test func dnsFailure() async {
            // .invalid never resolves (RFC 6761).
            let config = HTTPMonitorConfig(url: "http://knocker-test.invalid/", requestTimeout: 5)
            let result = await CheckTests.loop.perform(HTTPCheckRequest(config: config))
            #expect(result.status == .failed)
            #expect(result.message == "DNS lookup failed for host knocker-test.invalid")
        }

        @Test func upsideDownInverts() async throws {
            let down = try await CheckTests.check("/status/500") { $0.upsideDownMode = true }
            #expect(down.status == .successful)
            #expect(down.message == "upside down mode: unexpected status 500")
            let up = try await CheckTests.check("/status/200") { $0.upsideDownMode = true }
            #expect(up.status == .failed)
            #expect(up.message == "upside down mode: the check passed")
        }

        @Test func degradedWhenSlow() async throws {
            let slow = try await CheckTests.check("/delay/300") { $0.degradedAfterMs = 100 }
            #expect(slow.status == .degraded)
            #expect(slow.isUp)
            #expect(slow.latencyMs >= 300)
            #expect(slow.message?.hasPrefix("slow response: ") == true)
            let fast = try await CheckTests.check("/status/200") { $0.degradedAfterMs = 60_000 }
            #expect(fast.status == .successful)
        }

        @Test func messagesForTransportErrors() {
            let config = HTTPMonitorConfig(url: "https://example.invalid/x", maxRedirects: 4)
            #expect(HTTPCheck.message(for: .dns, config: config) == "DNS lookup failed for host example.invalid")
            #expect(
                HTTPCheck.message(for: .tls("SSL certificate problem: certificate has expired"), config: config)
                    == "TLS certificate problem: certificate has expired"
            )
            let handshake = "OpenSSL/3.0.15: error:0A000410:SSL routines::sslv3 alert handshake failure"
            #expect(
                HTTPCheck.message(for: .tls(handshake), config: config) == "TLS handshake failed: \(handshake)",
                "not a certificate problem"
            )
            let mismatch = "SSL: no alternative certificate subject name matches target host name 'a.example'"
            #expect(
                HTTPCheck.message(for: .tls(mismatch), config: config)
                    == "TLS certificate is for another host: it does not name a.example"
            )
            let commonName = "SSL: certificate subject name 'b.example' does not match target host name 'a.example'"
            #expect(
                HTTPCheck.message(for: .tls(commonName), config: config)
                    == "TLS certificate is for another host: it does not name a.example"
            )
            #expect(HTTPCheck.message(for: .tooManyRedirects, config: config) == "too many redirects (more than 4)")
        }
    }
}
