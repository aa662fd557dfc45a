import Foundation
import Synchronization
import Testing

@testable import KnockerKit

#if canImport(Glibc)
import Glibc
#endif

/// The pipeline end to end: the built binary's scheduler, workers and commands on real Postgres and Redis, against
/// local targets and a local webhook receiver.
enum PipelineTests {
    /// Runs `body` with a client (pool of `poolSize`) on a fresh, migrated database, dropped afterwards.
    static func withMigratedDatabase(
        prefix: String,
        poolSize: Int,
        _ body: (PostgresClient, Logger) async throws -> Void
    ) async throws {
        let database = try await TestDatabase.create(prefix: prefix)
        let logger = Logger(level: .warning)
        let postgres = try PostgresClient(
            configuration: PostgresConfiguration(connectionString: database.url, poolSize: poolSize),
            logger: logger
        )
        do {
            _ = try await Migrator(client: postgres, migrations: try MigrationCatalog.embedded(), logger: logger).up()
            try await body(postgres, logger)
        } catch {
            await postgres.shutdown()
            try? await database.drop()
            throw error
        }
        await postgres.shutdown()
        try? await database.drop()
    }
}

/// A local HTTP server for one pipeline test (127.0.0.1, an ephemeral port, a thread per connection):
/// - `/target` answers ``targetStatus`` (200 by default), the check target the test flips between up and down;
/// - `/hook` records the request (before answering) and answers 500 while ``failHooks(_:)`` failures are left,
///   200 `ok` after, the webhook receiver.
final class PipelineHTTPServer: Sendable {
    /// One recorded webhook request.
    struct Request: Sendable {
        var method: String
        /// Headers, lower-cased names.
        var headers: [String: String]
        var body: String

        /// The body as a JSON object (empty when it is not one).
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        }

        /// The JSON body's `event` field.
        var event: String? { json["event"] as? String }
    }

    private struct State {
        var targetStatus = 200
        var targetHits = 0
        var hookFailuresLeft = 0
        var hookAnswers: [Int] = []
        var requests: [Request] = []
    }

    let port: UInt16
    private let listener: Int32
    private let state = Mutex(State())

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerFailed(reason: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(fd, address, length) == 0 && listen(fd, 256) == 0 && getsockname(fd, address, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw ServerFailed(reason: "bind/listen: errno \(errno)")
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "pipeline-http-server"
        thread.start()
    }

    struct ServerFailed: Error, CustomStringConvertible {
        let reason: String
        var description: String { "the pipeline test HTTP server could not listen: \(reason)" }
    }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Sets the status `/target` answers.
    func setTarget(_ status: Int) { state.withLock { $0.targetStatus = status } }

    /// How many requests `/target` got.
    var targetHits: Int { state.withLock { $0.targetHits } }

    /// Makes `/hook` answer 500 to the next `count` requests.
    func failHooks(_ count: Int) { state.withLock { $0.hookFailuresLeft = count } }

    /// The webhook requests so far, oldest first.
    var requests: [Request] { state.withLock { $0.requests } }

    /// The status `/hook` answered to each request, oldest first.
    var hookAnswers: [Int] { state.withLock { $0.hookAnswers } }

    /// Stops listening (running connections finish).
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            let thread = Thread { [self] in serve(fd) }
            thread.stackSize = 1 << 18
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        guard let raw = TestHTTPRequest.read(from: fd) else { return }
        switch raw.path {
        case "target":
            let status = state.withLock { state in
                state.targetHits += 1
                return state.targetStatus
            }
            writeTestHTTPResponse(fd, status: status, body: "target \(status)")
        case "hook":
            let status = state.withLock { state in
                state.requests.append(Request(method: raw.method, headers: raw.headers, body: raw.body))
                let status: Int
                if state.hookFailuresLeft > 0 {
                    state.hookFailuresLeft -= 1
                    status = 500
                } else {
                    status = 200
                }
                state.hookAnswers.append(status)
                return status
            }
            writeTestHTTPResponse(fd, status: status, body: status == 200 ? "ok" : "failing on purpose")
        default: writeTestHTTPResponse(fd, status: 404, body: "not found")
        }
    }
}

/// One pipeline test's world: its own migrated database (through `knocker migrate up`), its own Redis database
/// (index 1–5, flushed before and after), a local HTTP server, and the `knocker` processes it started (stopped
/// with SIGKILL if the test leaves any running).
final class PipelineFixture: Sendable {
    let database: TestDatabase
    let postgres: PostgresClient
    let redis: RedisClient
    let redisURL: String
    let server: PipelineHTTPServer
    let teamID: Int64 = 1
    private let processes = Mutex<[(name: String, running: KnockerProcess.Running)]>([])

    /// Runs `body` with a fresh fixture using Redis database `redisDatabase` (1–5: the pipeline tests' own).
    static func with(redisDatabase: Int, _ body: (PipelineFixture) async throws -> Void) async throws {
        try #require((1...5).contains(redisDatabase), "the pipeline tests own Redis databases 1–5 (6–11 are taken)")
        let shared = try TestServices.redisConfiguration()
        let logger = Logger(level: .warning)
        let redis = RedisClient(
            configuration: RedisConfiguration(
                host: shared.host,
                port: shared.port,
                password: shared.password,
                database: redisDatabase,
                poolSize: 2
            ),
            logger: logger
        )
        let database = try await TestDatabase.create(prefix: "knocker_pipeline")
        let postgres: PostgresClient
        let server: PipelineHTTPServer
        do {
            postgres = try PostgresClient(
                configuration: PostgresConfiguration(connectionString: database.url, poolSize: 2),
                logger: logger
            )
            server = try PipelineHTTPServer()
        } catch {
            await redis.shutdown()
            try? await database.drop()
            throw error
        }
        let password = shared.password.map {
            ":\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")@"
        }
        let fixture = PipelineFixture(
            database: database,
            postgres: postgres,
            redis: redis,
            redisURL: "redis://\(password ?? "")\(shared.host):\(shared.port)/\(redisDatabase)",
            server: server
        )
        do {
            _ = try await redis.command(["FLUSHDB"])
            let migrated = try await KnockerProcess.run(["migrate", "up"], environment: fixture.environment())
            try #require(migrated.status == 0, "knocker migrate up failed: \(migrated.standardError)")
            try await body(fixture)
        } catch {
            await fixture.tearDown()
            throw error
        }
        await fixture.tearDown()
    }

    private init(
        database: TestDatabase,
        postgres: PostgresClient,
        redis: RedisClient,
        redisURL: String,
        server: PipelineHTTPServer
    ) {
        self.database = database
        self.postgres = postgres
        self.redis = redis
        self.redisURL = redisURL
        self.server = server
    }

    private func tearDown() async {
        let left = processes.withLock { list in
            defer { list.removeAll() }
            return list
        }
        for (name, running) in left where running.process.isRunning {
            kill(running.process.processIdentifier, SIGKILL)
            let result = try? await offPool { running.wait() }
            Issue.record("\(name) was still running and was killed; its log:\n\(result?.standardError ?? "")")
        }
        _ = try? await redis.command(["FLUSHDB"])
        await redis.shutdown()
        await postgres.shutdown()
        server.stop()
        try? await database.drop()
    }

    /// The environment for a `knocker` process of this test: its database and Redis database, upkeep off.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = [
            "DATABASE_URL": database.url,
            "REDIS_URL": redisURL,
            "LOG_LEVEL": "info",
            "MAINTENANCE_INTERVAL": "0",
        ]
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// Starts `knocker arguments…`; ``stop(_:)`` or the teardown ends it.
    func start(
        _ name: String,
        _ arguments: [String],
        environment extra: [String: String] = [:]
    ) throws
        -> KnockerProcess.Running
    {
        let running = try KnockerProcess.start(arguments, environment: environment(extra))
        processes.withLock { $0.append((name, running)) }
        return running
    }

    /// Sends SIGTERM to every process started and not yet stopped, waits for each (SIGKILL after `timeout`) and
    /// expects exit status 0 and no error lines. Returns their results by name.
    @discardableResult
    func stopAll(timeout: Duration = .seconds(20)) async throws -> [String: KnockerProcess.Result] {
        let list = processes.withLock { list in
            defer { list.removeAll() }
            return list
        }
        for (_, running) in list { kill(running.process.processIdentifier, SIGTERM) }
        var results: [String: KnockerProcess.Result] = [:]
        for (name, running) in list {
            let result = try await offPool {
                let deadline = Date().addingTimeInterval(Double(timeout.components.seconds))
                while running.process.isRunning, Date() < deadline { usleep(20_000) }
                if running.process.isRunning { kill(running.process.processIdentifier, SIGKILL) }
                return running.wait()
            }
            #expect(result.status == 0, "\(name) exited \(result.status) after SIGTERM:\n\(result.standardError)")
            #expect(!result.standardError.contains(" ERROR "), "\(name) logged errors:\n\(result.standardError)")
            results[name] = result
        }
        return results
    }

    /// What the running processes have logged so far, the last 40 lines of each (read off the cooperative pool).
    func logs() async -> String {
        let list = processes.withLock { $0 }
        let text = try? await offPool {
            list.map { name, running in
                let text = (try? String(contentsOf: running.errorURL, encoding: .utf8)) ?? ""
                return "--- \(name):\n\(text.split(separator: "\n").suffix(40).joined(separator: "\n"))"
            }.joined(separator: "\n")
        }
        return text ?? ""
    }

    /// Polls `condition` every 100 ms until it holds; records an issue (with the processes' logs) and throws after
    /// `timeout`.
    func waitUntil(
        _ what: String,
        timeout: Duration,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                let logs = await logs()
                Issue.record(
                    "timed out after \(timeout) waiting until \(what)\n\(logs)",
                    sourceLocation: sourceLocation
                )
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    // MARK: Rows

    /// Inserts the team, regions `names` (ids 101, 102, …) and returns their ids.
    func insertRegions(_ names: [String]) async throws -> [Int64] {
        try await postgres.execute("INSERT INTO teams (id, name) VALUES (\(teamID), 'team') ON CONFLICT DO NOTHING")
        var ids: [Int64] = []
        for (index, name) in names.enumerated() {
            let id = Int64(101 + index)
            try await postgres.execute(
                "INSERT INTO regions (id, name, display_name) VALUES (\(id), \(name), \("Region \(name)"))"
            )
            ids.append(id)
        }
        return ids
    }

    /// Inserts an HTTP monitor checking `/target` every `interval` seconds from `regions`, due now.
    func insertMonitor(
        id: Int64,
        interval: Int = 1,
        failureThreshold: Int = 2,
        recoveryThreshold: Int = 2,
        regions: [Int64]
    ) async throws {
        try await postgres.execute("INSERT INTO teams (id, name) VALUES (\(teamID), 'team') ON CONFLICT DO NOTHING")
        let config = "{\"url\": \"\(server.url("/target"))\", \"request_timeout\": 5}"
        try await postgres.execute(
            """
            INSERT INTO monitors (id, team_id, name, type, "interval", config, failure_threshold, recovery_threshold)
            VALUES (\(id), \(teamID), \("api \(id)"), 'http', \(interval), \(config)::jsonb,
                    \(failureThreshold), \(recoveryThreshold))
            """
        )
        for (index, region) in regions.enumerated() {
            try await postgres.execute(
                """
                INSERT INTO monitor_regions (id, monitor_id, region_id)
                VALUES (\(id * 100 + Int64(index)), \(id), \(region))
                """
            )
        }
    }

    /// Inserts a webhook channel posting to `/hook` (or `url`) signed with `secret`, linked to `monitors`.
    func insertWebhook(id: Int64, secret: String, url: String? = nil, monitors: [Int64] = []) async throws {
        try await postgres.execute("INSERT INTO teams (id, name) VALUES (\(teamID), 'team') ON CONFLICT DO NOTHING")
        let config = "{\"url\": \"\(url ?? server.url("/hook"))\", \"secret\": \"\(secret)\"}"
        try await postgres.execute(
            """
            INSERT INTO notifications (id, team_id, type, name, config)
            VALUES (\(id), \(teamID), 'webhook', \("hook \(id)"), \(config)::jsonb)
            """
        )
        for monitor in monitors {
            try await postgres.execute(
                """
                INSERT INTO monitor_notifications (id, monitor_id, notification_id)
                VALUES (\(monitor * 1000 + id), \(monitor), \(id))
                """
            )
        }
    }

    /// One number from a query returning one row with one bigint-compatible column.
    func count(_ query: PostgresQuery) async throws -> Int64 {
        let rows = try await postgres.query(query)
        guard let row = rows.first else { return 0 }
        return try row.decode(Int64.self, at: 0)
    }

    /// The event types of an incident, oldest first.
    func eventTypes(incident: Int64) async throws -> [String] {
        try await postgres.query(
            "SELECT event_type::text FROM event_timelines WHERE event_id = \(incident) ORDER BY created_at, id"
        ).map { try $0.decode(String.self, at: 0) }
    }
}

/// Whether `request` carries a valid `X-Knocker-Signature` for `secret`: `sha256=` and the hex HMAC-SHA256 of
/// `<X-Knocker-Timestamp>.<body>`, computed here from the documented format.
func pipelineSignatureIsValid(_ request: PipelineHTTPServer.Request, secret: String) -> Bool {
    guard let timestamp = request.headers["x-knocker-timestamp"], Int64(timestamp) != nil,
        let signature = request.headers["x-knocker-signature"]
    else { return false }
    let mac = Digest.hmacSHA256(key: Array(secret.utf8), message: Array("\(timestamp).\(request.body)".utf8))
    return signature == "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
}
