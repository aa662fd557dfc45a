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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read both pipes to the end before waiting, so a chatty tool cannot block on a full pipe.
        let errorData = Locked(Data())
        let finished = DispatchSemaphore(value: 0)
        let errorHandle = errors.fileHandleForReading
        DispatchQueue.global().async {
            let data = errorHandle.readDataToEndOfFile()
            errorData.withLock { $0 = data }
            finished.signal()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        finished.wait()
        process.waitUntilExit()
        return ToolRun(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData.withLock { $0 }, as: UTF8.self)
        )
    }
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
