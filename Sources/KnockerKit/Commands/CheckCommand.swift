import Foundation

/// `knocker check TARGET`: one-off checks of any monitor type from the shell, with the same engine and rules as
/// the workers.
enum CheckCommand {
    /// The longest `--interval`.
    static let longestInterval = Duration.seconds(86_400)

    static var spec: CommandSpec {
        CommandSpec(
            name: "check",
            abstract: "Check a URL, host:port, host or DNS name once (or --count times) and print the result.",
            discussion: """
                The target depends on --type: a URL for http (the default), host:port for tcp, a host for ping, a \
                name for dns. Any monitor setting of that type can come from --config (a JSON object, or - for \
                stdin); flags override it. With --json, one object (one line per check when --count > 1). Exits 0 \
                when every check is up, 1 when one is down, 64 on bad usage.
                """,
            arguments: [
                .positional(
                    "target",
                    help: "URL (http), host:port (tcp), host (ping) or name (dns).",
                    required: false
                ),
                .option(
                    "type",
                    short: "t",
                    value: "type",
                    help: "Monitor type of the check.",
                    default: "http",
                    values: MonitorType.allCases.map(\.rawValue)
                ),
                .option(
                    "config",
                    value: "file",
                    help: "A monitor config of that type as JSON; - reads stdin.",
                    completion: .file(extensions: ["json"])
                ),
                .option("timeout", value: "seconds", help: "Timeout in seconds (per reply for ping)."),
                .option(
                    "method",
                    short: "X",
                    value: "method",
                    help: "http: request method.",
                    values: ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
                ),
                .option("header", short: "H", value: "name: value", help: "http: a request header.", repeating: true),
                .option("body", short: "d", value: "text", help: "http: a request body."),
                .option(
                    "body-encoding",
                    value: "encoding",
                    help: "http: how the body is sent.",
                    values: ["json", "xml"]
                ),
                .option("max-redirects", value: "n", help: "http: redirects to follow; 0 means do not follow."),
                .option(
                    "accept",
                    value: "code",
                    help: "http: an accepted status code (default: any 2xx).",
                    repeating: true
                ),
                .flag("ignore-tls-error", help: "http: accept invalid TLS certificates."),
                .option(
                    "ca-file",
                    value: "file",
                    help: "http: trust the CA certificates in this PEM file instead of the system's.",
                    completion: .file(extensions: ["pem", "crt"])
                ),
                .option("expected-tls-days", value: "days", help: "http: fail when the certificate expires sooner."),
                .option("degraded-after", value: "ms", help: "http: report degraded when slower than this."),
                .option("contains", value: "text", help: "http: the body must contain this text.", repeating: true),
                .option(
                    "not-contains",
                    value: "text",
                    help: "http: the body must not contain this text.",
                    repeating: true
                ),
                .option("send", value: "text", help: "tcp: text to send after connecting (\\r \\n \\t escapes)."),
                .option(
                    "expect",
                    value: "text",
                    help: "tcp: text the reply must contain; dns: an expected answer (repeatable).",
                    repeating: true
                ),
                .option(
                    "record-type",
                    short: "r",
                    value: "type",
                    help: "dns: record type.",
                    values: DNSMonitorConfig.recordTypes
                ),
                .option("server", value: "ip[:port]", help: "dns: server to ask instead of the system resolver."),
                .option("packets", value: "n", help: "ping: echo requests per check (default 1)."),
                .option("packet-size", value: "bytes", help: "ping: payload bytes (default 56)."),
                .option("loss-threshold", value: "percent", help: "ping: highest tolerated packet loss (default 0)."),
                .flag("ipv4", help: "ping: use IPv4 only."),
                .flag("ipv6", help: "ping: use IPv6 only."),
                .option("count", short: "c", value: "n", help: "How many checks to run.", default: "1"),
                .option(
                    "interval",
                    short: "i",
                    value: "seconds",
                    help: "Pause between checks (at most 1d).",
                    default: "1"
                ),
                .jsonFlag,
            ],
            action: run
        )
    }

    @Sendable static func run(_ context: CommandContext) async throws -> Int32 {
        let arguments = context.arguments
        let count = try arguments.int("count", in: 1...100_000) ?? 1
        let interval = try arguments.duration("interval", in: .zero...CheckCommand.longestInterval) ?? .seconds(1)
        let config = try CheckConfigBuilder(context: context).build()
        let target = CheckOutput.target(of: config)
        var options = CheckEngine.Options()
        if let caFile = arguments.string("ca-file") {
            let path =
                caFile.hasPrefix("/") ? caFile : (context.currentDirectory as NSString).appendingPathComponent(caFile)
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw RuntimeError("cannot read the CA file \(caFile)")
            }
            options.http.caFile = path
        }
        let engine = CheckEngine(options: options)
        var results: [CheckResult] = []
        for index in 0..<count {
            if index > 0 { try await Task.sleep(for: interval) }
            let result = await engine.perform(config)
            results.append(result)
            if arguments.flag("json") {
                // One object for one check; one line per check (NDJSON) when repeating.
                let view = CheckResultView(type: config.type, target: target, result: result)
                if count == 1 {
                    try context.standardOutput.writeJSON(view)
                } else {
                    try context.standardOutput.writeJSONLine(view)
                }
            } else {
                CheckOutput.print(result, target: target, to: context.standardOutput)
            }
        }
        await engine.shutdown()
        if count > 1 && !arguments.flag("json") {
            CheckOutput.printSummary(results, to: context.standardOutput)
        }
        return results.allSatisfy(\.isUp) ? ExitCode.success : ExitCode.failure
    }
}
