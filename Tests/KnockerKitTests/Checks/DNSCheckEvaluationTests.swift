import Testing

@testable import KnockerKit

extension CheckTests {
    @Suite("DNS check: evaluation, CNAME chains, expected values, messages")
    struct DNSCheckEvaluationTests {
        static let server = DNSServerAddress(host: "127.0.0.1", port: 5353)!

        /// Evaluates a response carrying `answers` (and `rcode`) for `config`.
        static func evaluate(
            _ config: DNSMonitorConfig,
            rcode: UInt16 = 0,
            answers: [DNSTestPacket.Record] = [],
            overTCP: Bool = false
        ) throws -> DNSCheckResult {
            let type = DNSRecordType(name: config.recordType)?.rawValue ?? 1
            let bytes = DNSTestPacket.response(id: 1, name: config.name, type: type, rcode: rcode, answers: answers)
            let message = try DNSMessage.decode(bytes)
            return DNSCheck.evaluate(
                .answered(message, from: server, overTCP: overTCP),
                config: config,
                elapsed: .milliseconds(12.7)
            )
        }

        @Test func success() throws {
            let result = try Self.evaluate(
                DNSMonitorConfig(name: "example.com"),
                answers: [.a("example.com", "192.0.2.1"), .a("example.com", "192.0.2.2")],
                overTCP: true
            )
            #expect(result.status == .successful)
            #expect(result.isUp)
            #expect(result.message == nil)
            #expect(result.answers == ["192.0.2.1", "192.0.2.2"])
            #expect(result.server == "127.0.0.1:5353")
            #expect(result.responseCode == "NOERROR")
            #expect(result.latencyMs == 12)
            #expect(result.usedTCP)
        }

        @Test func nxdomainAndOtherCodes() throws {
            let nx = try Self.evaluate(DNSMonitorConfig(name: "example.invalid"), rcode: 3)
            #expect(nx.status == .failed)
            #expect(nx.message == "NXDOMAIN: example.invalid does not exist")
            #expect(nx.responseCode == "NXDOMAIN")
            let servfail = try Self.evaluate(DNSMonitorConfig(name: "example.com"), rcode: 2)
            #expect(servfail.message == "server 127.0.0.1:5353 answered SERVFAIL")
            let refused = try Self.evaluate(DNSMonitorConfig(name: "example.com"), rcode: 5)
            #expect(refused.message == "server 127.0.0.1:5353 answered REFUSED")
        }

        @Test func noRecordsOfTheType() throws {
            let result = try Self.evaluate(
                DNSMonitorConfig(name: "x.example", recordType: "AAAA"),
                answers: [.a("x.example", "192.0.2.1")]
            )
            #expect(result.status == .failed)
            #expect(result.message == "no AAAA records for x.example")
            #expect(result.answers.isEmpty)
        }

        @Test func followsCNAMEChains() throws {
            let answers: [DNSTestPacket.Record] = [
                .cname("www.example.com", "edge.example.net"),
                .cname("EDGE.example.net", "pop1.cdn.example"),
                .a("pop1.cdn.example", "198.51.100.7"),
                .a("unrelated.example", "203.0.113.1"),
            ]
            let result = try Self.evaluate(
                DNSMonitorConfig(name: "www.example.com", expected: ["198.51.100.7"]),
                answers: answers
            )
            #expect(result.status == .successful)
            #expect(result.answers == ["198.51.100.7"])
            #expect(result.aliases == ["edge.example.net", "pop1.cdn.example"])
            // A chain that ends without an address.
            let dangling = try Self.evaluate(
                DNSMonitorConfig(name: "www.example.com"),
                answers: [.cname("www.example.com", "gone.example")]
            )
            #expect(dangling.message == "no A records for www.example.com (alias of gone.example)")
            // A loop ends.
            let loop = try Self.evaluate(
                DNSMonitorConfig(name: "a.example"),
                answers: [.cname("a.example", "b.example"), .cname("b.example", "a.example")]
            )
            #expect(loop.status == .failed)
            #expect(loop.aliases == ["b.example"])
            // A CNAME query answers with the alias itself.
            let cname = try Self.evaluate(
                DNSMonitorConfig(name: "www.example.com", recordType: "CNAME", expected: ["Edge.Example.NET."]),
                answers: [.cname("www.example.com", "edge.example.net")]
            )
            #expect(cname.status == .successful)
            #expect(cname.answers == ["edge.example.net"])
            #expect(cname.aliases.isEmpty)
        }

        @Test func longChainsStop() throws {
            var answers: [DNSTestPacket.Record] = (0..<20).map { .cname("n\($0).example", "n\($0 + 1).example") }
            answers.append(.a("n20.example", "192.0.2.1"))
            let result = try Self.evaluate(DNSMonitorConfig(name: "n0.example"), answers: answers)
            #expect(result.status == .failed)
            #expect(result.aliases.count == DNSCheck.maximumAliases)
        }

        @Test func expectedValues() throws {
            let a = try Self.evaluate(
                DNSMonitorConfig(name: "x.example", expected: ["1.2.3.4"]),
                answers: [.a("x.example", "5.6.7.8")]
            )
            #expect(a.status == .failed)
            #expect(a.message == "expected 1.2.3.4 not among the answers (5.6.7.8)")
            let all = try Self.evaluate(
                DNSMonitorConfig(name: "x.example", expected: ["5.6.7.8", "1.2.3.4"]),
                answers: [.a("x.example", "5.6.7.8"), .a("x.example", "9.9.9.9")]
            )
            #expect(all.message == "expected 1.2.3.4 not among the answers (5.6.7.8, 9.9.9.9)")
            // IPv6 compares as addresses, not text.
            let v6 = try Self.evaluate(
                DNSMonitorConfig(name: "x.example", recordType: "AAAA", expected: ["2001:0DB8:0:0::1"]),
                answers: [.aaaa("x.example", "2001:db8::1")]
            )
            #expect(v6.status == .successful)
            #expect(v6.answers == ["2001:db8::1"])
        }

        @Test func expectedMXAndTXT() throws {
            let answers: [DNSTestPacket.Record] = [
                .mx("x.example", 10, "mx1.example"), .mx("x.example", 20, "mx2.example"),
            ]
            for (expected, passes) in [
                ("10 mx1.example", true), ("MX2.example.", true), ("20 mx1.example", false), ("mx3.example", false),
            ] {
                let result = try Self.evaluate(
                    DNSMonitorConfig(name: "x.example", recordType: "MX", expected: [expected]),
                    answers: answers
                )
                #expect(result.isUp == passes, "\(expected)")
            }
            let mx = try Self.evaluate(
                DNSMonitorConfig(name: "x.example", recordType: "MX", expected: ["mx3.example"]),
                answers: answers
            )
            #expect(mx.message == "expected mx3.example not among the answers (10 mx1.example, 20 mx2.example)")
            let txt = try Self.evaluate(
                DNSMonitorConfig(name: "x.example", recordType: "TXT", expected: ["v=spf1 include:_spf.example -all"]),
                answers: [.txt("x.example", ["v=spf1 include:_spf.example", " -all"]), .txt("x.example", ["other"])]
            )
            #expect(txt.status == .successful)
            #expect(txt.answers == ["v=spf1 include:_spf.example -all", "other"])
        }

        @Test func transportFailures() {
            let config = DNSMonitorConfig(name: "x.example", timeoutSeconds: 5)
            let other = DNSServerAddress(host: "::1")!
            let timeout = DNSCheck.evaluate(
                .failed(.timeout(servers: [Self.server, other])),
                config: config,
                elapsed: .seconds(5)
            )
            #expect(timeout.status == .timeout)
            #expect(timeout.message == "timed out after 5 s (no answer from 127.0.0.1:5353, [::1]:53)")
            #expect(timeout.latencyMs == 5000)
            #expect(timeout.server == "[::1]:53")
            let refused = DNSCheck.evaluate(
                .failed(.unreachable([.refused(Self.server)])),
                config: config,
                elapsed: .zero
            )
            #expect(refused.status == .failed)
            #expect(refused.message == "connection refused by 127.0.0.1:5353")
            let mixed = DNSCheck.evaluate(
                .failed(
                    .unreachable([
                        .malformed(Self.server, "message ends inside the header"),
                        .network(other, "network is unreachable"),
                    ])
                ),
                config: config,
                elapsed: .zero
            )
            #expect(
                mixed.message
                    == "malformed answer from 127.0.0.1:5353: message ends inside the header; cannot reach [::1]:53: network is unreachable"
            )
            let cancelled = DNSCheck.evaluate(.failed(.cancelled("check cancelled")), config: config, elapsed: .zero)
            #expect(cancelled.status == .failed)
            #expect(cancelled.message == "check cancelled")
        }

        @Test func plans() throws {
            let resolver = ResolverConfiguration(
                servers: [Self.server, DNSServerAddress(host: "10.0.0.1")!],
                timeoutSeconds: 1,
                attempts: 2
            )
            let system = try DNSCheck.plan(
                for: DNSMonitorConfig(name: "x.example", timeoutSeconds: 10),
                resolver: resolver
            ).get()
            #expect(
                system.tries.map(\.description) == ["127.0.0.1:5353", "10.0.0.1:53", "127.0.0.1:5353", "10.0.0.1:53"]
            )
            #expect(system.tryInterval == .seconds(1))
            #expect(system.timeout == .seconds(10))
            #expect(system.type == .a)
            let short = try DNSCheck.plan(
                for: DNSMonitorConfig(name: "x.example", timeoutSeconds: 2),
                resolver: resolver
            ).get()
            #expect(short.tryInterval == .milliseconds(500))
            let explicit = try DNSCheck.plan(
                for: DNSMonitorConfig(name: "x.example", recordType: "mx", server: "[::1]:5300", timeoutSeconds: 3),
                resolver: resolver
            ).get()
            #expect(explicit.tries.map(\.description) == ["[::1]:5300", "[::1]:5300", "[::1]:5300"])
            #expect(explicit.tryInterval == .seconds(1))
            #expect(explicit.type == .mx)
            let badType = DNSCheck.plan(for: DNSMonitorConfig(name: "x.example", recordType: "SRV"), resolver: resolver)
            #expect(badType == .failure(.invalidQuery("unsupported record type SRV")))
            let noServers = DNSCheck.plan(
                for: DNSMonitorConfig(name: "x.example"),
                resolver: ResolverConfiguration(servers: [])
            )
            #expect(noServers == .failure(.invalidQuery("no DNS server to ask")))
            let badName = DNSCheck.plan(for: DNSMonitorConfig(name: "a..b"), resolver: resolver)
            #expect(badName == .failure(.invalidQuery("the name a..b has an empty label")))
        }
    }

    @Suite("DNS check: resolv.conf, server addresses, address text")
    struct DNSResolverConfigurationTests {
        @Test func parsesNameserversAndOptions() {
            let text = """
                # comment
                domain corp.example
                search corp.example example.com
                nameserver 192.0.2.53 ; trailing comment
                nameserver\t2001:db8::53
                nameserver fe80::1%eth0
                nameserver not-an-address
                nameserver 192.0.2.54
                nameserver 192.0.2.55
                options ndots:2 timeout:3 attempts:4 rotate
                """
            let configuration = ResolverConfiguration.parse(text)
            #expect(
                configuration.servers.map(\.description) == ["192.0.2.53:53", "[2001:db8::53]:53", "192.0.2.54:53"]
            )
            #expect(configuration.timeoutSeconds == 3)
            #expect(configuration.attempts == 4)
        }

        @Test func defaultsAndClamping() {
            let empty = ResolverConfiguration.parse("search example.com\n")
            #expect(empty.servers.map(\.description) == ["127.0.0.1:53"])
            #expect(empty.timeoutSeconds == 5)
            #expect(empty.attempts == 2)
            let clamped = ResolverConfiguration.parse("options timeout:0 attempts:99\noptions timeout:x\n")
            #expect(clamped.timeoutSeconds == 1)
            #expect(clamped.attempts == 5)
            let big = ResolverConfiguration.parse("options timeout:99999999999999999999\n")
            #expect(big.timeoutSeconds == 30)
            #expect(ResolverConfiguration.load(path: "/nonexistent/resolv.conf") == .fallback)
        }

        @Test func serverAddresses() {
            let cases: [(String, String?)] = [
                ("1.1.1.1", "1.1.1.1:53"), ("1.1.1.1:5353", "1.1.1.1:5353"),
                ("2606:4700::1111", "[2606:4700::1111]:53"),
                ("[2606:4700::1111]:5353", "[2606:4700::1111]:5353"), ("[::1]", "[::1]:53"),
                ("1.1.1.1:", nil), ("1.1.1.1:0", nil), ("1.1.1.1:70000", nil), ("[::1]5", nil), ("[1.1.1.1]:53", nil),
                ("host:53", nil), ("", nil), ("[::1", nil),
            ]
            for (text, expected) in cases {
                #expect(DNSServerAddress(parsing: text)?.description == expected, "\(text)")
            }
        }

        @Test func addressText() {
            let cases: [(String, String?)] = [
                ("192.0.2.1", "192.0.2.1"), ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"), ("::", "::"), ("::1", "::1"),
                ("1::", "1::"), ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"), ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
                ("1:0:1:1:1:1:1:1", "1:0:1:1:1:1:1:1"), ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
                ("1:2:3:4:5:6:7:8:9", nil), ("1::2::3", nil), ("+1::", nil), ("12345::", nil), ("1.2.3", nil),
                ("256.1.1.1", nil), ("1:2:3:4:5:6:7", nil), ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
            ]
            for (text, expected) in cases {
                #expect(IPAddressText.bytes(text).flatMap(IPAddressText.text) == expected, "\(text)")
            }
        }
    }
}
