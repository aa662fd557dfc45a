import Foundation
import Synchronization
import Testing

@testable import KnockerKit

#if canImport(Glibc)
import Glibc
#endif

/// Groups the notification tests so `swift test --filter NotifyTests` selects them.
@Suite("Notify") enum NotifyTests {}

/// A local HTTP receiver for the delivery tests: 127.0.0.1, an ephemeral port, a thread per connection. It records
/// every request before answering, so a test that sees the sender return finds the request recorded.
///
/// Answers by path: `/answer/<code>/…` → status `<code>` with body `answer <code>`; `/hang/…` → never (reads until
/// the client gives up); anything else → 200 `ok`.
final class NotifyReceiver: Sendable {
    /// The receiver shared by the notification tests; nil when it could not listen.
    static let shared: NotifyReceiver? = NotifyReceiver()

    /// One recorded request.
    struct Request: Sendable {
        var method: String
        /// Path with the leading "/".
        var path: String
        /// Headers, lower-cased names.
        var headers: [String: String]
        var body: String
    }

    let port: UInt16
    private let requests = Mutex<[String: [Request]]>([:])

    private init?() {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
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
            return nil
        }
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.name = "notify-receiver"
        thread.start()
    }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// The requests recorded for `path`, oldest first.
    func requests(at path: String) -> [Request] { requests.withLock { $0[path] ?? [] } }

    private func acceptLoop(_ listener: Int32) {
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
        let request = Request(method: raw.method, path: "/" + raw.path, headers: raw.headers, body: raw.body)
        requests.withLock { $0[request.path, default: []].append(request) }
        let parts = raw.path.split(separator: "/").map(String.init)
        switch parts.first {
        case "hang":
            var byte: UInt8 = 0
            while recv(fd, &byte, 1, 0) > 0 {}
        case "answer":
            let code = parts.count > 1 ? Int(parts[1]) ?? 500 : 500
            writeTestHTTPResponse(fd, status: code, body: "answer \(code)")
        default: writeTestHTTPResponse(fd, status: 200, body: "ok")
        }
    }
}

/// A local SMTP server (Python's `smtpd`, without STARTTLS) that writes each message it accepts to a file in its
/// own directory: `<n>.eml` holding `MAIL FROM`, the recipients, a blank line and the data. It writes the file
/// before it answers the data with 250, so a sender that got 250 finds the file. Data for a recipient starting with
/// `refuse` is answered `554 5.7.1 refused by the test server`.
final class TestSMTPServer: Sendable {
    let port: Int
    let directory: URL
    private let process: SpawnedProcess

    static let script = #"""
        import smtpd, asyncore, os, sys
        class Sink(smtpd.SMTPServer):
            count = 0
            def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
                if any(r.startswith("refuse") for r in rcpttos):
                    return "554 5.7.1 refused by the test server"
                Sink.count += 1
                path = os.path.join(sys.argv[1], "%d.eml" % Sink.count)
                with open(path + ".tmp", "wb") as f:
                    f.write(("MAIL FROM:%s\nRCPT TO:%s\n\n" % (mailfrom, ",".join(rcpttos))).encode())
                    f.write(data)
                os.rename(path + ".tmp", path)
        server = Sink(("127.0.0.1", 0), None, decode_data=False)
        print(server.socket.getsockname()[1], flush=True)
        asyncore.loop()
        """#

    /// Starts a server; nil (with an issue recorded when services are required) when python3 is missing.
    static func start() async throws -> TestSMTPServer? {
        guard let python = requiredTool("python3", candidates: ["/usr/bin/python3", "/usr/local/bin/python3"]) else {
            return nil
        }
        return try await offPool { try TestSMTPServer(python: python) }
    }

    private init(python: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("knocker-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let scriptURL = directory.appendingPathComponent("server.py")
        try Self.script.write(to: scriptURL, atomically: true, encoding: .utf8)
        let portFile = directory.appendingPathComponent("port.txt").path
        process = try SpawnedProcess(
            executable: python,
            arguments: ["-W", "ignore", scriptURL.path, directory.path],
            environment: ProcessInfo.processInfo.environment,
            directory: directory.path,
            standardOutput: portFile,
            standardError: "/dev/null"
        )
        // The script prints its port on the first line (blocking wait; callers are off the cooperative pool).
        let deadline = Date().addingTimeInterval(20)
        var port: Int?
        while port == nil {
            let text = (try? String(contentsOfFile: portFile, encoding: .utf8)) ?? ""
            if let newline = text.firstIndex(of: "\n") { port = Int(text[..<newline]) }
            guard port == nil else { break }
            guard process.isRunning, Date() < deadline else { break }
            usleep(10_000)
        }
        guard let port else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw SMTPServerFailed()
        }
        self.port = port
    }

    struct SMTPServerFailed: Error, CustomStringConvertible {
        var description: String { "the python3 smtpd test server did not start" }
    }

    /// The messages received so far, in order: envelope lines, a blank line, the data.
    func messages() async throws -> [String] {
        try await offPool { [directory] in try Self.messages(in: directory) }
    }

    private static func messages(in directory: URL) throws -> [String] {
        var found: [String] = []
        var index = 1
        while FileManager.default.fileExists(atPath: directory.appendingPathComponent("\(index).eml").path) {
            found.append(try String(contentsOf: directory.appendingPathComponent("\(index).eml"), encoding: .utf8))
            index += 1
        }
        return found
    }

    /// Stops the server (SIGKILL: the test process's threads block SIGTERM, and children inherit that) and removes
    /// its directory.
    func stop() async {
        _ = try? await offPool { [process, directory] in
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: directory)
        }
    }
}

/// A fixed time for exact-output tests: 2026-12-04T18:03:44Z (a Friday).
let notifyTestDate = Date(timeIntervalSince1970: 1_796_407_424)

/// Text of JSON bytes.
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
