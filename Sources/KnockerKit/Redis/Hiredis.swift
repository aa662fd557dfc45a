import CHiredis
import Foundation

// Every hiredis call and every unsafe pointer of the Redis layer lives in this file. The types here expose only
// Swift values (`RedisValue`, `RedisError`) to the rest of KnockerKit. Commands are always sent with
// `redisAppendCommandArgv` and explicit lengths (binary safe), never with the variadic `redisCommand`.

/// One blocking hiredis connection (`redisContext`). Not thread-safe: only the thread that currently holds it may
/// call it. Once hiredis reports an error (`err` set) the context is unusable and must be dropped.
final class HiredisContext {
    private let context: UnsafeMutablePointer<redisContext>
    /// `host:port`, for messages.
    let address: String
    /// The socket read/write timeout, for messages.
    let commandTimeout: Duration

    private init(context: UnsafeMutablePointer<redisContext>, address: String, commandTimeout: Duration) {
        self.context = context
        self.address = address
        self.commandTimeout = commandTimeout
    }

    deinit {
        redisFree(context)
    }

    /// Connects with `redisConnectWithTimeout`, then sets the socket timeout for every later read and write.
    static func connect(
        host: String,
        port: Int,
        connectTimeout: Duration,
        commandTimeout: Duration
    ) throws(RedisError) -> HiredisContext {
        let address = "\(host):\(port)"
        guard let context = redisConnectWithTimeout(host, Int32(clamping: port), timeval(connectTimeout)) else {
            throw RedisError(code: .connectionFailed, message: "cannot connect to Redis at \(address): out of memory")
        }
        guard context.pointee.err == 0 else {
            let text = errorText(context)
            redisFree(context)
            throw RedisError(code: .connectionFailed, message: "cannot connect to Redis at \(address): \(text)")
        }
        let wrapped = HiredisContext(context: context, address: address, commandTimeout: commandTimeout)
        // hiredis 0.14 opens its socket without SOCK_CLOEXEC; keep it out of any child process.
        _ = fcntl(context.pointee.fd, F_SETFD, FD_CLOEXEC)
        guard redisSetTimeout(context, timeval(commandTimeout)) == REDIS_OK else {
            let text = errorText(context)
            throw RedisError(code: .connectionFailed, message: "cannot set the Redis socket timeout: \(text)")
        }
        _ = redisEnableKeepAlive(context)
        return wrapped
    }

    /// Whether hiredis recorded an error (I/O error, EOF, timeout, protocol error): the context must be dropped.
    var isBroken: Bool { context.pointee.err != 0 }

    /// A cheap check of an idle connection: polls its socket without waiting. An idle connection that is readable
    /// (EOF after a server restart, or data nobody asked for) or hung up is dead.
    func isIdleHealthy() -> Bool {
        guard context.pointee.err == 0, context.pointee.fd >= 0 else { return false }
        while true {
            var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 0)
            if ready < 0 && errno == EINTR { continue }
            return ready == 0
        }
    }

    /// Sends `commands` in one write and reads one reply per command, in order. Error replies are returned as
    /// ``RedisValue/error(_:)``; only connection errors throw.
    func roundTrip(_ commands: [[[UInt8]]]) throws(RedisError) -> [RedisValue] {
        for command in commands {
            try append(command)
        }
        var replies: [RedisValue] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            replies.append(try readReply())
        }
        return replies
    }

    /// Queues one command in hiredis's output buffer (nothing is written yet).
    func append(_ arguments: [[UInt8]]) throws(RedisError) {
        var flat: [UInt8] = []
        flat.reserveCapacity(arguments.reduce(1) { $0 + $1.count })
        var offsets: [Int] = []
        var lengths: [Int] = []
        offsets.reserveCapacity(arguments.count)
        lengths.reserveCapacity(arguments.count)
        for argument in arguments {
            offsets.append(flat.count)
            lengths.append(argument.count)
            flat.append(contentsOf: argument)
        }
        flat.append(0)  // never empty, so the buffer always has a base address
        let status = flat.withUnsafeBufferPointer { bytes -> Int32 in
            bytes.withMemoryRebound(to: CChar.self) { buffer -> Int32 in
                guard let base = buffer.baseAddress else { return REDIS_ERR }
                var pointers: [UnsafePointer<CChar>?] = offsets.map { base + $0 }
                return redisAppendCommandArgv(context, Int32(arguments.count), &pointers, lengths)
            }
        }
        guard status == REDIS_OK else {
            throw RedisError(code: .protocolViolation, message: "hiredis could not format the command")
        }
    }

    /// Writes everything queued by ``append(_:)`` (blocking, bounded by the socket timeout).
    func flush() throws(RedisError) {
        var done: Int32 = 0
        while done == 0 {
            errno = 0
            guard redisBufferWrite(context, &done) == REDIS_OK else { throw connectionError(savedErrno: errno) }
        }
    }

    /// Writes what is queued and blocks for the next reply (bounded by the socket timeout).
    func readReply() throws(RedisError) -> RedisValue {
        var raw: UnsafeMutableRawPointer?
        errno = 0
        let status = redisGetReply(context, &raw)
        let savedErrno = errno
        guard status == REDIS_OK, let raw else { throw connectionError(savedErrno: savedErrno) }
        defer { freeReplyObject(raw) }
        return try Self.value(raw.assumingMemoryBound(to: redisReply.self))
    }

    /// The next reply: one already buffered, or one that arrives within `milliseconds`; nil when none came.
    func nextReply(waitingUpTo milliseconds: Int32) throws(RedisError) -> RedisValue? {
        if let value = try bufferedReply() { return value }
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, milliseconds)
        if ready < 0 {
            if errno == EINTR { return nil }
            throw RedisError(code: .connectionLost, message: "poll failed: \(String(cString: strerror(errno)))")
        }
        guard ready > 0 else { return nil }
        errno = 0
        guard redisBufferRead(context) == REDIS_OK else { throw connectionError(savedErrno: errno) }
        return try bufferedReply()
    }

    private func bufferedReply() throws(RedisError) -> RedisValue? {
        var raw: UnsafeMutableRawPointer?
        guard redisGetReplyFromReader(context, &raw) == REDIS_OK else {
            throw connectionError(savedErrno: 0)
        }
        guard let raw else { return nil }
        defer { freeReplyObject(raw) }
        return try Self.value(raw.assumingMemoryBound(to: redisReply.self))
    }

    /// Turns hiredis's error state into a ``RedisError``.
    private func connectionError(savedErrno: Int32) -> RedisError {
        let text = Self.errorText(context)
        switch context.pointee.err {
        case REDIS_ERR_IO
        where savedErrno == EAGAIN || savedErrno == EWOULDBLOCK || text == String(cString: strerror(EAGAIN)):
            let timeout = DurationText.format(commandTimeout)
            return RedisError(code: .timeout, message: "Redis at \(address) did not answer within \(timeout)")
        case REDIS_ERR_EOF:
            return RedisError(code: .connectionLost, message: "Redis at \(address) closed the connection")
        case REDIS_ERR_PROTOCOL:
            return RedisError(code: .protocolViolation, message: "protocol error from Redis at \(address): \(text)")
        case 0:
            return RedisError(code: .connectionLost, message: "lost the connection to Redis at \(address)")
        default:
            return RedisError(code: .connectionLost, message: "lost the connection to Redis at \(address): \(text)")
        }
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { buffer in
            let bytes = buffer.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Converts a reply tree (RESP2: the only types hiredis 0.14 knows) into a ``RedisValue``.
    private static func value(_ reply: UnsafePointer<redisReply>) throws(RedisError) -> RedisValue {
        let node = reply.pointee
        switch node.type {
        case REDIS_REPLY_STRING:
            return .bulk(bytes(node))
        case REDIS_REPLY_STATUS:
            return .status(String(decoding: bytes(node), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: bytes(node), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(node.integer))
        case REDIS_REPLY_NIL:
            return .null
        case REDIS_REPLY_ARRAY:
            var elements: [RedisValue] = []
            elements.reserveCapacity(node.elements)
            for index in 0..<node.elements {
                guard let element = node.element?[index] else {
                    throw RedisError(code: .protocolViolation, message: "hiredis returned an empty array element")
                }
                elements.append(try value(element))
            }
            return .array(elements)
        default:
            throw RedisError(code: .protocolViolation, message: "unknown hiredis reply type \(node.type)")
        }
    }

    private static func bytes(_ node: redisReply) -> [UInt8] {
        guard let start = node.str, node.len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: start, count: node.len))
    }
}

@available(*, unavailable)
extension HiredisContext: Sendable {}

extension timeval {
    /// A `timeval` for `duration`, at least 1 ms (hiredis treats zero as "no timeout").
    fileprivate init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var microseconds = Int64(seconds) * 1_000_000 + attoseconds / 1_000_000_000_000
        microseconds = max(1_000, microseconds)
        self.init(tv_sec: Int(microseconds / 1_000_000), tv_usec: Int(microseconds % 1_000_000))
    }
}
