/// A message received on a channel the client subscribed to.
public struct RedisPubSubMessage: Sendable, Equatable {
    /// The channel it was published on.
    public var channel: String
    /// The message, binary safe.
    public var payload: [UInt8]

    /// Creates a message.
    public init(channel: String, payload: [UInt8]) {
        self.channel = channel
        self.payload = payload
    }
}

extension RedisClient {
    /// Streams messages published to `channels`.
    ///
    /// The stream uses its own connection on its own thread (not the pool). When that connection breaks (for
    /// example, the server restarted) it reconnects with backoff (0.1 s doubling to 5 s) and subscribes again;
    /// messages published while it was disconnected are lost. The stream ends when the consumer stops iterating or
    /// the client shuts down; it only ends with an error (`.poolClosed`) when the client is already shut down. With no
    /// channels the stream ends at once.
    public func subscribe(channels: [String]) -> AsyncThrowingStream<RedisPubSubMessage, any Error> {
        subscribe(channels: channels, onSubscribed: {})
    }

    /// ``subscribe(channels:)`` with a hook called on the subscriber thread each time every channel is subscribed.
    func subscribe(
        channels: [String],
        onSubscribed: @escaping @Sendable () -> Void
    ) -> AsyncThrowingStream<RedisPubSubMessage, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: RedisPubSubMessage.self)
        guard !channels.isEmpty else {
            continuation.finish()
            return stream
        }
        guard let (id, subscriber) = subscribers.add() else {
            continuation.finish(throwing: Self.closedError)
            return stream
        }
        continuation.onTermination = { _ in subscriber.stop() }
        let logger = logger.with("redis.channels", channels.joined(separator: ","))
        subscriber.start(
            threadName: "knocker-redis-sub-\(id)",
            logger: logger,
            retryMessage: "redis subscription failed; retrying",
            describe: { (error: RedisError) in error.message },
            session: { [self] subscribed throws(RedisError) in
                try runSubscription(
                    channels: channels,
                    on: subscriber,
                    logger: logger,
                    continuation: continuation,
                    subscribed: {
                        subscribed()
                        onSubscribed()
                    }
                )
            },
            onExit: { [subscribers] in
                continuation.finish()
                subscribers.remove(id: id)
            }
        )
        return stream
    }

    /// One connection's life: subscribe, then deliver messages until it breaks or the subscriber stops.
    private func runSubscription(
        channels: [String],
        on subscriber: ReconnectingThread,
        logger: Logger,
        continuation: AsyncThrowingStream<RedisPubSubMessage, any Error>.Continuation,
        subscribed: () -> Void
    ) throws(RedisError) {
        let context = try openConnection()
        try context.append([Array("SUBSCRIBE".utf8)] + channels.map { Array($0.utf8) })
        try context.flush()
        var pending = Set(channels)
        while !subscriber.isStopped {
            guard let reply = try context.nextReply(waitingUpTo: 100) else { continue }
            if case .error(let message) = reply {
                throw RedisError(code: .server, message: message)
            }
            guard let parts = reply.array, let kind = parts.first?.string else { continue }
            switch kind {
            case "message" where parts.count == 3:
                guard let channel = parts[1].string, let payload = parts[2].bytes else { continue }
                continuation.yield(RedisPubSubMessage(channel: channel, payload: payload))
            case "subscribe" where parts.count == 3:
                guard let channel = parts[1].string, pending.remove(channel) != nil, pending.isEmpty else { continue }
                logger.debug("subscribed to redis channels")
                subscribed()
            default:
                continue
            }
        }
    }
}
