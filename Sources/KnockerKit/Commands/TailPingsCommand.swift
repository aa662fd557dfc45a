import Foundation

/// `knocker tail-pings`: recent pings from the database, then (with --follow) live ones as workers record them.
enum TailPingsCommand {
    static var spec: CommandSpec {
        CommandSpec(
            name: "tail-pings",
            abstract: "Print recent pings, then follow new ones as workers record them.",
            discussion: """
                One line per ping: time, monitor, region, status, latency and the failure message; with --json one \
                object per line (NDJSON). Live pings come from the workers' Redis channel knocker:pings (knocker:pings:<db> \
                for a Redis database other than 0). Exits \
                quietly when the reader goes away (| head).
                """,
            arguments: [
                .option("monitor", short: "m", value: "id", help: "Only this monitor."),
                .option("region", short: "r", value: "name", help: "Only this region (by name)."),
                .option(
                    "status",
                    short: "s",
                    value: "status",
                    help: "Only pings with this status.",
                    values: CheckStatus.allCases.map(\.rawValue)
                ),
                .option(
                    "since",
                    value: "duration",
                    help: "How far back to start (at most 36500d, 100 years).",
                    default: "10m"
                ),
                .option("limit", short: "n", value: "n", help: "Most past pings printed.", default: "1000"),
                .flag("follow", short: "f", help: "Keep printing new pings until interrupted."),
                .jsonFlag,
            ],
            action: run
        )
    }

    /// The filters of one invocation.
    struct Filter: Sendable {
        var monitorID: Int64?
        var regionID: Int64?
        var status: CheckStatus?

        func matches(_ ping: RecordedPing) -> Bool {
            (monitorID == nil || ping.monitorID == monitorID) && (regionID == nil || ping.regionID == regionID)
                && (status == nil || ping.status == status)
        }
    }

    @Sendable static func run(_ context: CommandContext) async throws -> Int32 {
        let arguments = context.arguments
        var filter = Filter()
        if let text = arguments.string("monitor") {
            guard let id = Int64(text), id > 0 else {
                throw UsageError("The value '\(text)' is invalid for '--monitor <id>'; expected a monitor ID.")
            }
            filter.monitorID = id
        }
        filter.status = arguments.string("status").flatMap(CheckStatus.init(rawValue:))
        let since = try arguments.duration("since", in: .zero...DurationText.maximum) ?? .seconds(600)
        let limit = try arguments.int("limit", in: 0...1_000_000) ?? 1000
        let follow = arguments.flag("follow")
        let json = arguments.flag("json")
        let runtime = try Runtime.start(context)
        let out = context.standardOutput
        return try await runtime.withPostgres(poolSize: 1, requireSchema: true) { postgres in
            let regions = try await postgres.withConnection { try RegionStore.all($0) }
            var regionNames: [Int64: String] = [:]
            for region in regions { regionNames[region.id] = region.name }
            if let name = arguments.string("region") {
                guard let region = regions.first(where: { $0.name == name }) else {
                    let known = regions.isEmpty ? "none yet" : regions.map(\.name).joined(separator: ", ")
                    throw RuntimeError("unknown region \"\(name)\"; known regions: \(known)")
                }
                filter.regionID = region.id
            }
            let start = Date().addingTimeInterval(-Double(since.wholeMilliseconds) / 1000)
            let query = filter
            let recent = {
                try await postgres.withConnection {
                    try PingStore.recent(
                        $0,
                        since: start,
                        monitorID: query.monitorID,
                        regionID: query.regionID,
                        status: query.status,
                        limit: limit
                    )
                }
            }
            guard follow else {
                let past = try await recent()
                for listing in past { try print(listing, json: json, to: out) }
                return ExitCode.success
            }
            return try await runtime.withRedis(poolSize: 1) { redis in
                // Subscribe first, so no ping falls between the query and the live stream.
                let live = redis.subscribe(channels: [PingBatchWriter.channel(database: redis.configuration.database)])
                let past = try await recent()
                let printed = Set(past.map(key))
                for listing in past { try print(listing, json: json, to: out) }
                let knownNames = try await postgres.withConnection { try monitorNames($0) }
                let regionNames = regionNames
                let signals = ShutdownSignals(logger: runtime.logger)
                defer { signals.cancel() }
                let reading = Task {
                    var seen = printed
                    var names = knownNames
                    let decoder = JSONDecoder()
                    for try await message in live {
                        for ping in decodePings(message.payload, decoder) where query.matches(ping) {
                            if !seen.isEmpty, seen.remove(key(ping)) != nil { continue }
                            if names[ping.monitorID] == nil {
                                names = (try? await postgres.withConnection { try monitorNames($0) }) ?? names
                            }
                            let listing = PingListing(
                                ping: ping,
                                monitorName: names[ping.monitorID],
                                regionName: regionNames[ping.regionID]
                            )
                            try print(listing, json: json, to: out)
                        }
                    }
                }
                let stopper = Task {
                    await signals.stop.wait()
                    reading.cancel()
                }
                // `… --follow | head -1`: stop when the reader goes away, even with no ping left to print.
                if let fd = out.fileDescriptor { ClosedOutputWatcher.watch(fd) { reading.cancel() } }
                _ = await reading.result
                stopper.cancel()
                return ExitCode.success
            }
        }
    }

    private static func key(_ listing: PingListing) -> String { key(listing.ping) }

    /// The pings of one channel message: a JSON array of pings (or a single ping object).
    static func decodePings(_ payload: [UInt8], _ decoder: JSONDecoder) -> [RecordedPing] {
        let data = Data(payload)
        if let pings = try? decoder.decode([RecordedPing].self, from: data) { return pings }
        return (try? decoder.decode(RecordedPing.self, from: data)).map { [$0] } ?? []
    }

    private static func key(_ ping: RecordedPing) -> String {
        "\(ping.monitorID):\(ping.regionID):\(Timestamp.rfc3339Microseconds(ping.time))"
    }

    private static func monitorNames(_ connection: PostgresConnection) throws -> [Int64: String] {
        var names: [Int64: String] = [:]
        for row in try connection.query("SELECT id, name FROM monitors") {
            names[try row.decode(Int64.self, at: 0)] = try row.decode(String.self, at: 1)
        }
        return names
    }

    /// `--json` line.
    struct PingView: Encodable {
        let time: String
        let monitorID: String
        let monitor: String?
        let regionID: String
        let region: String?
        let status: String
        let latencyMs: Int
        let message: String?

        enum CodingKeys: String, CodingKey {
            case time, monitor, region, status, message
            case monitorID = "monitor_id"
            case regionID = "region_id"
            case latencyMs = "latency_ms"
        }
    }

    static func print(_ listing: PingListing, json: Bool, to out: TextStream) throws {
        let ping = listing.ping
        if json {
            try out.writeJSONLine(
                PingView(
                    time: Timestamp.rfc3339Microseconds(ping.time),
                    monitorID: String(ping.monitorID),
                    monitor: listing.monitorName,
                    regionID: String(ping.regionID),
                    region: listing.regionName,
                    status: ping.status.rawValue,
                    latencyMs: ping.latencyMs,
                    message: ping.message
                )
            )
            return
        }
        var line = Timestamp.rfc3339Milliseconds(ping.time)
        line += "  " + (listing.monitorName.map { "\($0) (\(ping.monitorID))" } ?? String(ping.monitorID))
        line += "  " + (listing.regionName ?? String(ping.regionID))
        line += "  " + ping.status.rawValue.uppercased()
        line += "  \(ping.latencyMs) ms"
        if let message = ping.message { line += "  " + message }
        out.line(line)
    }
}
