import Foundation
import Testing

/// Runs the built `knocker` binary and captures what it prints.
struct KnockerProcess {
    struct Result: Sendable {
        var status: Int32
        var standardOutput: String
        var standardError: String
        var elapsed: Duration
    }

    /// The binary under test: KNOCKER_BINARY (set by scripts/test), else the debug build in this checkout.
    static func binaryPath() throws -> String {
        if let path = ProcessInfo.processInfo.environment["KNOCKER_BINARY"], !path.isEmpty { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent(".build/debug/knocker").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            Issue.record("the knocker binary is not built at \(path); run scripts/test (or swift build) first")
            throw CancellationError()
        }
        return path
    }

    /// Runs `knocker arguments…` with a clean environment plus `environment`, in `directory`.
    static func run(
        _ arguments: [String],
        environment: [String: String] = [:],
        directory: String? = nil
    ) async throws -> Result {
        let process = try start(arguments, environment: environment, directory: directory)
        return try await offPool { process.wait() }
    }

    final class Running: @unchecked Sendable {
        let process: SpawnedProcess
        let outputURL: URL
        let errorURL: URL
        let started: ContinuousClock.Instant

        init(process: SpawnedProcess, outputURL: URL, errorURL: URL) {
            self.process = process
            self.outputURL = outputURL
            self.errorURL = errorURL
            self.started = .now
        }

        func wait() -> Result {
            process.waitUntilExit()
            let elapsed = ContinuousClock.now - started
            let output = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
            let error = (try? String(contentsOf: errorURL, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: outputURL)
            try? FileManager.default.removeItem(at: errorURL)
            return Result(
                status: process.terminationStatus,
                standardOutput: output,
                standardError: error,
                elapsed: elapsed
            )
        }
    }

    static func start(
        _ arguments: [String],
        environment: [String: String] = [:],
        directory: String? = nil
    ) throws -> Running {
        var env = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory(), "COLUMNS": "80"]
        env.merge(environment) { _, new in new }
        let folder = directory ?? emptyDirectory()
        let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent(
            "knocker-out-\(UUID().uuidString)"
        )
        let errorURL = FileManager.default.temporaryDirectory.appendingPathComponent("knocker-err-\(UUID().uuidString)")
        let process = try SpawnedProcess(
            executable: try binaryPath(),
            arguments: arguments,
            environment: env,
            directory: folder,
            standardOutput: outputURL.path,
            standardError: errorURL.path
        )
        return Running(process: process, outputURL: outputURL, errorURL: errorURL)
    }

    /// A new empty directory, so no stray `.env` is read.
    static func emptyDirectory() -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("knocker-cwd-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}
