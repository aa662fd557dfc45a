import Foundation
import Testing

@testable import KnockerKit

/// The built binary, run as an operator would.
@Suite("knocker binary")
struct CommandLineTests {
    @Test func versionAndVersionFlag() async throws {
        let version = try await KnockerProcess.run(["version"])
        #expect(version.status == 0)
        #expect(version.standardOutput.hasPrefix("knocker \(Knocker.version)\n"))
        #expect(version.standardOutput.contains("libpq 15."))
        let flag = try await KnockerProcess.run(["--version"])
        #expect(flag.status == 0)
        #expect(flag.standardOutput == "\(Knocker.version)\n")
        let json = try await KnockerProcess.run(["version", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: String]
        #expect(object?["version"] == Knocker.version)
    }

    @Test func unknownCommandIsAUsageError() async throws {
        let result = try await KnockerProcess.run(["mgirate"])
        #expect(result.status == 64)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains("Error: Unknown command 'mgirate'. Did you mean 'migrate'?"))
        #expect(result.standardError.contains("Usage: knocker"))
    }

    @Test func unknownFlagSuggestsTheRightOne() async throws {
        let result = try await KnockerProcess.run(["migrate", "up", "--too", "3"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("Error: Unknown option '--too'. Did you mean '--to'?"))
    }

    @Test func missingFlagValueIsAUsageError() async throws {
        let result = try await KnockerProcess.run(["migrate", "up", "--to"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("Error: Missing value for '--to <version>'"))
        #expect(result.standardError.contains("Usage: knocker migrate up"))
    }

    @Test func badIntegerIsAUsageError() async throws {
        let result = try await KnockerProcess.run(["migrate", "up", "--to=abc"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("'abc'"))
    }

    @Test func helpCommandMatchesHelpFlag() async throws {
        let command = try await KnockerProcess.run(["help", "migrate", "up"])
        let flag = try await KnockerProcess.run(["migrate", "up", "--help"])
        #expect(command.status == 0)
        #expect(command.standardOutput == flag.standardOutput)
        #expect(command.standardOutput.contains("USAGE: knocker migrate up"))
        #expect(command.standardOutput.contains("--to <version>"))
    }

    @Test func malformedDatabaseURLNamesTheVariable() async throws {
        let result = try await KnockerProcess.run(
            ["migrate", "status"],
            environment: ["DATABASE_URL": "postgres://u@db:notaport/x"]
        )
        #expect(result.status == 1)
        #expect(result.standardError.contains("Error: invalid DATABASE_URL"))
        #expect(result.standardError.contains("(from environment)"))
        // Typed as a flag, it is a usage error like any other bad flag value.
        let flag = try await KnockerProcess.run(["migrate", "status", "--database-url", "http://nope"])
        #expect(flag.status == 64)
        #expect(flag.standardError.contains("Error: invalid DATABASE_URL 'http://nope' (from flag --database-url)"))
        #expect(flag.standardError.contains("Usage: knocker migrate status"))
    }

    @Test func invalidSettingFailsAtStart() async throws {
        let result = try await KnockerProcess.run(["config"], environment: ["DB_POOL_SIZE": "zero"])
        #expect(result.status == 1)
        #expect(
            result.standardError.contains(
                "invalid DB_POOL_SIZE 'zero' (from environment): expected an integer from 1 to 1000"
            )
        )
    }

    @Test func configShowsSourcesAndMasksSecrets() async throws {
        let directory = KnockerProcess.emptyDirectory()
        try "APP_REGION=eu-central\nDB_PASSWORD=from-dotenv\n".write(
            toFile: directory + "/.env",
            atomically: true,
            encoding: .utf8
        )
        let result = try await KnockerProcess.run(
            ["config", "--output", "tsv", "--log-level", "debug"],
            environment: ["APP_PORT": "9100", "JWT_SECRET_KEY": "very-secret"],
            directory: directory
        )
        #expect(result.status == 0)
        let rows = result.standardOutput.split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        func row(_ name: String) -> [String]? { rows.first { $0.first == name } }
        #expect(row("APP_REGION") == ["APP_REGION", "eu-central", ".env"])
        #expect(row("APP_PORT") == ["APP_PORT", "9100", "environment"])
        #expect(row("LOG_LEVEL") == ["LOG_LEVEL", "debug", "flag --log-level"])
        #expect(row("DB_PORT") == ["DB_PORT", "5432", "default"])
        #expect(row("JWT_SECRET_KEY")?[1] == "********")
        #expect(!result.standardOutput.contains("very-secret"))
        #expect(!result.standardOutput.contains("from-dotenv"))
    }

    @Test func unreadableEnvFileIsAnError() async throws {
        let result = try await KnockerProcess.run(["config", "--env-file", "/nonexistent/.env"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("cannot read the env file /nonexistent/.env"))
    }

    @Test func refusedDatabaseConnectionFailsClearly() async throws {
        let result = try await KnockerProcess.run(
            ["migrate", "status"],
            environment: ["DATABASE_URL": "postgres://knocker@127.0.0.1:1/knocker"]
        )
        #expect(result.status == 1)
        #expect(result.standardError.contains("Error: cannot connect to Postgres"))
        #expect(result.standardError.contains("refused"))
        #expect(result.elapsed < .seconds(5))
    }

    @Test func unresponsiveDatabaseFailsWithinTheConnectTimeout() async throws {
        // A socket that is listening but never answers: the TCP handshake completes, the server never speaks.
        let listener = try SilentListener()
        defer { listener.close() }
        let result = try await KnockerProcess.run(
            ["migrate", "status"],
            environment: [
                "DATABASE_URL": "postgres://knocker@127.0.0.1:\(listener.port)/knocker", "DB_CONNECT_TIMEOUT": "2s",
            ]
        )
        #expect(result.status == 1)
        #expect(result.standardError.contains("Error: cannot connect to Postgres"))
        #expect(result.standardError.contains("timeout"))
        #expect(result.elapsed >= .seconds(1))
        #expect(result.elapsed < .seconds(6))
    }

    @Test func aClosedPipeEndsQuietlyWithSuccess() async throws {
        let binary = try KnockerProcess.binaryPath()
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: errors) }
        // More output than a pipe buffers (64 KiB), so the writer really meets a closed pipe.
        let process = try SpawnedProcess(
            executable: "/bin/bash",
            arguments: ["-c", "set -o pipefail; '\(binary)' config | head -c 10 >/dev/null"],
            environment: ["APP_REGIONS": String(repeating: "region,", count: 15_000), "PATH": "/usr/bin:/bin"],
            directory: KnockerProcess.emptyDirectory(),
            standardOutput: "/dev/null",
            standardError: errors
        )
        try await offPool { process.waitUntilExit() }
        #expect(process.terminationStatus == 0)
        #expect(((try? String(contentsOfFile: errors, encoding: .utf8)) ?? "").isEmpty)
    }

    @Test func completionScriptsAreGenerated() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let result = try await KnockerProcess.run(["--generate-completion-script", shell])
            #expect(result.status == 0)
            #expect(result.standardOutput.contains("migrate"))
        }
    }
}

/// A TCP socket on 127.0.0.1 that accepts connections into its backlog and never answers.
final class SilentListener {
    let fd: Int32
    let port: Int

    init() throws {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(socketFD, 16) == 0 else {
            _ = Glibc.close(socketFD)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        fd = socketFD
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(fd) }
}
