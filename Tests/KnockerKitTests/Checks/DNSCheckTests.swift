import Foundation
import Testing

@testable import KnockerKit

extension CheckTests {
    /// The DNS checker every DNS test shares.
    static let dnsChecker = DNSChecker(loop: SocketLoop(name: "test-dns-probe"))

    /// Runs one DNS check against the shared test DNS server (over IPv4 unless `ipv6`).
    static func dnsCheck(
        _ name: String,
        _ type: String = "A",
        expected: [String]? = nil,
        timeoutSeconds: Int = 5,
        ipv6: Bool = false
    ) async throws -> DNSCheckResult {
        let server = try #require(TestDNSServer.shared)
        let config = DNSMonitorConfig(
            name: name,
            recordType: type,
            server: server.server(ipv6: ipv6),
            timeoutSeconds: timeoutSeconds,
            expected: expected
        )
        return await dnsChecker.perform(config)
    }

    @Suite("DNS check against a local DNS server: answers, errors, timeout, TCP fallback, cancellation")
    struct DNSCheckTests {
        @Test func addressRecords() async throws {
            let server = try #require(TestDNSServer.shared)
            let a = try await CheckTests.dnsCheck("a.test", expected: ["192.0.2.2"])
            #expect(a.status == .successful)
            #expect(a.message == nil)
            #expect(a.answers == ["192.0.2.1", "192.0.2.2"])
            #expect(a.server == "127.0.0.1:\(server.port)")
            #expect(a.responseCode == "NOERROR")
            #expect(!a.usedTCP)
            let aaaa = try await CheckTests.dnsCheck("V6.Test.", "AAAA", expected: ["2001:db8:0::1"])
            #expect(aaaa.status == .successful)
            #expect(aaaa.answers == ["2001:db8::1"])
        }

        @Test func cnameMXAndTXT() async throws {
            let alias = try await CheckTests.dnsCheck("www.test", "CNAME", expected: ["alias.test"])
            #expect(alias.status == .successful)
            #expect(alias.answers == ["alias.test"])
            let chained = try await CheckTests.dnsCheck("www.test", expected: ["192.0.2.1"])
            #expect(chained.status == .successful)
            #expect(chained.aliases == ["alias.test", "a.test"])
            #expect(chained.answers == ["192.0.2.1", "192.0.2.2"])
            let mx = try await CheckTests.dnsCheck("mail.test", "MX", expected: ["10 mx1.test", "mx2.test"])
            #expect(mx.status == .successful)
            #expect(mx.answers == ["10 mx1.test", "20 mx2.test"])
            let txt = try await CheckTests.dnsCheck("txt.test", "TXT", expected: ["v=spf1 -all"])
            #expect(txt.status == .successful)
            #expect(txt.answers == ["v=spf1 -all"])
        }

        @Test func expectedMismatch() async throws {
            let result = try await CheckTests.dnsCheck("a.test", expected: ["1.2.3.4"])
            #expect(result.status == .failed)
            #expect(result.message == "expected 1.2.3.4 not among the answers (192.0.2.1, 192.0.2.2)")
        }

        @Test func nxdomainNodataAndServfail() async throws {
            let server = try #require(TestDNSServer.shared)
            let nx = try await CheckTests.dnsCheck("example.invalid")
            #expect(nx.status == .failed)
            #expect(nx.message == "NXDOMAIN: example.invalid does not exist")
            #expect(nx.responseCode == "NXDOMAIN")
            let nodata = try await CheckTests.dnsCheck("a.test", "AAAA")
            #expect(nodata.message == "no AAAA records for a.test")
            #expect(nodata.responseCode == "NOERROR")
            let servfail = try await CheckTests.dnsCheck("servfail.test")
            #expect(servfail.status == .failed)
            #expect(servfail.message == "server 127.0.0.1:\(server.port) answered SERVFAIL")
        }

        @Test func timeout() async throws {
            let server = try #require(TestDNSServer.shared)
            let started = ContinuousClock.now
            let result = try await CheckTests.dnsCheck("silent.test", timeoutSeconds: 1)
            let elapsed = started.duration(to: .now)
            #expect(result.status == .timeout)
            #expect(result.message == "timed out after 1 s (no answer from 127.0.0.1:\(server.port))")
            #expect(result.latencyMs >= 1000)
            #expect(elapsed >= .seconds(1))
            #expect(elapsed < .seconds(10))
        }

        @Test func truncatedAnswerFallsBackToTCP() async throws {
            let result = try await CheckTests.dnsCheck("big.test", "TXT")
            #expect(result.status == .successful)
            #expect(result.usedTCP)
            // One TXT record of twelve 200-byte strings: 2.4 kB, more than the 1232 bytes of a UDP answer.
            let expected = (0..<12).map { String(repeating: Character(String($0 % 10)), count: 200) }.joined()
            #expect(result.answers == [expected])
        }

        @Test func ignoresStrayAndGarbageDatagrams() async throws {
            let result = try await CheckTests.dnsCheck("noisy.test", expected: ["192.0.2.9"])
            #expect(result.status == .successful)
            #expect(result.answers == ["192.0.2.9"])
        }

        @Test func onlyGarbageIsReportedAsMalformed() async throws {
            let server = try #require(TestDNSServer.shared)
            let result = try await CheckTests.dnsCheck("garbage.test", timeoutSeconds: 1)
            #expect(result.status == .failed)
            #expect(
                result.message
                    == "malformed answer from 127.0.0.1:\(server.port): message ends inside the header"
            )
        }

        @Test func connectionRefused() async throws {
            let port = try #require(TestDNSServer.closedPort())
            let started = ContinuousClock.now
            let result = await CheckTests.dnsChecker.perform(
                DNSMonitorConfig(name: "a.test", server: "127.0.0.1:\(port)", timeoutSeconds: 10)
            )
            #expect(result.status == .failed)
            #expect(result.message == "connection refused by 127.0.0.1:\(port)")
            #expect(started.duration(to: .now) < .seconds(5))
        }

        @Test func overIPv6() async throws {
            let server = try #require(TestDNSServer.shared)
            guard server.hasIPv6 else { return }
            let result = try await CheckTests.dnsCheck("a.test", ipv6: true)
            #expect(result.status == .successful)
            #expect(result.server == "[::1]:\(server.port)")
            let big = try await CheckTests.dnsCheck("big.test", "TXT", ipv6: true)
            #expect(big.usedTCP)
            #expect(big.answers.first?.count == 2400)
        }

        @Test func systemResolverFromResolvConf() async throws {
            // resolv.conf cannot name a port, so point it at a closed port 53 on a loopback address nobody uses.
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("knocker-dns-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("resolv.conf").path
            try "nameserver 127.83.41.7\noptions timeout:1 attempts:1\n".write(
                toFile: path,
                atomically: true,
                encoding: .utf8
            )
            let checker = DNSChecker(loop: SocketLoop(name: "test-dns-resolv"), resolvConfPath: path)
            let result = await checker.perform(DNSMonitorConfig(name: "a.test", timeoutSeconds: 2))
            #expect(result.server == "127.83.41.7:53")
            #expect(result.status != .successful)
        }

        @Test func cancellingTheCallerEndsTheLookup() async throws {
            let server = try #require(TestDNSServer.shared)
            let task = Task {
                try await CheckTests.dnsCheck("silent-cancel.test", timeoutSeconds: 30)
            }
            await server.arrival(of: "silent-cancel.test")
            let started = ContinuousClock.now
            task.cancel()
            let result = try await task.value
            #expect(result.status == .failed)
            #expect(result.message == "check cancelled")
            #expect(started.duration(to: .now) < .seconds(5))
        }

        @Test func invalidConfig() async {
            let result = await CheckTests.dnsChecker.perform(DNSMonitorConfig(name: "a.test", recordType: "SRV"))
            #expect(result.status == .failed)
            #expect(result.message == "unsupported record type SRV")
            #expect(result.server == nil)
        }
    }
}
