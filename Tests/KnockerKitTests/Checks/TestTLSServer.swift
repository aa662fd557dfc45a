import Foundation

/// `openssl s_server -www` on 127.0.0.1 with a given certificate, or a fresh self-signed one valid for a given number
/// of days. Start and stop it off the cooperative pool (both block on the `openssl` process).
final class TestTLSServer: Sendable {
    /// Why the server could not start.
    struct StartError: Error, CustomStringConvertible {
        /// What went wrong.
        var description: String
    }

    /// The listening port.
    let port: UInt16
    private let process: SpawnedProcess
    private let ownedDirectory: URL?

    /// Makes a self-signed certificate for `CN=localhost` valid for `days` and starts the server; returns once it
    /// accepts connections.
    convenience init(days: Int) throws {
        let directory = try Self.makeTemporaryDirectory("knocker-tls")
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        do {
            try Self.openssl([
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                "-out", certificate, "-days", "\(days)", "-subj", "/CN=localhost",
            ])
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        try self.init(certificate: certificate, key: key, owning: directory)
    }

    /// Starts the server with the PEM `certificate` (chain) and `key` files, which stay the caller's; returns once it
    /// accepts connections.
    convenience init(certificate: String, key: String) throws {
        try self.init(certificate: certificate, key: key, owning: nil)
    }

    private init(certificate: String, key: String, owning directory: URL?) throws {
        ownedDirectory = directory
        guard let port = TestHTTPServer.closedPort() else { throw StartError(description: "no free port") }
        self.port = port
        let log = (directory ?? FileManager.default.temporaryDirectory).appendingPathComponent(
            "s_server-\(UUID().uuidString).log"
        ).path
        process = try Self.start(
            ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate, "-key", key, "-www"],
            output: log
        )
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: log) } }
        // Wait (blocking; callers are off the cooperative pool) until it says it accepts, or exits.
        let deadline = Date().addingTimeInterval(20)
        while true {
            let seen = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if seen.contains("ACCEPT") { break }
            guard process.isRunning, Date() < deadline else {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw StartError(description: "openssl s_server did not start: \(seen)")
            }
            usleep(10_000)
        }
    }

    /// Stops the server and removes the files it made.
    func stop() {
        kill(process.processIdentifier, SIGKILL)  // s_server may not exit on SIGTERM while a client is open
        process.waitUntilExit()
        if let ownedDirectory { try? FileManager.default.removeItem(at: ownedDirectory) }
    }

    /// A new empty directory under the temporary directory, named `<prefix>-<uuid>`.
    static func makeTemporaryDirectory(_ prefix: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Runs `openssl` with `arguments` to completion; throws with its error output when it fails.
    static func openssl(_ arguments: [String]) throws {
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("openssl-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: errors) }
        let process = try start(arguments, output: "/dev/null", errors: errors)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            throw StartError(description: "openssl \(arguments.first ?? "") failed: \(text)")
        }
    }

    private static func start(
        _ arguments: [String],
        output: String,
        errors: String = "/dev/null"
    ) throws
        -> SpawnedProcess
    {
        try SpawnedProcess(
            executable: "/usr/bin/openssl",
            arguments: arguments,
            environment: ProcessInfo.processInfo.environment,
            directory: FileManager.default.currentDirectoryPath,
            standardOutput: output,
            standardError: errors
        )
    }
}
