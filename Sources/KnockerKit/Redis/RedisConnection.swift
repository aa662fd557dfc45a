/// One Redis connection lent by ``RedisClient/withConnection(_:)``.
///
/// Not Sendable and not thread-safe: use it only inside the closure it was lent to, which runs synchronously on
/// one of the client's pool threads, and never let it escape. Every call blocks that thread for at most the
/// command timeout per round trip. After a connection error (``RedisError/isConnectionError``) the connection is
/// unusable and the client discards it when the closure returns.
public final class RedisConnection {
    let context: HiredisContext
    /// The most commands written before their replies are read, so huge pipelines don't buffer without bound.
    static let pipelineChunk = 1_024

    init(context: HiredisContext) {
        self.context = context
    }

    /// Sends one command and returns its reply.
    /// - Throws: ``RedisError`` with code ``RedisError/Code/server`` for an error reply (the connection stays
    ///   usable); a connection error otherwise.
    public func command(_ arguments: [RedisArgument]) throws(RedisError) -> RedisValue {
        let reply = try roundTrip([arguments]).first ?? .null
        if case .error(let message) = reply { throw RedisError(code: .server, message: message) }
        return reply
    }

    /// Sends many commands with as few round trips as possible and returns one reply per command, in order.
    ///
    /// Error replies are returned as ``RedisValue/error(_:)``, not thrown.
    /// - Throws: ``RedisError`` for connection errors (the replies already read are lost).
    public func pipeline(_ commands: [[RedisArgument]]) throws(RedisError) -> [RedisValue] {
        var replies: [RedisValue] = []
        replies.reserveCapacity(commands.count)
        var start = commands.startIndex
        while start < commands.endIndex {
            let end = min(start + Self.pipelineChunk, commands.endIndex)
            replies.append(contentsOf: try roundTrip(Array(commands[start..<end])))
            start = end
        }
        return replies
    }

    /// Runs `script` with `EVALSHA`; if the server answers `NOSCRIPT`, runs it with `EVAL` (which caches it).
    /// - Throws: ``RedisError/Code/server`` when the script fails or returns an error reply.
    public func run(
        _ script: RedisScript,
        keys: [RedisArgument],
        arguments: [RedisArgument]
    ) throws(RedisError) -> RedisValue {
        do {
            return try command(Self.evaluate(script, keys: keys, arguments: arguments, bySHA: true))
        } catch  where error.code == .server && Self.isNoScript(error.message) {
            return try command(Self.evaluate(script, keys: keys, arguments: arguments, bySHA: false))
        }
    }

    /// Runs `script` once per call in one round trip of `EVALSHA`s. If any reply is `NOSCRIPT`, the script is
    /// loaded with `SCRIPT LOAD` and just those calls are sent again. Error replies are returned as
    /// ``RedisValue/error(_:)``, in call order.
    public func runPipelined(
        _ script: RedisScript,
        calls: [(keys: [RedisArgument], arguments: [RedisArgument])]
    ) throws(RedisError) -> [RedisValue] {
        let commands = calls.map { Self.evaluate(script, keys: $0.keys, arguments: $0.arguments, bySHA: true) }
        var replies = try pipeline(commands)
        let missing = replies.indices.filter { replies[$0].errorMessage.map(Self.isNoScript) ?? false }
        guard !missing.isEmpty else { return replies }
        _ = try command(["SCRIPT", "LOAD", RedisArgument(script.source)])
        let retried = try pipeline(missing.map { commands[$0] })
        for (index, reply) in zip(missing, retried) {
            replies[index] = reply
        }
        return replies
    }

    private func roundTrip(_ commands: [[RedisArgument]]) throws(RedisError) -> [RedisValue] {
        guard !commands.contains(where: \.isEmpty) else {
            throw RedisError(code: .protocolViolation, message: "a Redis command needs at least one argument")
        }
        return try context.roundTrip(commands.map { $0.map(\.bytes) })
    }

    private static func evaluate(
        _ script: RedisScript,
        keys: [RedisArgument],
        arguments: [RedisArgument],
        bySHA: Bool
    ) -> [RedisArgument] {
        let head: [RedisArgument] =
            bySHA ? ["EVALSHA", RedisArgument(script.sha1)] : ["EVAL", RedisArgument(script.source)]
        return head + [RedisArgument(keys.count)] + keys + arguments
    }

    private static func isNoScript(_ message: String) -> Bool {
        message.hasPrefix("NOSCRIPT")
    }
}

@available(*, unavailable)
extension RedisConnection: Sendable {}
