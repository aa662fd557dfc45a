import Foundation

/// `knocker check URL`: one-off HTTP(S) checks from the shell, with the same engine and rules as the workers.
enum CheckCommand {
    static var spec: CommandSpec {
        CommandSpec(
            name: "check",
            abstract: "Check an HTTP(S) endpoint once (or --count times) and print the result.",
            discussion: """
                Any http monitor setting can come from --config (a JSON object, or - for stdin); flags override it. \
                With --json, one object (one line per check when --count > 1). Exits 0 when every check is up, 1 when one \
                is down, 64 on bad usage.
                """,
            arguments: [
                .positional("url", help: "The URL to check (http:// or https://).", required: false),
                .option(
                    "config",
                    value: "file",
                    help: "An http monitor config as JSON; - reads stdin.",
                    completion: .file(extensions: ["json"])
                ),
                .option(
                    "method",
                    short: "X",
                    value: "method",
                    help: "HTTP method.",
                    values: ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
                ),
                .option("header", short: "H", value: "name: value", help: "A request header.", repeating: true),
                .option("body", short: "d", value: "text", help: "A request body."),
                .option("body-encoding", value: "encoding", help: "How the body is sent.", values: ["json", "xml"]),
                .option("timeout", value: "seconds", help: "Request timeout in seconds."),
                .option("max-redirects", value: "n", help: "Redirects to follow; 0 means do not follow."),
                .option("accept", value: "code", help: "An accepted status code (default: any 2xx).", repeating: true),
                .flag("ignore-tls-error", help: "Accept invalid TLS certificates."),
                .option("expected-tls-days", value: "days", help: "Fail when the certificate expires sooner."),
                .option("degraded-after", value: "ms", help: "Report degraded when slower than this."),
                .option("contains", value: "text", help: "The body must contain this text.", repeating: true),
                .option("not-contains", value: "text", help: "The body must not contain this text.", repeating: true),
                .option("count", short: "c", value: "n", help: "How many checks to run.", default: "1"),
                .option("interval", short: "i", value: "seconds", help: "Pause between checks.", default: "1"),
                .jsonFlag,
            ],
            action: run
        )
    }

    @Sendable static func run(_ context: CommandContext) async throws -> Int32 {
        let arguments = context.arguments
        let count = try arguments.int("count", in: 1...100_000) ?? 1
        guard let interval = DurationText.parse(arguments.string("interval") ?? "1") else {
            throw UsageError(
                "The value '\(arguments.string("interval") ?? "")' is invalid for '--interval <seconds>'.",
                commandPath: arguments.commandPath
            )
        }
        let config = try httpConfig(context)
        let engine = CurlMultiLoop()
        var results: [HTTPCheckResult] = []
        for index in 0..<count {
            if index > 0 { try await Task.sleep(for: interval) }
            let result = await engine.perform(HTTPCheckRequest(config: config))
            results.append(result)
            if arguments.flag("json") {
                // One object for one check; one line per check (NDJSON) when repeating.
                let view = CheckResultView(url: config.url, result: result)
                if count == 1 {
                    try context.standardOutput.writeJSON(view)
                } else {
                    try context.standardOutput.writeJSONLine(view)
                }
            } else {
                CheckOutput.print(result, url: config.url, to: context.standardOutput)
            }
        }
        await engine.shutdown()
        if count > 1 && !arguments.flag("json") {
            CheckOutput.printSummary(results, to: context.standardOutput)
        }
        return results.allSatisfy(\.isUp) ? ExitCode.success : ExitCode.failure
    }

    /// The http config from --config, then the flags on top, validated like the API validates it.
    static func httpConfig(_ context: CommandContext) throws -> HTTPMonitorConfig {
        let arguments = context.arguments
        var object: [String: Any] = [:]
        if let source = arguments.string("config") {
            let data: Data?
            if source == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                let path =
                    source.hasPrefix("/")
                    ? source : (context.currentDirectory as NSString).appendingPathComponent(source)
                data = FileManager.default.contents(atPath: path)
            }
            guard let data else { throw RuntimeError("cannot read the config file \(source)") }
            guard let parsed = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                throw RuntimeError("the config in \(source) is not a JSON object")
            }
            object = parsed
        }
        if let url = arguments.string("url") { object["url"] = url }
        guard object["url"] != nil else {
            throw UsageError(
                "Missing expected argument '<url>' (or a config with a url)",
                commandPath: arguments.commandPath
            )
        }
        if let method = arguments.string("method") { object["method"] = method }
        let headers = arguments.strings("header")
        if !headers.isEmpty {
            var map = object["headers"] as? [String: Any] ?? [:]
            for header in headers {
                guard let colon = header.firstIndex(of: ":") else {
                    throw UsageError(
                        "The header '\(header)' is not in the form 'Name: value'.",
                        commandPath: arguments.commandPath
                    )
                }
                map[String(header[..<colon]).trimmingCharacters(in: " ")] =
                    String(header[header.index(after: colon)...]).trimmingCharacters(in: " ")
            }
            object["headers"] = map
        }
        if let body = arguments.string("body") { object["body"] = body }
        if let encoding = arguments.string("body-encoding") { object["body_encoding"] = encoding }
        if let timeout = try arguments.int("timeout", in: 1...300) { object["request_timeout"] = timeout }
        if let redirects = try arguments.int("max-redirects", in: 0...1000) { object["max_redirects"] = redirects }
        let accepted = try arguments.strings("accept").map { text -> Int in
            guard let code = Int(text), (100...599).contains(code) else {
                throw UsageError(
                    "The value '\(text)' is invalid for '--accept <code>'; expected 100 to 599.",
                    commandPath: arguments.commandPath
                )
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

        let json = try JSONSerialization.data(withJSONObject: object)
        do {
            guard case .http(let http) = try MonitorConfig.decodeAndValidate(type: .http, json: Array(json)) else {
                throw RuntimeError("the config is not an http config")
            }
            return http
        } catch let error as MonitorConfigError {
            throw UsageError(error.description, commandPath: arguments.commandPath)
        }
    }
}
