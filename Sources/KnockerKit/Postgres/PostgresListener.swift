/// A notification received on a channel the client listens to.
public struct PostgresNotification: Sendable, Equatable {
    /// The channel name.
    public var channel: String
    /// The payload (empty when none was given).
    public var payload: String
    /// The server process that sent it.
    public var processID: Int32

    /// Creates a notification.
    public init(channel: String, payload: String, processID: Int32) {
        self.channel = channel
        self.payload = payload
        self.processID = processID
    }
}

extension PostgresClient {
    /// Streams notifications sent to `channel`.
    ///
    /// The stream uses its own connection on its own thread (not the pool). When that connection breaks (for
    /// example, the server restarted) it reconnects with backoff (0.1 s doubling to 5 s) and runs `LISTEN` again;
    /// notifications sent while it was disconnected are lost. The stream ends when the consumer stops iterating
    /// or the client shuts down; it never ends with an error except `.poolClosed` when the client is already
    /// shut down.
    public func listen(channel: String) -> AsyncThrowingStream<PostgresNotification, any Error> {
        listen(channel: channel, onSubscribed: {})
    }

    /// ``listen(channel:)`` with a hook called on the listener thread each time `LISTEN` succeeds.
    func listen(
        channel: String,
        onSubscribed: @escaping @Sendable () -> Void
    ) -> AsyncThrowingStream<PostgresNotification, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: PostgresNotification.self)
        guard let (id, listener) = listeners.add() else {
            continuation.finish(throwing: Self.closedError)
            return stream
        }
        continuation.onTermination = { _ in listener.stop() }
        let logger = logger.with("db.channel", channel)
        listener.start(
            threadName: "knocker-pg-listen-\(id)",
            logger: logger,
            retryMessage: "postgres listen connection failed; retrying",
            describe: { (error: PostgresError) in error.description },
            session: { [self] subscribed throws(PostgresError) in
                let connection = try openConnection()
                _ = try connection.executeSimple("LISTEN \(PostgresQuery.quoteIdentifier(channel))")
                logger.debug("listening for postgres notifications")
                subscribed()
                onSubscribed()
                while !listener.isStopped {
                    for notification in try connection.waitForNotifications(timeoutMilliseconds: 100) {
                        continuation.yield(notification)
                    }
                }
            },
            onExit: { [listeners] in
                continuation.finish()
                listeners.remove(id: id)
            }
        )
        return stream
    }
}
