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
    private let process: Process
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
        let output = Pipe()
        process = try Self.start(
            ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate, "-key", key, "-www"],
            output: output
        )
        var seen = ""
        while !seen.contains("ACCEPT") {
            let data = output.fileHandleForReading.availableData
            guard !data.isEmpty else { throw StartError(description: "openssl s_server exited: \(seen)") }
            seen += String(decoding: data, as: UTF8.self)
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
        let errors = Pipe()
        let process = try start(arguments, errors: errors)
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self)
            throw StartError(description: "openssl \(arguments.first ?? "") failed: \(text)")
        }
    }

    private static func start(_ arguments: [String], output: Pipe? = nil, errors: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardError = errors ?? FileHandle.nullDevice
        try process.run()
        return process
    }
}
