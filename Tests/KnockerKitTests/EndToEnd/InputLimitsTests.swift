import Foundation
import Testing

@testable import KnockerKit

/// Out-of-range and malformed input to the built binary: a message, the usage for flags, and exit 64 (flags) or 1
/// (environment, unreachable services), never a trap. Postgres and Redis are unreachable ports (127.0.0.1:1), so
/// these need no services: each command must fail before it would connect, or because it cannot.
@Suite("knocker binary: input limits and start-up checks")
struct InputLimitsTests {
    static let unreachable = [
        "DATABASE_URL": "postgres://knocker@127.0.0.1:1/knocker", "REDIS_URL": "redis://127.0.0.1:1/0",
    ]

    func run(_ arguments: [String], _ environment: [String: String] = [:]) async throws -> KnockerProcess.Result {
        try await KnockerProcess.run(arguments, environment: Self.unreachable.merging(environment) { _, new in new })
    }

    /// A usage error: exit 64, the message, then the usage line of `command`.
    func expectUsageError(
        _ result: KnockerProcess.Result,
        _ message: String,
        usage command: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.status == 64, "\(result.standardError)", sourceLocation: sourceLocation)
        #expect(
            result.standardError.contains("Error: \(message)"),
            "\(result.standardError)",
            sourceLocation: sourceLocation
        )
        #expect(result.standardError.contains("Usage: knocker \(command)"), sourceLocation: sourceLocation)
        #expect(result.standardOutput.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func sinceBeyondAHundredYearsIsAUsageError() async throws {
        let range = "expected a duration from 0s to 36500d such as 500ms, 10s or 2m."
        for since in ["99999999999999d", "200000000d", "3000000d", "36501d", "1e20s", "inf"] {
            let result = try await run(["tail-pings", "--since", since])
            expectUsageError(result, "The value '\(since)' is invalid for '--since'; \(range)", usage: "tail-pings")
        }
    }

    @Test func aNegativeSinceSaysDurationsCannotBeNegative() async throws {
        for arguments in [["--since", "-5m"], ["--since=-5m"], ["--since", "-1"]] {
            let result = try await run(["tail-pings"] + arguments)
            expectUsageError(
                result,
                "The value '\(arguments.last?.replacingOccurrences(of: "--since=", with: "") ?? "")' is invalid for "
                    + "'--since'; durations cannot be negative (expected a duration from 0s to 36500d",
                usage: "tail-pings"
            )
        }
    }

    @Test func schedulesFlagsAreUsageErrors() async throws {
        let tick = "expected a duration from 10ms to 1h such as 500ms, 10s or 2m"
        for value in ["abc", "1e20s", "0", "2h"] {
            let result = try await run(["schedule", "--tick", value])
            expectUsageError(
                result,
                "invalid SCHEDULER_TICK '\(value)' (from flag --tick): \(tick)",
                usage: "schedule"
            )
        }
        for value in ["0", "abc", "100001", "99999999999999999999"] {
            let result = try await run(["schedule", "--batch", value])
            expectUsageError(
                result,
                "invalid SCHEDULER_BATCH '\(value)' (from flag --batch): expected an integer from 1 to 100000",
                usage: "schedule"
            )
        }
    }

    /// Every flag that sets a configuration value fails like the commands' own flags (`work --concurrency 0`).
    @Test func badGlobalFlagValuesAreUsageErrors() async throws {
        let concurrency = try await run(["work", "--region", "eu", "--concurrency", "0"])
        expectUsageError(
            concurrency,
            "The value '0' is invalid for '--concurrency'; expected an integer from 1 to 100000.",
            usage: "work"
        )
        let level = try await run(["config", "--log-level", "loud"])
        expectUsageError(level, "invalid LOG_LEVEL 'loud' (from flag --log-level): expected one of", usage: "config")
        let redis = try await run(["queue", "stats", "--redis-url", "http://x"])
        expectUsageError(redis, "invalid REDIS_URL 'http://x' (from flag --redis-url)", usage: "queue stats")
    }

    /// The same values from the environment are configuration errors: exit 1, naming the variable and the range.
    @Test func hugeDurationsInTheEnvironmentFailAtStart() async throws {
        let cases: [([String], String, String, String)] = [
            (["config"], "DB_ACQUIRE_TIMEOUT", "1e20s", "from 1ms to 1h"),
            (["work", "--region", "x"], "WORKER_SHUTDOWN_GRACE", "1e20", "from 0s to 10m"),
            (["schedule"], "SCHEDULER_TICK", "99999999999999d", "from 10ms to 1h"),
            (["all"], "PING_FLUSH_INTERVAL", "-1s", "from 10ms to 1m"),
        ]
        for (command, name, value, range) in cases {
            let result = try await run(command, [name: value])
            #expect(result.status == 1, "\(command): \(result.standardError)")
            #expect(
                result.standardError.contains("Error: invalid \(name) '\(value)' (from environment): "),
                "\(result.standardError)"
            )
            #expect(result.standardError.contains("a duration \(range) such as"), "\(result.standardError)")
            #expect(!result.standardError.contains("Usage:"))
        }
    }

    @Test func checkIntervalHasARange() async throws {
        for interval in ["1e20", "25h", "-1"] {
            let result = try await run(["check", "http://127.0.0.1:1/", "--count", "2", "--interval", interval])
            #expect(result.status == 64, "\(result.standardError)")
            #expect(result.standardError.contains("is invalid for '--interval'"), "\(result.standardError)")
            #expect(result.standardError.contains("from 0s to 1d"), "\(result.standardError)")
        }
    }

    /// `schedule` and `tail-pings` check Postgres at start-up, like `work` and `all`, instead of retrying forever.
    @Test func unreachablePostgresFailsAtStart() async throws {
        for command in [["schedule"], ["tail-pings"], ["work", "--region", "eu"], ["all"], ["maintain"]] {
            let result = try await run(command)
            #expect(result.status == 1, "\(command): \(result.standardError)")
            #expect(result.standardError.contains("Error: cannot connect to Postgres"), "\(result.standardError)")
            #expect(result.elapsed < .seconds(10), "\(command)")
        }
    }
}
