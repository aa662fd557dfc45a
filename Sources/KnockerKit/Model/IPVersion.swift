/// Which address family a ping uses: `"auto"` (whatever the host resolves to, IPv4 first), `"4"` or `"6"`.
/// Decodes from those strings or the numbers 4 and 6; encodes as a string.
public enum IPVersion: String, Codable, Sendable, CaseIterable {
    /// Use what the name resolves to.
    case auto
    /// IPv4 only.
    case v4 = "4"
    /// IPv6 only.
    case v6 = "6"

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self), let version = IPVersion(rawValue: String(number)) {
            self = version
            return
        }
        let text = (try? container.decode(String.self)) ?? ""
        guard let version = IPVersion(rawValue: text) else {
            throw ConfigDecodingError(issues: [
                ConfigIssue(
                    field: ConfigDecoding.path(decoder.codingPath),
                    message: "must be \"auto\", \"4\" or \"6\"" + (text.isEmpty ? "" : " (got \(quoted(text)))")
                )
            ])
        }
        self = version
    }
}
