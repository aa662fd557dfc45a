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

/// A local SMTP test server: a small Python 3 script (`socket`, `ssl` and `threading` only, so it runs on any
/// Python 3) speaking plain SMTP, SMTP with STARTTLS, or SMTP over implicit TLS (smtps) with a given certificate.
/// Each message it accepts is written to a file in its own directory, `<n>.eml`: `TLS:yes` (or `TLS:no`), the
/// `MAIL FROM` address, the recipients, a blank line and the data exactly as received (CRLF line ends, dots
/// unstuffed). The file is written before the data is answered with 250, so a sender that got 250 finds it. Data
/// for a recipient starting with `refuse` is answered `554 5.7.1 refused by the test server`; a recipient starting
/// with `hang` is never answered (the server writes a `hang-<n>` file, then waits for the client to leave).
///
/// The script prints its port on stdout, a FIFO the test reads: no polling while it starts.
final class TestSMTPServer: Sendable {
    /// How the server talks.
    enum Security: String, Sendable {
        /// Plain text; STARTTLS is not offered.
        case plain
        /// Plain text first; STARTTLS is offered and upgrades the connection.
        case starttls
        /// TLS from the first byte.
        case smtps
    }

    let port: Int
    let directory: URL
    private let process: SpawnedProcess

    static let script = #"""
        import os, socket, ssl, sys, threading

        mode, directory = sys.argv[1], sys.argv[2]
        context = None
        if mode != "plain":
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(sys.argv[3], sys.argv[4])
        lock = threading.Lock()
        counts = {"message": 0, "hang": 0}

        def number(kind):
            with lock:
                counts[kind] += 1
                return counts[kind]

        def publish(name, content):
            path = os.path.join(directory, name)
            with open(path + ".tmp", "wb") as f:
                f.write(content)
            os.rename(path + ".tmp", path)

        def address(argument):
            start, end = argument.find("<"), argument.rfind(">")
            return argument[start + 1:end] if 0 <= start < end else argument.split(":", 1)[-1].strip()

        class Session:
            def __init__(self, connection):
                self.connection = connection
                self.reader = connection.makefile("rb")
                self.tls = False

            def upgrade(self):
                self.connection = context.wrap_socket(self.connection, server_side=True)
                self.reader = self.connection.makefile("rb")
                self.tls = True

            def send(self, *lines):
                self.connection.sendall("".join(line + "\r\n" for line in lines).encode())

            def run(self):
                if mode == "smtps":
                    self.upgrade()
                self.send("220 knocker-test ESMTP")
                sender, recipients = None, []
                while True:
                    line = self.reader.readline()
                    if not line:
                        return
                    verb, _, argument = line.decode("utf-8", "replace").rstrip("\r\n").partition(" ")
                    verb = verb.upper()
                    if verb == "EHLO":
                        offers = ["knocker-test"] + (["STARTTLS"] if mode == "starttls" and not self.tls else [])
                        offers.append("8BITMIME")
                        self.send(*["250-" + offer for offer in offers[:-1]], "250 " + offers[-1])
                    elif verb == "HELO":
                        self.send("250 knocker-test")
                    elif verb == "STARTTLS" and mode == "starttls" and not self.tls:
                        self.send("220 ready to start TLS")
                        self.upgrade()
                        sender, recipients = None, []
                    elif verb == "MAIL":
                        sender, recipients = address(argument), []
                        self.send("250 OK")
                    elif verb == "RCPT":
                        recipient = address(argument)
                        if recipient.startswith("hang"):
                            publish("hang-%d" % number("hang"), b"")
                            while self.connection.recv(4096):
                                pass
                            return
                        recipients.append(recipient)
                        self.send("250 OK")
                    elif verb == "DATA":
                        self.send("354 end data with <CR><LF>.<CR><LF>")
                        data = b""
                        while True:
                            chunk = self.reader.readline()
                            if not chunk:
                                return
                            if chunk == b".\r\n":
                                break
                            data += chunk[1:] if chunk.startswith(b".") else chunk
                        if any(r.startswith("refuse") for r in recipients):
                            self.send("554 5.7.1 refused by the test server")
                            continue
                        envelope = "TLS:%s\nMAIL FROM:%s\nRCPT TO:%s\n\n" % (
                            "yes" if self.tls else "no", sender, ",".join(recipients))
                        publish("%d.eml" % number("message"), envelope.encode() + data)
                        self.send("250 OK")
                    elif verb in ("RSET", "NOOP"):
                        if verb == "RSET":
                            sender, recipients = None, []
                        self.send("250 OK")
                    elif verb == "QUIT":
                        self.send("221 Bye")
                        return
                    else:
                        self.send("502 5.5.2 command not recognized")

        def serve(connection):
            session = Session(connection)
            try:
                session.run()
            except OSError:
                pass  # a client that gave up, or refused the certificate (ssl.SSLError is an OSError)
            finally:
                session.connection.close()

        listener = socket.create_server(("127.0.0.1", 0))
        print(listener.getsockname()[1], flush=True)
        while True:
            connection, _ = listener.accept()
            threading.Thread(target=serve, args=(connection,), daemon=True).start()
        """#

    /// Starts a server talking `security` (`certificate` is required for STARTTLS and smtps). Returns nil when
    /// python3 is missing and the run does not require every tool; with KNOCKER_REQUIRE_SERVICES=1 a missing
    /// python3 is a recorded failure.
    static func start(
        _ security: Security = .plain,
        certificate: TestCertificateAuthority.Leaf? = nil
    ) async throws -> TestSMTPServer? {
        guard let python = requiredTool("python3", candidates: executableCandidates("python3")) else { return nil }
        return try await offPool { try TestSMTPServer(python: python, security: security, certificate: certificate) }
    }

    private init(python: String, security: Security, certificate: TestCertificateAuthority.Leaf?) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("knocker-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let scriptURL = directory.appendingPathComponent("server.py")
        try Self.script.write(to: scriptURL, atomically: true, encoding: .utf8)
        var arguments = ["-W", "ignore", scriptURL.path, security.rawValue, directory.path]
        if security != .plain {
            guard let certificate else { throw Failed(reason: "\(security.rawValue) needs a certificate") }
            arguments += [certificate.certificate, certificate.key]
        }
        // The port arrives through a FIFO: opened for reading (non-blocking, so this open does not wait for a
        // writer) before the child opens it as its stdout, then read with a bounded wait.
        let fifo = directory.appendingPathComponent("port.fifo").path
        guard mkfifo(fifo, 0o600) == 0 else { throw Failed(reason: "mkfifo: errno \(errno)") }
        let reader = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard reader >= 0 else { throw Failed(reason: "open fifo: errno \(errno)") }
        defer { close(reader) }
        let log = directory.appendingPathComponent("server.log").path
        process = try SpawnedProcess(
            executable: python,
            arguments: arguments,
            environment: ProcessInfo.processInfo.environment,
            directory: directory.path,
            standardOutput: fifo,
            standardError: log
        )
        guard let port = Self.readPort(reader) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let errors = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: directory)
            throw Failed(reason: "no port within 20 s: \(errors)")
        }
        self.port = port
    }

    /// The first line of `fd` as a port: waits up to 20 s in total for it; nil at end of file (the script exited).
    private static func readPort(_ fd: Int32) -> Int? {
        let deadline = ContinuousClock.now + .seconds(20)
        var text: [UInt8] = []
        while !text.contains(UInt8(ascii: "\n")) {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return nil }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, Int32(left.components.seconds * 1000 + 1))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return nil }
            var buffer = [UInt8](repeating: 0, count: 64)
            let count = read(fd, &buffer, buffer.count)
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            guard count > 0 else { return nil }
            text += buffer.prefix(count)
        }
        return Int(String(decoding: text.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self))
    }

    struct Failed: Error, CustomStringConvertible {
        var reason: String
        var description: String { "the python3 SMTP test server did not start: \(reason)" }
    }

    /// The messages received so far, in order: `TLS:yes|no`, the envelope lines, a blank line, the data.
    func messages() async throws -> [String] {
        try await offPool { [directory] in try Self.files(in: directory, named: { "\($0).eml" }) }
    }

    /// How many connections the server is holding at a `hang` recipient.
    func hangingCount() async throws -> Int {
        try await offPool { [directory] in try Self.files(in: directory, named: { "hang-\($0)" }).count }
    }

    private static func files(in directory: URL, named name: (Int) -> String) throws -> [String] {
        var found: [String] = []
        var index = 1
        while FileManager.default.fileExists(atPath: directory.appendingPathComponent(name(index)).path) {
            found.append(try String(contentsOf: directory.appendingPathComponent(name(index)), encoding: .utf8))
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

/// Sends `message` via `channel` with `sender` and returns the outcome (a task's typed result).
func deliver(
    _ message: NotificationMessage,
    via channel: NotificationChannel,
    with sender: NotificationSender
) async -> Result<DeliveryReceipt, NotificationError> {
    do {
        return .success(try await sender.send(message, via: channel))
    } catch {
        return .failure(error)
    }
}

/// A fixed time for exact-output tests: 2026-12-04T18:03:44Z (a Friday).
let notifyTestDate = Date(timeIntervalSince1970: 1_796_407_424)

/// The "down" message the delivery tests send.
let notifyTestMessage = NotificationMessage(
    monitorID: 1,
    monitorName: "api",
    regionName: "eu",
    status: .down,
    latencyMs: 42,
    checkedAt: notifyTestDate,
    detail: "HTTP status code: 503"
)

/// Text of JSON bytes.
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
