import Foundation
import Testing

@testable import KnockerKit

extension TailPingsCommandTests {
    /// `knocker tail-pings … | head -1` ends at once, quietly, with status 0: with more past pings than a pipe holds
    /// (64 KiB), tail-pings meets the closed pipe while printing them (with and without `--follow`); with one past
    /// ping and `--follow`, it notices the reader has gone although it has nothing more to print.
    @Test func aClosedPipeEndsTailPingsQuietly() async throws {
        let (database, env) = try await seeded()
        let client = try PostgresClient(
            configuration: PostgresConfiguration(connectionString: database.url, poolSize: 1),
            logger: Logger(level: .error)
        )
        _ = try await client.execute(
            """
            INSERT INTO pings (time, monitor_id, region_id, latency, status, message)
            SELECT now() - make_interval(secs => n), 10, 1, 5, 'failed', 'unexpected status 503 from the target'
              FROM generate_series(1, 3000) AS n
            """
        )
        await client.shutdown()
        let binary = try KnockerProcess.binaryPath()
        for arguments in ["--since 1h -n 3000", "--since 1h -n 3000 --follow", "-n 1 --follow"] {
            let errors = FileManager.default.temporaryDirectory.appendingPathComponent("tail-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: errors) }
            var environment = env
            environment["PATH"] = "/usr/bin:/bin"
            let started = ContinuousClock.now
            let process = try SpawnedProcess(
                executable: "/bin/bash",
                // `timeout` turns a hang into a failure (status 124) rather than a stuck test.
                arguments: [
                    "-c", "set -o pipefail; timeout 20 '\(binary)' tail-pings \(arguments) | head -1 >/dev/null",
                ],
                environment: environment,
                directory: KnockerProcess.emptyDirectory(),
                standardOutput: "/dev/null",
                standardError: errors.path
            )
            try await offPool { process.waitUntilExit() }
            let standardError = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            #expect(process.terminationStatus == 0, "tail-pings \(arguments): \(standardError)")
            #expect(standardError.isEmpty, "tail-pings \(arguments)")
            #expect(ContinuousClock.now - started < .seconds(10), "tail-pings \(arguments) ended once the pipe closed")
        }
        try await database.drop()
    }
}
