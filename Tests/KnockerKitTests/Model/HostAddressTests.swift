import Testing

@testable import KnockerKit

extension ModelTests {
    @Suite("Host address validator")
    struct HostAddressTests {
        @Test(arguments: [
            "example.com", "localhost", "a", "xn--bcher-kva.example", "example.com.", "a-b.c-d.e", "EXAMPLE.COM",
            "1.2.3.4", "0.0.0.0", "255.255.255.255", "::1", "::", "2001:db8::1", "fe80::1", "2001:db8:0:0:0:0:2:1",
            "::ffff:192.0.2.1", "64:ff9b::192.0.2.33", "1::", "1:2:3:4:5:6:7:8", "123.example", "3com.net",
        ])
        func accepts(_ host: String) {
            #expect(HostAddress.problem(with: host) == nil)
        }

        @Test(arguments: [
            "", "256.1.1.1", "1.2.3", "01.2.3.4", "1.2.3.4.5", "-a.com", "a-.com", "a..com", ".a.com", "a_b.com",
            "bücher.example", "a b", "1:2:3:4:5:6:7:8:9", "1::2::3", ":::", "12345::", "2001:db8::g", "[::1]",
            "fe80::1%eth0", "1:2:3:4:5:6:7::8:9", "::ffff:256.0.0.1", "example.com..",
        ])
        func rejects(_ host: String) {
            #expect(HostAddress.problem(with: host) != nil)
        }

        @Test func lengthLimits() {
            let label63 = String(repeating: "a", count: 63)
            #expect(HostAddress.isValid(label63 + ".com"))
            #expect(
                HostAddress.problem(with: label63 + "a.com")
                    == "has a label longer than 63 characters (64) (got \"\(label63)a.com\")"
            )
            // 63+1+63+1+63+1+61 = 253 characters: the longest name; with a trailing dot it is 254 and still fine.
            let name253 = [label63, label63, label63, String(repeating: "b", count: 61)].joined(separator: ".")
            #expect(name253.count == 253)
            #expect(HostAddress.isValid(name253))
            #expect(HostAddress.isValid(name253 + "."))
            let name254 = name253 + "c"
            #expect(HostAddress.problem(with: name254) == "must be at most 253 characters (got 254)")
        }

        @Test func messages() {
            #expect(
                HostAddress.problem(with: "256.1.1.1") == "is not a valid IPv4 address or hostname (got \"256.1.1.1\")"
            )
            #expect(
                HostAddress.problem(with: "fe80::1%eth0")
                    == "must not carry an IPv6 zone index such as %eth0 (got \"fe80::1%eth0\")"
            )
            #expect(HostAddress.problem(with: "[::1]") == "must be written without brackets (got \"[::1]\")")
            #expect(
                HostAddress.problem(with: "bücher.de")
                    == "must be ASCII; write internationalised names in punycode (xn--…) (got \"bücher.de\")"
            )
            #expect(
                HostAddress.problem(with: "a_b.com")
                    == "must contain only letters, digits, hyphens and dots; found \"_\" (got \"a_b.com\")"
            )
            #expect(HostAddress.isValid("_dmarc.example.com", allowUnderscore: true))
        }

        @Test func literalClassifiers() {
            #expect(HostAddress.isIPv4("192.0.2.1") && !HostAddress.isIPv4("192.0.2.1.") && !HostAddress.isIPv4("::1"))
            #expect(HostAddress.isIPv6("::1") && !HostAddress.isIPv6("1.2.3.4") && !HostAddress.isIPv6("fe80::1%eth0"))
        }
    }
}
