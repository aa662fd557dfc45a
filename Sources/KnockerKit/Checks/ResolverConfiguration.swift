import Foundation

/// The system resolver's settings from `/etc/resolv.conf`, as far as a monitor uses them.
///
/// Read: `nameserver` lines (IPv4 and IPv6; glibc uses only the first three, and so do we; link-local addresses
/// with a zone, `fe80::1%eth0`, are skipped because the zone cannot be carried in a server address) and
/// `options timeout:N` (seconds per try, 1–30, default 5) and `options attempts:N` (rounds over the servers, 1–5,
/// default 2). `search`, `domain` and `ndots` are ignored: a monitor's name is always absolute. Without a usable
/// `nameserver` the resolver on 127.0.0.1 is asked, as glibc does.
struct ResolverConfiguration: Sendable, Equatable {
    /// The most name servers used.
    static let maximumServers = 3
    /// The default configuration (no file, or nothing usable in it).
    static let fallback = ResolverConfiguration(servers: [.loopback])

    /// The servers to ask, in order (never empty).
    var servers: [DNSServerAddress]
    /// Seconds to wait for one try.
    var timeoutSeconds = 5
    /// Rounds over the servers.
    var attempts = 2

    /// The configuration in `path`; ``fallback`` when it cannot be read.
    static func load(path: String) -> ResolverConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else { return fallback }
        return parse(String(decoding: data, as: UTF8.self))
    }

    /// The configuration in the text of a `resolv.conf`.
    static func parse(_ text: String) -> ResolverConfiguration {
        var configuration = fallback
        var servers: [DNSServerAddress] = []
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let content = line.prefix { $0 != "#" && $0 != ";" }
            let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let keyword = words.first else { continue }
            switch keyword {
            case "nameserver":
                guard words.count >= 2, !words[1].contains("%"), servers.count < maximumServers,
                    let server = DNSServerAddress(host: words[1])
                else { continue }
                servers.append(server)
            case "options":
                for option in words.dropFirst() {
                    if let value = number(option, after: "timeout:") {
                        configuration.timeoutSeconds = min(max(value, 1), 30)
                    } else if let value = number(option, after: "attempts:") {
                        configuration.attempts = min(max(value, 1), 5)
                    }
                }
            default:
                continue
            }
        }
        if !servers.isEmpty { configuration.servers = servers }
        return configuration
    }

    private static func number(_ option: Substring, after prefix: String) -> Int? {
        guard option.hasPrefix(prefix) else { return nil }
        let digits = option.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(digits.prefix(6))
    }
}
