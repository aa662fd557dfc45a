import Foundation
import Testing

/// Runs an outside program (bash, zsh, luac…) to completion on a thread of its own and returns what it printed.
struct ToolRun: Sendable {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

func runTool(_ path: String, _ arguments: [String]) async throws -> ToolRun {
    try await offPool {
        // Output goes to files (no pipe can fill up); the process starts with posix_spawn (see SpawnedProcess).
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("knocker-tool-\(UUID().uuidString)")
        let outputPath = base.path + ".out"
        let errorPath = base.path + ".err"
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: errorPath)
        }
        let process = try SpawnedProcess(
            executable: path,
            arguments: arguments,
            environment: ProcessInfo.processInfo.environment,
            directory: FileManager.default.currentDirectoryPath,
            standardOutput: outputPath,
            standardError: errorPath
        )
        process.waitUntilExit()
        return ToolRun(
            status: process.terminationStatus,
            standardOutput: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        )
    }
}

/// `name` in the usual system directories, then in each directory of PATH, for ``requiredTool(_:candidates:)``.
func executableCandidates(_ name: String) -> [String] {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let directories = ["/usr/bin", "/usr/local/bin"] + path.split(separator: ":").map(String.init)
    return directories.map { "\($0)/\(name)" }
}

/// The first of `candidates` that is executable. When none is and the run requires every tool
/// (KNOCKER_REQUIRE_SERVICES, set by scripts/test), the test fails instead of skipping the check.
func requiredTool(_ name: String, candidates: [String]) -> String? {
    if let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return path }
    if ProcessInfo.processInfo.environment["KNOCKER_REQUIRE_SERVICES"] == "1" {
        Issue.record("\(name) is not installed; scripts/services install provides it")
    }
    return nil
}
