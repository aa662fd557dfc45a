import Foundation

/// `openssl s_server -www` on 127.0.0.1 with a fresh self-signed certificate valid for a given number of days.
/// Start and stop it off the cooperative pool (both block on the `openssl` process).
final class TestTLSServer: Sendable {
    /// Why the server could not start.
    struct StartError: Error, CustomStringConvertible {
        /// What went wrong.
        var description: String
    }

    /// The listening port.
    let port: UInt16
    private let process: Process
    private let directory: URL

    /// Makes the certificate and starts the server; returns once it accepts connections.
    init(days: Int) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("knocker-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let request = try Self.run([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
            "-out", certificate, "-days", "\(days)", "-subj", "/CN=localhost",
        ])
        request.waitUntilExit()
        guard request.terminationStatus == 0 else { throw StartError(description: "openssl req failed") }
        guard let port = TestHTTPServer.closedPort() else { throw StartError(description: "no free port") }
        self.port = port
        let output = Pipe()
        process = try Self.run(
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

    /// Stops the server and removes its files.
    func stop() {
        kill(process.processIdentifier, SIGKILL)  // s_server may not exit on SIGTERM while a client is open
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    private static func run(_ arguments: [String], output: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}
