extension DNSMonitorConfig {
    /// Every problem with this config, in field order; empty when it is valid.
    public func validate() -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        if name.isEmpty {
            issues.append(ConfigIssue(field: "name", message: "is required"))
        } else if HostAddress.isIPv4(name) || HostAddress.isIPv6(name) {
            issues.append(
                ConfigIssue(field: "name", message: "must be a DNS name, not an IP address (got \(quoted(name)))")
            )
        } else if let problem = HostAddress.hostnameProblem(name, allowUnderscore: true) {
            issues.append(ConfigIssue(field: "name", message: problem))
        }
        let typeIsValid = Self.recordTypes.contains(recordType)
        if !typeIsValid {
            issues.append(
                ConfigIssue(
                    field: "record_type",
                    message: "must be one of \(Self.recordTypes.joined(separator: ", ")) (got \(quoted(recordType)))"
                )
            )
        }
        if let server, let problem = Self.serverProblem(server) {
            issues.append(ConfigIssue(field: "server", message: problem))
        }
        if !(1...60).contains(timeoutSeconds) {
            issues.append(
                ConfigIssue(
                    field: "timeout_seconds",
                    message: "must be between 1 and 60 seconds (got \(timeoutSeconds))"
                )
            )
        }
        for (index, value) in (expected ?? []).enumerated() {
            let field = "expected[\(index)]"
            if value.isEmpty {
                issues.append(ConfigIssue(field: field, message: "must not be empty"))
            } else if typeIsValid, let problem = expectedProblem(value) {
                issues.append(ConfigIssue(field: field, message: problem))
            }
        }
        return issues
    }

    /// Why `value` cannot be an answer of `recordType`, or `nil`.
    private func expectedProblem(_ value: String) -> String? {
        switch recordType {
        case "A":
            return HostAddress.isIPv4(value) ? nil : "must be an IPv4 address for an A record (got \(quoted(value)))"
        case "AAAA":
            return HostAddress.isIPv6(value) ? nil : "must be an IPv6 address for an AAAA record (got \(quoted(value)))"
        case "CNAME":
            return HostAddress.hostnameProblem(value, allowUnderscore: true).map { "must be a host name: \($0)" }
        case "MX":
            let parts = value.split(separator: " ")
            let host = parts.count == 2 ? String(parts[1]) : value
            if parts.count > 2 || parts.count == 2 && UInt16(parts[0]) == nil {
                return "must be \"<preference> <host>\" or \"<host>\" for an MX record (got \(quoted(value)))"
            }
            return HostAddress.hostnameProblem(host, allowUnderscore: false).map { "must name a mail host: \($0)" }
        default:
            return nil
        }
    }

    /// Why `server` is not `ip`, `ip:port` or `[ipv6]:port`, or `nil`.
    static func serverProblem(_ server: String) -> String? {
        let expectation = "must be an IP address with an optional port, like 1.1.1.1:53 or [2606:4700::1111]:53"
        let got = "(got \(quoted(server)))"
        var address = server
        var portText: Substring?
        if server.hasPrefix("[") {
            guard let close = server.firstIndex(of: "]") else { return "\(expectation) \(got)" }
            address = String(server[server.index(after: server.startIndex)..<close])
            let rest = server[server.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return "\(expectation) \(got)" }
                portText = rest.dropFirst()
            }
            guard HostAddress.isIPv6(address) else { return "\(expectation) \(got)" }
        } else if HostAddress.isIPv6(server) {
            return nil
        } else {
            let parts = server.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return "\(expectation) \(got)" }
            address = String(parts[0])
            if parts.count == 2 { portText = parts[1] }
            guard HostAddress.isIPv4(address) else { return "\(expectation) \(got)" }
        }
        if let portText {
            guard portText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let port = Int(portText),
                (1...65535).contains(port)
            else {
                return "port must be between 1 and 65535 \(got)"
            }
        }
        return nil
    }
}
