import Dispatch
import Foundation
import Synchronization

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
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let subscriber = RedisSubscriber(
            channels: channels,
            logger: logger.with("redis.channels", channels.joined(separator: ",")),
            connect: { [self] () throws(RedisError) in try openConnection() },
            continuation: continuation,
            onSubscribed: onSubscribed,
            onExit: { [weak self] in self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) } }
        )
        let registered = state.withLock { state -> Bool in
            guard !state.machine.isShutDown else { return false }
            state.subscribers[id] = subscriber
            return true
        }
        guard registered else {
            continuation.finish(throwing: Self.closedError)
            return stream
        }
        continuation.onTermination = { _ in subscriber.stop() }
        subscriber.start(threadName: "knocker-redis-sub-\(id)")
        return stream
    }
}

/// One `SUBSCRIBE` loop on a dedicated thread.
final class RedisSubscriber: Sendable {
    private struct State {
        var isStopped = false
        var hasExited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let channels: [String]
    private let logger: Logger
    private let connect: @Sendable () throws(RedisError) -> HiredisContext
    private let continuation: AsyncThrowingStream<RedisPubSubMessage, any Error>.Continuation
    private let onSubscribed: @Sendable () -> Void
    private let onExit: @Sendable () -> Void
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    init(
        channels: [String],
        logger: Logger,
        connect: @escaping @Sendable () throws(RedisError) -> HiredisContext,
        continuation: AsyncThrowingStream<RedisPubSubMessage, any Error>.Continuation,
        onSubscribed: @escaping @Sendable () -> Void,
        onExit: @escaping @Sendable () -> Void
    ) {
        self.channels = channels
        self.logger = logger
        self.connect = connect
        self.continuation = continuation
        self.onSubscribed = onSubscribed
        self.onExit = onExit
    }

    func start(threadName: String) {
        let thread = Thread { [self] in run() }
        thread.name = threadName
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Asks the loop to end; it notices within one poll interval (100 ms).
    func stop() {
        state.withLock { $0.isStopped = true }
        wake.signal()
    }

    /// Returns once the subscriber thread has finished.
    func waitUntilExited() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let exited = state.withLock { state -> Bool in
                if state.hasExited { return true }
                state.exitWaiters.append(continuation)
                return false
            }
            if exited { continuation.resume() }
        }
    }

    private var isStopped: Bool { state.withLock { $0.isStopped } }

    private func run() {
        var backoff = 0.1
        while !isStopped {
            do throws(RedisError) {
                try listen { backoff = 0.1 }
            } catch {
                if isStopped { break }
                logger.warning(
                    "redis subscription failed; retrying",
                    ("error", error.message),
                    ("retry.seconds", backoff)
                )
                _ = wake.wait(timeout: .now() + backoff)
                backoff = min(backoff * 2, 5)
            }
        }
        continuation.finish()
        let waiters = state.withLock { state in
            state.hasExited = true
            defer { state.exitWaiters = [] }
            return state.exitWaiters
        }
        for waiter in waiters { waiter.resume() }
        onExit()
    }

    /// One connection's life: subscribe, then deliver messages until it breaks or the subscriber stops.
    private func listen(subscribed: () -> Void) throws(RedisError) {
        let context = try connect()
        try context.append([Array("SUBSCRIBE".utf8)] + channels.map { Array($0.utf8) })
        try context.flush()
        var pending = Set(channels)
        while !isStopped {
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
                onSubscribed()
            default:
                continue
            }
        }
    }
}
