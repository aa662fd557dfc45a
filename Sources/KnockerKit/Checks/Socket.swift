import CSystem
import Foundation

/// A failed socket call: the call and its `errno`.
public struct SocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The system call that failed, e.g. `connect`.
    public var operation: String
    /// Its `errno`.
    public var code: Int32

    /// An error of `operation` with `code`.
    public init(_ operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    /// The system's text for the code, lower-cased at the start: "connection refused".
    public var reason: String { Self.reason(for: code) }

    /// `operation: reason`.
    public var description: String { "\(operation): \(reason)" }

    /// The system's text for `code`, starting lower-case.
    public static func reason(for code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        let message = String(cString: text)
        return message.prefix(1).lowercased() + message.dropFirst()
    }
}

/// A non-blocking socket owned by one thread (the ``SocketLoop`` thread for checks); closes its fd when released.
///
/// Every socket system call of the check engine lives in this wrapper and its extensions.
final class Socket {
    /// The kind of socket.
    enum Kind {
        /// TCP.
        case stream
        /// UDP.
        case datagram
        /// A datagram socket of `protocol` (unprivileged ICMP: `IPPROTO_ICMP`, `IPPROTO_ICMPV6`).
        case datagramProtocol(Int32)
        /// A raw socket of `protocol` (needs root or CAP_NET_RAW).
        case raw(Int32)
    }

    /// The file descriptor, or -1 once closed.
    private(set) var fd: Int32
    /// The address family.
    let family: SocketAddress.Family

    /// Opens a non-blocking, close-on-exec socket.
    init(family: SocketAddress.Family, kind: Kind) throws(SocketError) {
        let domain = family == .v4 ? AF_INET : AF_INET6
        let flags = Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
        let (type, proto): (Int32, Int32) =
            switch kind {
            case .stream: (Int32(SOCK_STREAM.rawValue), 0)
            case .datagram: (Int32(SOCK_DGRAM.rawValue), 0)
            case .datagramProtocol(let proto): (Int32(SOCK_DGRAM.rawValue), proto)
            case .raw(let proto): (Int32(SOCK_RAW.rawValue), proto)
            }
        let fd = Glibc.socket(domain, type | flags, proto)
        guard fd >= 0 else { throw SocketError("socket", code: knocker_errno()) }
        self.fd = fd
        self.family = family
    }

    deinit { close() }

    /// Closes the fd (once). Unwatch it on the loop first.
    func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
    }

    /// Starts connecting: true when connected at once, false when in progress (wait until writable, then read
    /// ``pendingError()``).
    func connect(to address: SocketAddress) throws(SocketError) -> Bool {
        let result = address.withSockaddr { Glibc.connect(fd, $0, $1) }
        if result == 0 { return true }
        let code = knocker_errno()
        if code == EINPROGRESS || code == EINTR { return false }
        throw SocketError("connect", code: code)
    }

    /// Binds to `address` (port 0 picks a free one); false when the kernel refuses.
    func bind(to address: SocketAddress) -> Bool {
        address.withSockaddr { Glibc.bind(fd, $0, $1) } == 0
    }

    /// The pending error (`SO_ERROR`), cleared by reading; 0 when none.
    func pendingError() -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) == 0 else { return knocker_errno() }
        return value
    }

    /// Sends from `bytes`; returns the count sent, or nil when the socket would block.
    func send(_ bytes: ArraySlice<UInt8>) throws(SocketError) -> Int? {
        let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if sent >= 0 { return sent }
        let code = knocker_errno()
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return nil }
        throw SocketError("send", code: code)
    }

    /// Sends one datagram to `address`; false when the socket would block.
    func send(_ bytes: [UInt8], to address: SocketAddress) throws(SocketError) -> Bool {
        let sent = bytes.withUnsafeBytes { raw in
            address.withSockaddr { Glibc.sendto(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL), $0, $1) }
        }
        if sent >= 0 { return true }
        let code = knocker_errno()
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return false }
        throw SocketError("sendto", code: code)
    }

    /// Reads up to `limit` bytes: nil when nothing is ready, empty at the end of the stream.
    func receive(limit: Int) throws(SocketError) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: limit)
        let count = buffer.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
        if count >= 0 { return Array(buffer.prefix(count)) }
        let code = knocker_errno()
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return nil }
        throw SocketError("recv", code: code)
    }

    /// Reads one datagram of at most `limit` bytes and its sender; nil when nothing is ready.
    func receiveFrom(limit: Int) throws(SocketError) -> (bytes: [UInt8], sender: SocketAddress?)? {
        var buffer = [UInt8](repeating: 0, count: limit)
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let count = buffer.withUnsafeMutableBytes { raw in
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.recvfrom(fd, raw.baseAddress, raw.count, 0, $0, &length)
                }
            }
        }
        if count >= 0 { return (Array(buffer.prefix(count)), SocketAddress(storage: storage)) }
        let code = knocker_errno()
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return nil }
        throw SocketError("recvfrom", code: code)
    }

    /// Sets an integer socket option; false when the kernel refuses.
    @discardableResult
    func setOption(level: Int32, name: Int32, value: Int32) -> Bool {
        var value = value
        return setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0
    }

    /// The local address the socket is bound to.
    func localAddress() -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { return nil }
        return SocketAddress(storage: storage)
    }
}
