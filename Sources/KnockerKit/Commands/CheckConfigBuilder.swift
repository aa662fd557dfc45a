import Foundation

/// Builds the monitor config of `knocker check` from `--config`, the target and the flags, validated like the API
/// validates it.
struct CheckConfigBuilder {
    let context: CommandContext
    private var arguments: ParsedArguments { context.arguments }

    /// The flags each type accepts beyond the common ones.
    private static let typeFlags: [MonitorType: Set<String>] = [
        .http: [
            "method", "header", "body", "body-encoding", "max-redirects", "accept", "ignore-tls-error", "ca-file",
            "expected-tls-days", "degraded-after", "contains", "not-contains",
        ],
        .tcp: ["send", "expect"],
        .dns: ["expect", "record-type", "server"],
        .ping: ["packets", "packet-size", "loss-threshold", "ipv4", "ipv6"],
    ]

    init(context: CommandContext) {
        self.context = context
    }

    /// The validated config.
    func build() throws -> MonitorConfig {
        let typeName = arguments.string("type") ?? "http"
        guard let type = MonitorType(rawValue: typeName) else {
            throw usage("The value '\(typeName)' is invalid for '--type <type>'.")
        }
        try refuseFlagsOfOtherTypes(for: type)
        var object = try configObject()
        switch type {
        case .http: try applyHTTP(&object)
        case .tcp: try applyTCP(&object)
        case .dns: try applyDNS(&object)
        case .ping: try applyPing(&object)
        }
        let json = Array(try JSONSerialization.data(withJSONObject: object))
        do throws(MonitorConfigError) {
            return try MonitorConfig.decodeAndValidate(type: type, json: json)
        } catch {
            var message = error.description
            if type == .http, !arguments.has("type"), object["url"] is String,
                error.issues.contains(where: { $0.field == "url" })
            {
                message += " (for tcp, dns or ping checks add --type)"
            }
            throw usage(message)
        }
    }

    private func usage(_ message: String) -> UsageError {
        UsageError(message, commandPath: arguments.commandPath)
    }

    private func refuseFlagsOfOtherTypes(for type: MonitorType) throws {
        let own = Self.typeFlags[type] ?? []
        for (otherType, flags) in Self.typeFlags.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            for flag in flags.sorted() where !own.contains(flag) && arguments.has(flag) {
                throw usage("--\(flag) applies to \(otherType.rawValue) checks, not \(type.rawValue) checks.")
            }
        }
    }

    /// The `--config` object, or an empty one.
    private func configObject() throws -> [String: Any] {
        guard let source = arguments.string("config") else { return [:] }
        let data: Data?
        if source == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            let path =
                source.hasPrefix("/") ? source : (context.currentDirectory as NSString).appendingPathComponent(source)
            data = FileManager.default.contents(atPath: path)
        }
        guard let data else { throw RuntimeError("cannot read the config file \(source)") }
        guard let parsed = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw RuntimeError("the config in \(source) is not a JSON object")
        }
        return parsed
    }

    private func requireTarget(_ object: [String: Any], key: String, what: String) throws {
        guard object[key] != nil else {
            throw usage("Missing expected argument '<target>' (\(what), or a config with \"\(key)\")")
        }
    }

    private func applyHTTP(_ object: inout [String: Any]) throws {
        if let url = arguments.string("target") { object["url"] = url }
        try requireTarget(object, key: "url", what: "a URL")
        if let timeout = try arguments.int("timeout", in: 1...300) { object["request_timeout"] = timeout }
        if let method = arguments.string("method") { object["method"] = method }
        let headers = arguments.strings("header")
        if !headers.isEmpty {
            var map = object["headers"] as? [String: Any] ?? [:]
            for header in headers {
                guard let colon = header.firstIndex(of: ":") else {
                    throw usage("The header '\(header)' is not in the form 'Name: value'.")
                }
                map[String(header[..<colon]).trimmingCharacters(in: " ")] =
                    String(header[header.index(after: colon)...]).trimmingCharacters(in: " ")
            }
            object["headers"] = map
        }
        if let body = arguments.string("body") { object["body"] = body }
        if let encoding = arguments.string("body-encoding") { object["body_encoding"] = encoding }
        if let redirects = try arguments.int("max-redirects", in: 0...1000) { object["max_redirects"] = redirects }
        let accepted = try arguments.strings("accept").map { text -> Int in
            guard let code = Int(text), (100...599).contains(code) else {
                throw usage("The value '\(text)' is invalid for '--accept <code>'; expected 100 to 599.")
            }
            return code
        }
        if !accepted.isEmpty { object["accepted_status_codes"] = accepted }
        if arguments.flag("ignore-tls-error") { object["ignore_tls_error"] = true }
        if let days = try arguments.int("expected-tls-days", in: 1...3650) { object["expected_tls_days"] = days }
        if let slow = try arguments.int("degraded-after", in: 1...300_000) { object["degraded_after_ms"] = slow }
        var assertions = object["assertions"] as? [[String: Any]] ?? []
        assertions += arguments.strings("contains").map { ["type": "body_contains", "value": $0] }
        assertions += arguments.strings("not-contains").map { ["type": "body_not_contains", "value": $0] }
        if !assertions.isEmpty { object["assertions"] = assertions }
    }

    private func applyTCP(_ object: inout [String: Any]) throws {
        if let target = arguments.string("target") {
            guard let (host, port) = Self.splitHostPort(target) else {
                throw usage("The target '\(target)' is not host:port (IPv6 as [address]:port).")
            }
            object["host"] = host
            object["port"] = port
        }
        try requireTarget(object, key: "host", what: "host:port")
        if let timeout = try arguments.int("timeout", in: 1...60) { object["timeout_seconds"] = timeout }
        if let send = arguments.string("send") { object["send"] = Self.unescape(send) }
        let expected = arguments.strings("expect")
        if expected.count > 1 { throw usage("A tcp check takes one --expect.") }
        if let expect = expected.first { object["expect"] = Self.unescape(expect) }
    }

    private func applyDNS(_ object: inout [String: Any]) throws {
        if let name = arguments.string("target") { object["name"] = name }
        try requireTarget(object, key: "name", what: "a DNS name")
        if let timeout = try arguments.int("timeout", in: 1...60) { object["timeout_seconds"] = timeout }
        if let type = arguments.string("record-type") { object["record_type"] = type }
        if let server = arguments.string("server") { object["server"] = server }
        let expected = arguments.strings("expect")
        if !expected.isEmpty { object["expected"] = expected }
    }

    private func applyPing(_ object: inout [String: Any]) throws {
        if let host = arguments.string("target") { object["host"] = host }
        try requireTarget(object, key: "host", what: "a host")
        if let timeout = try arguments.int("timeout", in: 1...60) { object["timeout_seconds"] = timeout }
        if let packets = try arguments.int("packets", in: 1...100) { object["count"] = packets }
        if let size = try arguments.int("packet-size", in: 1...65000) { object["packet_size"] = size }
        if let loss = try arguments.int("loss-threshold", in: 0...99) { object["loss_threshold_percent"] = loss }
        if arguments.flag("ipv4") && arguments.flag("ipv6") { throw usage("Use either --ipv4 or --ipv6, not both.") }
        if arguments.flag("ipv4") { object["ip_version"] = "4" }
        if arguments.flag("ipv6") { object["ip_version"] = "6" }
    }

    /// `host:port` or `[v6]:port` → (host, port); nil when there is no numeric port.
    static func splitHostPort(_ target: String) -> (String, Int)? {
        let host: Substring
        let portText: Substring
        if target.hasPrefix("[") {
            guard let close = target.firstIndex(of: "]"), target[close...].hasPrefix("]:") else { return nil }
            host = target[target.index(after: target.startIndex)..<close]
            portText = target[target.index(close, offsetBy: 2)...]
        } else {
            guard let colon = target.lastIndex(of: ":"), !target[..<colon].contains(":") else { return nil }
            host = target[..<colon]
            portText = target[target.index(after: colon)...]
        }
        guard !portText.isEmpty, portText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let port = Int(portText)
        else { return nil }
        return (String(host), port)
    }

    /// Turns the escapes `\r`, `\n`, `\t` and `\\` of a shell argument into the characters.
    static func unescape(_ text: String) -> String {
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "r": result.append("\r")
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "\\": result.append("\\")
                default:
                    result.append("\\")
                    result.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        if escaping { result.append("\\") }
        return result
    }
}
