/// Plans a `dns` monitor's lookup from its config and judges the outcome: response code, CNAME chain, answers
/// and `expected` values.
enum DNSCheck {
    /// Longest CNAME chain followed in an answer.
    static let maximumAliases = 16

    /// What the transport does for one check.
    struct Plan: Sendable, Equatable {
        /// The name asked.
        var name: String
        /// The type asked.
        var type: DNSRecordType
        /// One entry per try, in order; each try is a fresh socket and query id. Earlier tries keep listening,
        /// so a late answer to one still counts.
        var tries: [DNSServerAddress]
        /// Time between two tries (the next one starts earlier when a try fails outright).
        var tryInterval: Duration
        /// The deadline for the whole lookup.
        var timeout: Duration
    }

    /// Tries made against an explicit `server`.
    static let attemptsForExplicitServer = 3

    /// The plan for `config`: the explicit server tried ``attemptsForExplicitServer`` times, or every
    /// `resolv.conf` server once per attempt, spaced so that all tries fit in `timeout_seconds` but no wider than
    /// resolv.conf's `timeout`. A failure when the config cannot be looked up.
    static func plan(
        for config: DNSMonitorConfig,
        resolver: @autoclosure () -> ResolverConfiguration
    ) -> Result<Plan, DNSLookupFailure> {
        guard let type = DNSRecordType(name: config.recordType) else {
            return .failure(.invalidQuery("unsupported record type \(config.recordType)"))
        }
        if let problem = DNSQuery.nameProblem(config.name) { return .failure(.invalidQuery(problem)) }
        let timeout = Duration.seconds(max(1, config.timeoutSeconds))
        let tries: [DNSServerAddress]
        var perTry = timeout
        if let server = config.server {
            guard let address = DNSServerAddress(parsing: server) else {
                return .failure(.invalidQuery("invalid server \(server)"))
            }
            tries = Array(repeating: address, count: attemptsForExplicitServer)
        } else {
            let system = resolver()
            tries = (0..<system.attempts).flatMap { _ in system.servers }
            perTry = .seconds(system.timeoutSeconds)
        }
        guard !tries.isEmpty else { return .failure(.invalidQuery("no DNS server to ask")) }
        let interval = min(perTry, timeout / tries.count)
        return .success(Plan(name: config.name, type: type, tries: tries, tryInterval: interval, timeout: timeout))
    }

    /// The records answering `name` and `type` in `records`: for CNAME the aliases owned by `name`; for other
    /// types the records of `type` at the end of the CNAME chain starting at `name` (at most
    /// ``maximumAliases`` long, loops stopped), with the chain's targets.
    static func resolve(
        _ records: [DNSRecord],
        name: String,
        type: DNSRecordType
    ) -> (records: [DNSRecord], aliases: [String]) {
        if type == .cname { return (records.filter { $0.type == .cname && DNSText.sameName($0.name, name) }, []) }
        var current = name
        var aliases: [String] = []
        var seen: Set<String> = [DNSText.canonical(name)]
        while true {
            let found = records.filter { $0.type == type && DNSText.sameName($0.name, current) }
            if !found.isEmpty || aliases.count >= maximumAliases { return (found, aliases) }
            let alias = records.lazy.compactMap { record -> String? in
                guard case .cname(let target) = record.data, DNSText.sameName(record.name, current) else { return nil }
                return target
            }.first
            guard let alias, seen.insert(DNSText.canonical(alias)).inserted else { return ([], aliases) }
            aliases.append(alias)
            current = alias
        }
    }

    /// Whether the expected value `value` (in the config's form) is the answer `data`.
    static func matches(_ value: String, _ data: DNSRecordData) -> Bool {
        switch data {
        case .a(let bytes), .aaaa(let bytes):
            return IPAddressText.bytes(value) == bytes
        case .cname(let target):
            return DNSText.sameName(value, target)
        case .mx(let preference, let host):
            let parts = value.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count == 2 { return UInt16(parts[0]) == preference && DNSText.sameName(String(parts[1]), host) }
            return DNSText.sameName(value, host)
        case .txt:
            return value == data.displayText
        }
    }

    /// Judges `outcome` against `config`; `elapsed` is the time from the first query to the outcome.
    static func evaluate(_ outcome: DNSLookupOutcome, config: DNSMonitorConfig, elapsed: Duration) -> DNSCheckResult {
        let parts = elapsed.components
        let milliseconds = Int(parts.seconds) * 1000 + Int(parts.attoseconds / 1_000_000_000_000_000)
        var result = DNSCheckResult(status: .failed, latencyMs: milliseconds)
        switch outcome {
        case .failed(let failure):
            switch failure {
            case .timeout(let servers):
                result.status = .timeout
                result.server = servers.last?.description
                let silent = servers.map(\.description).joined(separator: ", ")
                let asked = silent.isEmpty ? "" : " (no answer from \(silent))"
                result.message = "timed out after \(config.timeoutSeconds) s\(asked)"
            case .unreachable(let problems):
                result.server = problems.last?.server.description
                result.message = problems.map(\.message).joined(separator: "; ")
            case .invalidQuery(let reason), .cancelled(let reason):
                result.message = reason
            }
            return result
        case .answered(let message, let server, let overTCP):
            result.server = server.description
            result.responseCode = message.responseCode.description
            result.usedTCP = overTCP
            if message.responseCode == .nameError {
                result.message = "NXDOMAIN: \(config.name) does not exist"
                return result
            }
            guard message.responseCode == .noError else {
                result.message = "server \(server) answered \(message.responseCode)"
                return result
            }
            let type = DNSRecordType(name: config.recordType) ?? .a
            let (records, aliases) = resolve(message.answers, name: config.name, type: type)
            result.answers = records.map(\.data.displayText)
            result.aliases = aliases
            guard !records.isEmpty else {
                let via = aliases.last.map { " (alias of \($0))" } ?? ""
                result.message = "no \(type.name) records for \(config.name)\(via)"
                return result
            }
            for value in config.expected ?? [] where !records.contains(where: { matches(value, $0.data) }) {
                result.message =
                    "expected \(value) not among the answers (\(result.answers.joined(separator: ", ")))"
                return result
            }
            result.status = .successful
            return result
        }
    }
}
