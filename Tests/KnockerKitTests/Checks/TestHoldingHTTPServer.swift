import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// An HTTP server for many concurrent checks on one thread: it accepts each connection, reads the request and holds
/// the connection unanswered until ``release()``; then it answers every held request, and every later one at once,
/// with `200 ok` and `Connection: close`. So a test knows exactly when N checks are in flight (``held(_:)``), and the
/// server adds one thread however many connections it holds (unlike ``TestHTTPServer``).
final class TestHoldingHTTPServer: Sendable {
    private struct State {
        var held: [Int32] = []
        var heldCount = 0
        var released = false
        var stopped = false
        var waiters: [(count: Int, continuation: CheckedContinuation<Bool, Never>)] = []
    }

    /// The listening port.
    let port: UInt16
    private let listener: Int32
    private let state = Mutex(State())

    /// Listens on 127.0.0.1 at an ephemeral port; nil when it cannot.
    init?() {
        guard let (fd, port) = TestHTTPServer.listen() else { return nil }
        listener = fd
        self.port = port
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "test-holding-http"
        thread.start()
    }

    /// `http://127.0.0.1:<port>/`.
    var url: String { "http://127.0.0.1:\(port)/" }

    /// Returns true once `count` requests have been read and are held; false when the server was released or
    /// stopped before that.
    func held(_ count: Int) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let answer = state.withLock { state -> Bool? in
                if state.heldCount >= count { return true }
                if state.released || state.stopped { return false }
                state.waiters.append((count, continuation))
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Answers every held request and, from now on, every new one at once. Blocks on `send`: call it off the
    /// cooperative pool.
    func release() {
        let (held, waiters) = state.withLock { state in
            state.released = true
            defer {
                state.held = []
                state.waiters = []
            }
            return (state.held, state.waiters)
        }
        for waiter in waiters { waiter.continuation.resume(returning: false) }
        for fd in held { Self.answer(fd) }
    }

    /// Stops accepting and closes every held connection; later calls do nothing.
    func stop() {
        let (held, waiters, first) = state.withLock { state in
            let first = !state.stopped
            state.stopped = true
            defer {
                state.held = []
                state.waiters = []
            }
            return (state.held, state.waiters, first)
        }
        // Once only: the accept loop closes the listener, and its descriptor number may be reused.
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))  // wakes the blocked accept; the accept loop closes the listener
        for waiter in waiters { waiter.continuation.resume(returning: false) }
        for fd in held { close(fd) }
    }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            // A client that connects and never sends must not stall the one thread for long.
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            guard TestHTTPRequest.read(from: fd) != nil else {
                close(fd)
                continue
            }
            let (answerNow, ready) = state.withLock { state -> (Bool, [CheckedContinuation<Bool, Never>]) in
                if state.stopped { return (false, []) }
                if state.released { return (true, []) }
                state.held.append(fd)
                state.heldCount += 1
                let count = state.heldCount
                let ready = state.waiters.filter { $0.count <= count }.map(\.continuation)
                state.waiters.removeAll { $0.count <= count }
                return (false, ready)
            }
            for waiter in ready { waiter.resume(returning: true) }
            if answerNow { Self.answer(fd) }
        }
    }

    private static func answer(_ fd: Int32) {
        let response = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".utf8)
        _ = response.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        close(fd)
    }
}
