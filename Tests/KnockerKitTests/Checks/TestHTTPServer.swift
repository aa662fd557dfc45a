import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server for the check tests: 127.0.0.1, an ephemeral port, one accept thread, one thread per
/// connection, `Connection: close`.
///
/// Routes: `/status/<code>`, `/delay/<ms>`, `/redirect/<n>` (a 302 chain ending at `/status/200`), `/loop`
/// (redirects to itself), `/body/<text>`, `/json`, `/large/<bytes>`, `/echo` (reports the method, Content-Type,
/// Authorization, User-Agent and body it received) and `/hang/<token>` (reads the request, never answers; see
/// ``arrival(of:)``).
final class TestHTTPServer: Sendable {
    /// The server shared by all check tests; nil when it could not listen.
    static let shared: TestHTTPServer? = TestHTTPServer()

    /// The fixed document `/json` serves.
    static let jsonDocument = #"{"status":"up","count":3,"regions":["eu","us"],"nested":{"ok":true}}"#

    /// The listening port.
    let port: UInt16
    private let hangs = Mutex<(arrived: Set<String>, waiters: [String: [CheckedContinuation<Void, Never>]])>(
        ([], [:])
    )

    private init?() {
        guard let (fd, port) = Self.listen() else { return nil }
        self.port = port
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.name = "test-http-accept"
        thread.start()
    }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> String {
        "http://127.0.0.1:\(port)\(path)"
    }

    /// Returns once a `/hang/<token>` request has been read.
    func arrival(of token: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let arrived = hangs.withLock { state -> Bool in
                if state.arrived.contains(token) { return true }
                state.waiters[token, default: []].append(continuation)
                return false
            }
            if arrived { continuation.resume() }
        }
    }

    /// A port on 127.0.0.1 that nobody listens on (bound, then closed).
    static func closedPort() -> UInt16? {
        guard let (fd, port) = listen() else { return nil }
        close(fd)
        return port
    }

    /// A socket listening on 127.0.0.1 at an ephemeral port (backlog 4096), and the port.
    static func listen() -> (Int32, UInt16)? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(fd, address, length) == 0 && Glibc.listen(fd, 4096) == 0
                    && getsockname(fd, address, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            return nil
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

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
        guard let request = TestHTTPRequest.read(from: fd) else { return }
        let parts = request.path.split(separator: "/", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1] : ""
        switch parts.first ?? "" {
        case "status": writeTestHTTPResponse(fd, status: Int(argument) ?? 500, body: "status \(argument)")
        case "delay":
            usleep(UInt32(Int(argument) ?? 0) * 1000)
            writeTestHTTPResponse(fd, status: 200, body: "delayed \(argument)")
        case "redirect":
            let left = Int(argument) ?? 1
            let location = left > 1 ? "/redirect/\(left - 1)" : "/status/200"
            writeTestHTTPResponse(fd, status: 302, body: "", headers: ["Location: \(location)"])
        case "loop": writeTestHTTPResponse(fd, status: 302, body: "", headers: ["Location: /loop"])
        case "body": writeTestHTTPResponse(fd, status: 200, body: argument.removingPercentEncoding ?? argument)
        case "json":
            writeTestHTTPResponse(fd, status: 200, body: Self.jsonDocument, headers: ["Content-Type: application/json"])
        case "large": writeTestHTTPResponse(fd, status: 200, body: String(repeating: "x", count: Int(argument) ?? 0))
        case "echo":
            let lines = [
                "method=\(request.method)",
                "content-type=\(request.headers["content-type"] ?? "")",
                "authorization=\(request.headers["authorization"] ?? "")",
                "user-agent=\(request.headers["user-agent"] ?? "")",
                "body=\(request.body)",
            ]
            writeTestHTTPResponse(fd, status: 200, body: lines.joined(separator: "\n"))
        case "hang":
            let waiters = hangs.withLock { state in
                state.arrived.insert(argument)
                return state.waiters.removeValue(forKey: argument) ?? []
            }
            for waiter in waiters { waiter.resume() }
            var byte: UInt8 = 0
            while recv(fd, &byte, 1, 0) > 0 {}
        default: writeTestHTTPResponse(fd, status: 404, body: "not found")
        }
    }
}

/// Writes a whole `Connection: close` response with status `status` (reason "Test") to `fd`; the test servers'
/// one way to answer.
func writeTestHTTPResponse(_ fd: Int32, status: Int, body: String, headers: [String] = []) {
    let head =
        (["HTTP/1.1 \(status) Test", "Content-Length: \(body.utf8.count)", "Connection: close"] + headers)
        .joined(separator: "\r\n") + "\r\n\r\n"
    let bytes = Array((head + body).utf8)
    var sent = 0
    while sent < bytes.count {
        let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard count > 0 else { return }
        sent += count
    }
}

/// A request as the test server reads it.
struct TestHTTPRequest {
    /// Request method.
    var method: String
    /// Path without the leading "/".
    var path: String
    /// Headers, lower-cased names.
    var headers: [String: String]
    /// Body text.
    var body: String

    /// Reads one request (head and `Content-Length` body) from `fd`; nil when the peer closes first.
    static func read(from fd: Int32) -> TestHTTPRequest? {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        var request: TestHTTPRequest?
        var bodyLength = 0
        while true {
            if headEnd == nil, let end = data.firstRange(of: separator)?.upperBound {
                headEnd = end
                let head = String(decoding: data[..<end], as: UTF8.self).components(separatedBy: "\r\n")
                let line = head[0].split(separator: " ").map(String.init)
                guard line.count >= 2 else { return nil }
                var headers: [String: String] = [:]
                for field in head.dropFirst() {
                    guard let colon = field.firstIndex(of: ":") else { continue }
                    let value = field[field.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    headers[field[..<colon].lowercased()] = value
                }
                bodyLength = Int(headers["content-length"] ?? "") ?? 0
                request = TestHTTPRequest(
                    method: line[0],
                    path: String(line[1].dropFirst()),
                    headers: headers,
                    body: ""
                )
            }
            if let end = headEnd, var found = request, data.count - end >= bodyLength {
                found.body = String(decoding: data[end..<(end + bodyLength)], as: UTF8.self)
                return found
            }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            data.append(contentsOf: chunk[..<count])
        }
    }
}
