import CMicroHTTPD
import CSystem
import Foundation
import Synchronization

/// A request libmicrohttpd handed over: only `GET` and `HEAD` reach a handler.
struct HTTPRequest: Sendable, Equatable {
    /// `GET` or `HEAD`.
    var method: String
    /// The path, percent-decoded, without the query string: `/metrics`.
    var path: String
}

/// What a handler answers: status, content type and body (libmicrohttpd copies the bytes and leaves out the body
/// for `HEAD`).
struct HTTPResponse: Sendable, Equatable {
    var status: Int
    var contentType: String
    var body: [UInt8]
    /// Further headers, e.g. `Allow`.
    var headers: [HTTPHeader] = []

    /// A plain-text response.
    static func text(_ status: Int, _ text: String, headers: [HTTPHeader] = []) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8), headers: headers)
    }
}

/// One response header.
struct HTTPHeader: Sendable, Equatable {
    var name: String
    var value: String
}

/// Why a ``MicroHTTPD`` did not start.
enum MicroHTTPDError: Error, Sendable, Equatable {
    /// Creating, binding or listening on the socket failed (`errno` inside: address in use, not available…).
    case socket(SocketError)
    /// libmicrohttpd refused to start its daemon (no epoll, no thread).
    case daemon
}

/// The thin wrapper around libmicrohttpd; every libmicrohttpd pointer lives in this file.
///
/// One daemon runs one internal polling thread on epoll (no thread per connection) over a socket this wrapper
/// binds itself, so a taken or unavailable address is reported with its `errno` and port 0 picks a free port.
/// Only `GET` and `HEAD` are served: any other method gets 405 before its body is read. The handler runs on
/// libmicrohttpd's thread, one request at a time: it must be fast and must not block.
final class MicroHTTPD: Sendable {
    /// Bounds on what clients can hold.
    struct Limits: Sendable, Equatable {
        /// Most connections open at once; more are accepted and closed at once.
        var connections = 64
        /// Seconds a connection may stay idle before it is closed.
        var idleTimeoutSeconds = 10
        /// Memory per connection for the request line, headers and the response queue (bounds header size).
        var connectionMemory = 32 * 1024
        /// Pending connections the kernel queues before libmicrohttpd accepts them.
        var backlog = 64
    }

    /// The handler and what libmicrohttpd calls back with (passed as its context pointer, retained until stop).
    private final class Context: Sendable {
        let handler: @Sendable (HTTPRequest) -> HTTPResponse
        init(handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) { self.handler = handler }
    }

    /// The daemon handle is only touched under the lock and once taken out by ``stop()``.
    private struct State: @unchecked Sendable {
        var daemon: OpaquePointer?
        var context: Unmanaged<Context>?
    }

    private let state: Mutex<State>
    /// The address the server listens on (with the port the kernel picked when 0 was asked for).
    let address: SocketAddress

    private init(daemon: OpaquePointer, context: Unmanaged<Context>, address: SocketAddress) {
        self.state = Mutex(State(daemon: daemon, context: context))
        self.address = address
    }

    deinit { stop() }

    /// Binds `address` and starts serving requests with `handler`.
    static func start(
        address: SocketAddress,
        limits: Limits = Limits(),
        handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) throws(MicroHTTPDError) -> MicroHTTPD {
        let (fd, bound) = try listeningSocket(address, backlog: limits.backlog)
        let context = Unmanaged.passRetained(Context(handler: handler))
        let daemon = knocker_mhd_start_daemon(
            fd,
            address.family == .v6 ? 1 : 0,
            { context, connection, url, method, _, _, uploadSize, requestState in
                MicroHTTPD.handle(context, connection, url, method, uploadSize, requestState)
            },
            context.toOpaque(),
            UInt32(clamping: limits.connections),
            UInt32(clamping: limits.idleTimeoutSeconds),
            limits.connectionMemory
        )
        guard let daemon else {
            context.release()
            throw .daemon
        }
        return MicroHTTPD(daemon: daemon, context: context, address: bound)
    }

    /// Stops the daemon: closes the socket and every connection, waits for its thread. Safe to call twice.
    func stop() {
        let (daemon, context) = state.withLock { state in
            defer { state = State() }
            return (state.daemon, state.context)
        }
        if let daemon { MHD_stop_daemon(daemon) }
        // Released only after MHD_stop_daemon joined the thread that could still be using it.
        context?.release()
    }

    /// A bound, listening TCP socket (close-on-exec, SO_REUSEADDR) and its real address.
    private static func listeningSocket(
        _ address: SocketAddress,
        backlog: Int
    ) throws(MicroHTTPDError) -> (Int32, SocketAddress) {
        let fd = socket(
            address.family == .v4 ? AF_INET : AF_INET6,
            Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue),
            0
        )
        guard fd >= 0 else { throw .socket(SocketError("socket", code: knocker_errno())) }
        func fail(_ operation: String) -> MicroHTTPDError {
            let code = knocker_errno()
            close(fd)
            return .socket(SocketError(operation, code: code))
        }
        var on: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        guard address.withSockaddr({ bind(fd, $0, $1) }) == 0 else { throw fail("bind") }
        guard listen(fd, Int32(clamping: backlog)) == 0 else { throw fail("listen") }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0, let bound = SocketAddress(storage: storage) else { throw fail("getsockname") }
        return (fd, bound)
    }

    /// The access handler. libmicrohttpd calls it once when the headers are in (`requestState` still nil), once
    /// per chunk of body, and once more when the request is complete. Methods other than GET and HEAD are answered
    /// 405 on the first call, before any body is read (libmicrohttpd then closes the connection); GET and HEAD are
    /// answered on the last call, which keeps the connection reusable; body bytes sent with them are discarded.
    private static func handle(
        _ context: UnsafeMutableRawPointer?,
        _ connection: OpaquePointer?,
        _ url: UnsafePointer<CChar>?,
        _ method: UnsafePointer<CChar>?,
        _ uploadSize: UnsafeMutablePointer<Int>?,
        _ requestState: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
    ) -> MHD_Result {
        guard let context, let connection, let uploadSize, let requestState else { return .NO }
        let methodText = method.map { String(cString: $0) } ?? ""
        guard methodText == "GET" || methodText == "HEAD" else {
            let allow = [HTTPHeader(name: "Allow", value: "GET, HEAD")]
            return queue(.text(405, "method not allowed\n", headers: allow), on: connection)
        }
        if requestState.pointee == nil {
            // First call: only headers so far. Any non-nil marker says "seen"; nothing is allocated.
            requestState.pointee = UnsafeMutableRawPointer(bitPattern: 1)
            return .YES
        }
        if uploadSize.pointee > 0 {
            uploadSize.pointee = 0
            return .YES
        }
        let handler = Unmanaged<Context>.fromOpaque(context).takeUnretainedValue().handler
        return queue(
            handler(HTTPRequest(method: methodText, path: url.map { String(cString: $0) } ?? "/")),
            on: connection
        )
    }

    private static func queue(_ response: HTTPResponse, on connection: OpaquePointer) -> MHD_Result {
        var body = response.body
        let created = body.withUnsafeMutableBytes {
            MHD_create_response_from_buffer($0.count, $0.baseAddress, .RESPMEM_MUST_COPY)
        }
        guard let created else { return .NO }
        defer { MHD_destroy_response(created) }
        _ = MHD_add_response_header(created, "Content-Type", response.contentType)
        for header in response.headers { _ = MHD_add_response_header(created, header.name, header.value) }
        return MHD_queue_response(connection, UInt32(clamping: response.status), created)
    }
}
