import Foundation
import Testing

@testable import KnockerKit

/// `knocker check` as a process against the local test HTTP server.
@Suite("knocker check (binary)")
struct CheckCommandTests {
    func server() throws -> TestHTTPServer {
        try #require(TestHTTPServer.shared, "the local test HTTP server did not start")
    }

    @Test func anUpEndpointExitsZeroWithTimings() async throws {
        let result = try await KnockerProcess.run(["check", try server().url("/status/200")])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("UP  "))
        #expect(result.standardOutput.contains("  200  "))
        #expect(result.standardOutput.contains("dns ") && result.standardOutput.contains("first byte"))
    }

    @Test func aDownEndpointExitsOneAndSaysWhy() async throws {
        let result = try await KnockerProcess.run(["check", try server().url("/status/503"), "--json"])
        #expect(result.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        #expect(object?["status"] as? String == "failed")
        #expect(object?["status_code"] as? Int == 503)
        #expect(object?["message"] as? String == "unexpected status 503")
        #expect((object?["timings"] as? [String: Double])?["total_ms"] ?? 0 > 0)
    }

    @Test func flagsAndConfigFileCombine() async throws {
        let directory = KnockerProcess.emptyDirectory()
        try #"{"accepted_status_codes": [503]}"#.write(toFile: directory + "/c.json", atomically: true, encoding: .utf8)
        let accepted = try await KnockerProcess.run(
            ["check", try server().url("/status/503"), "--config", "c.json"],
            directory: directory
        )
        #expect(accepted.status == 0, "\(accepted.standardError)")
        let keyword = try await KnockerProcess.run(["check", try server().url("/json"), "--contains", "nowhere"])
        #expect(keyword.status == 1)
        let redirect = try await KnockerProcess.run(["check", try server().url("/redirect/1"), "--max-redirects", "0"])
        #expect(redirect.status == 1)
        #expect(redirect.standardOutput.contains("unexpected status 302"))
    }

    @Test func repeatedChecksPrintASummary() async throws {
        let result = try await KnockerProcess.run([
            "check", try server().url("/status/200"), "--count", "3", "--interval", "0",
        ])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("3 checks, 0 down (0% loss); latency min "))
        #expect(result.standardOutput.contains(" p95 "))
    }

    @Test func repeatedJSONIsOneLinePerCheck() async throws {
        let result = try await KnockerProcess.run(
            ["check", try server().url("/status/200"), "--count", "2", "--interval", "0", "--json"])
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == 2)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["up"] as? Bool == true)
        }
    }

    @Test func badInputIsAUsageError() async throws {
        let scheme = try await KnockerProcess.run(["check", "ftp://example.org"])
        #expect(scheme.status == 64)
        #expect(scheme.standardError.contains("url: must start with http:// or https://"))
        let missing = try await KnockerProcess.run(["check"])
        #expect(missing.status == 64)
        let header = try await KnockerProcess.run(["check", "http://127.0.0.1/", "-H", "no-colon"])
        #expect(header.status == 64)
        #expect(header.standardError.contains("is not in the form 'Name: value'"))
        let count = try await KnockerProcess.run(["check", "http://127.0.0.1/", "--count", "0"])
        #expect(count.status == 64)
        let hint = try await KnockerProcess.run(["check", "example.org:443"])
        #expect(hint.status == 64)
        #expect(hint.standardError.contains("(for tcp, dns or ping checks add --type)"))
        let wrongFlag = try await KnockerProcess.run(["check", "--type", "tcp", "127.0.0.1:1", "-H", "A: b"])
        #expect(wrongFlag.status == 64)
        #expect(wrongFlag.standardError.contains("--header applies to http checks, not tcp checks."))
        let noPort = try await KnockerProcess.run(["check", "--type", "tcp", "127.0.0.1"])
        #expect(noPort.status == 64)
        #expect(noPort.standardError.contains("is not host:port"))
        let badPort = try await KnockerProcess.run(["check", "-t", "tcp", "127.0.0.1:70000"])
        #expect(badPort.status == 64)
        #expect(badPort.standardError.contains("port: must be between 1 and 65535 (got 70000)"))
    }

    @Test func tcpChecks() async throws {
        let port = try server().port
        let open = try await KnockerProcess.run([
            "check", "--type", "tcp", "127.0.0.1:\(port)", "--send", "GET /status/200 HTTP/1.0\\r\\n\\r\\n",
            "--expect", "200 Test",
        ])
        #expect(open.status == 0, "\(open.standardOutput) \(open.standardError)")
        #expect(open.standardOutput.hasPrefix("UP  127.0.0.1:\(port)  "))
        #expect(open.standardOutput.contains("  connected to 127.0.0.1:\(port) in "))
        #expect(open.standardOutput.contains("  reply \"HTTP/1.1 200 Test\\r\\n"))
        let closedPort = try #require(TestHTTPServer.closedPort())
        let closed = try await KnockerProcess.run(["check", "-t", "tcp", "127.0.0.1:\(closedPort)", "--json"])
        #expect(closed.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(closed.standardOutput.utf8)) as? [String: Any]
        #expect(object?["type"] as? String == "tcp")
        #expect(object?["message"] as? String == "connection refused by 127.0.0.1:\(closedPort)")
        #expect(object?["status_code"] == nil)
    }

    @Test func dnsChecks() async throws {
        let dns = try #require(TestDNSServer.shared)
        let found = try await KnockerProcess.run([
            "check", "--type", "dns", "www.test", "--server", dns.server(), "--expect", "192.0.2.2",
        ])
        #expect(found.status == 0, "\(found.standardOutput) \(found.standardError)")
        #expect(found.standardOutput.hasPrefix("UP  www.test A  "))
        #expect(found.standardOutput.contains("  answers 192.0.2.1, 192.0.2.2"))
        let missing = try await KnockerProcess.run([
            "check", "-t", "dns", "nowhere.test", "--server", dns.server(), "-r", "MX", "--json",
        ])
        #expect(missing.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(missing.standardOutput.utf8)) as? [String: Any]
        #expect(object?["response_code"] as? String == "NXDOMAIN")
        #expect((object?["message"] as? String)?.contains("NXDOMAIN") == true)
    }

    @Test func pingChecks() async throws {
        let local = try await KnockerProcess.run(["check", "--type", "ping", "127.0.0.1", "--packets", "3"])
        #expect(local.status == 0, "\(local.standardOutput) \(local.standardError)")
        #expect(local.standardOutput.hasPrefix("UP  127.0.0.1  "))
        #expect(local.standardOutput.contains("  127.0.0.1: 3 sent, 3 received, 0% loss"))
        let v6 = try await KnockerProcess.run(["check", "-t", "ping", "::1", "--ipv6", "--json"])
        #expect(v6.status == 0, "\(v6.standardOutput) \(v6.standardError)")
        let object = try JSONSerialization.jsonObject(with: Data(v6.standardOutput.utf8)) as? [String: Any]
        #expect(object?["address"] as? String == "::1")
        #expect((object?["rtts_ms"] as? [Double])?.count == 1)
        let family = try await KnockerProcess.run(["check", "-t", "ping", "127.0.0.1", "--ipv6"])
        #expect(family.status == 64)
        #expect(family.standardError.contains("ip_version: is 6 but host \"127.0.0.1\" is an IPv4 address"))
        let both = try await KnockerProcess.run(["check", "-t", "ping", "localhost", "--ipv4", "--ipv6"])
        #expect(both.status == 64)
    }

    @Test func unescapesSendText() {
        #expect(CheckConfigBuilder.unescape(#"PING\r\n"#) == "PING\r\n")
        #expect(CheckConfigBuilder.unescape(#"a\\b\x"#) == #"a\b\x"#)
        #expect(CheckConfigBuilder.splitHostPort("[::1]:53")! == ("::1", 53))
        #expect(CheckConfigBuilder.splitHostPort("db:5432")! == ("db", 5432))
        #expect(CheckConfigBuilder.splitHostPort("::1") == nil)
        #expect(CheckConfigBuilder.splitHostPort("db:") == nil)
    }

    @Test func theSummaryStatistics() {
        let up = (1...20).map { (isUp: true, latencyMs: $0) }
        let summary = CheckSummary(up + [(isUp: false, latencyMs: 0)])
        #expect(summary.down == 1)
        #expect(summary.lossPercent == 4)
        #expect(summary.min == 1)
        #expect(summary.average == 10)
        #expect(summary.p95 == 19)
        #expect(summary.max == 20)
    }
}
