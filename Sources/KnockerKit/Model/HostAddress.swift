/// Checks that a string names a host: a DNS hostname, an IPv4 literal or an IPv6 literal. Pure syntax, no lookups.
///
/// Decisions:
/// - Hostnames are ASCII (LDH rule: letters, digits, hyphens; no hyphen at a label's start or end), labels 1–63
///   characters, 253 characters in all, or 254 with a trailing dot (`example.com.` is fine). Internationalised names
///   must be given in punycode (`xn--bcher-kva.example`); non-ASCII names are rejected with a hint to use it.
/// - The last label must not be all digits (RFC 3696 §2), so `256.1.1.1` is a bad IPv4 address, not a hostname.
/// - IPv4 is strict dotted-quad: four decimal parts 0–255 without leading zeros (`010.0.0.1` is ambiguous).
/// - IPv6 follows RFC 4291 text form, with `::` compression and an embedded IPv4 tail, without brackets.
///   Zone indexes (`fe80::1%eth0`) are **rejected**: checks run on workers in other regions whose interface names
///   differ, so a link-local address with a zone cannot mean the same host everywhere.
public enum HostAddress {
    /// Why `host` is not a valid hostname or IP literal, or `nil` when it is valid.
    /// `allowUnderscore` admits `_` in labels (DNS names such as `_dmarc.example.com`).
    public static func problem(with host: String, allowUnderscore: Bool = false) -> String? {
        if host.isEmpty { return "must not be empty" }
        if isIPv4(host) || isIPv6(host) { return nil }
        if host.contains(":") {
            if host.contains("%") {
                return "must not carry an IPv6 zone index such as %eth0 (got \(quoted(host)))"
            }
            if host.hasPrefix("[") { return "must be written without brackets (got \(quoted(host)))" }
            return "is not a valid IPv6 address (got \(quoted(host)))"
        }
        return hostnameProblem(host, allowUnderscore: allowUnderscore)
    }

    /// Whether `host` is a valid hostname, IPv4 or IPv6 literal.
    public static func isValid(_ host: String, allowUnderscore: Bool = false) -> Bool {
        problem(with: host, allowUnderscore: allowUnderscore) == nil
    }

    /// Why `name` is not a valid hostname, or `nil`.
    static func hostnameProblem(_ name: String, allowUnderscore: Bool) -> String? {
        let got = "(got \(quoted(name)))"
        guard name.unicodeScalars.allSatisfy(\.isASCII) else {
            return "must be ASCII; write internationalised names in punycode (xn--…) \(got)"
        }
        var body = Substring(name)
        if body.hasSuffix(".") { body = body.dropLast() }
        if body.utf8.count > 253 {
            return "must be at most 253 characters (got \(body.utf8.count))"
        }
        let labels = body.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            if label.isEmpty { return "has an empty label (two dots in a row, or a leading dot) \(got)" }
            if label.utf8.count > 63 {
                return "has a label longer than 63 characters (\(label.utf8.count)) \(got)"
            }
            if label.hasPrefix("-") || label.hasSuffix("-") {
                return "has a label that starts or ends with a hyphen \(got)"
            }
            for byte in label.utf8 {
                let ok =
                    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || (allowUnderscore && byte == 0x5F)
                if !ok {
                    let character = Character(Unicode.Scalar(byte))
                    return "must contain only letters, digits, hyphens and dots; found \"\(character)\" \(got)"
                }
            }
        }
        if let last = labels.last, last.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return "is not a valid IPv4 address or hostname \(got)"
        }
        return nil
    }

    /// Whether `text` is a dotted-quad IPv4 address (`192.0.2.1`), strict: no leading zeros, parts 0–255.
    public static func isIPv4(_ text: some StringProtocol) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                return false
            }
            if part.utf8.count > 1 && part.hasPrefix("0") { return false }
            guard let value = Int(part), value <= 255 else { return false }
        }
        return true
    }

    /// Whether `text` is an IPv6 address in RFC 4291 text form (no brackets, no zone index).
    public static func isIPv6(_ text: some StringProtocol) -> Bool {
        let string = String(text)
        guard string.contains(":"), !string.contains(":::") else { return false }
        let halves = string.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        var groups = 0
        for (halfIndex, half) in halves.enumerated() {
            if half.isEmpty { continue }
            let pieces = half.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                let isLastOfAddress = halfIndex == halves.count - 1 && index == pieces.count - 1
                if isLastOfAddress && piece.contains(".") {
                    guard isIPv4(piece) else { return false }
                    groups += 2
                    continue
                }
                guard (1...4).contains(piece.utf8.count), piece.utf8.allSatisfy(isASCIIHexDigit) else { return false }
                groups += 1
            }
        }
        return halves.count == 2 ? groups <= 7 : groups == 8
    }

    /// Whether `byte` is `0-9`, `a-f` or `A-F`.
    private static func isASCIIHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }
}
