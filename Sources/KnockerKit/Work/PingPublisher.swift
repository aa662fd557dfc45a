import Foundation
import Synchronization

/// Publishes written ping batches on the pings channel (for `knocker tail-pings`) in the background, in the order
/// they were written, so building the JSON and the Redis round trip overlap the next batch's write instead of
/// delaying it. The live feed is best effort, as pub/sub itself is: at most ``limit`` pings wait (in whole batches;
/// the newest batch always); beyond that the oldest waiting batches are skipped and counted (Redis slower than
/// Postgres for that long), never the write held up.
final class PingPublisher: Sendable {
    /// Most pings waiting to be published.
    let limit: Int
    private let redis: RedisClient
    private let channel: String
    private let logger: Logger

    private struct State {
        var pending: [[RecordedPing]] = []
        var pendingPings = 0
        var running = false
        var skipped = 0
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    init(redis: RedisClient, logger: Logger, limit: Int = 64_000) {
        self.redis = redis
        self.channel = PingBatchWriter.channel(database: redis.configuration.database)
        self.logger = logger
        self.limit = max(1, limit)
    }

    /// Queues `batch` for publishing and returns at once.
    func publish(_ batch: [RecordedPing]) {
        guard !batch.isEmpty else { return }
        let start = state.withLock { state -> Bool in
            state.pending.append(batch)
            state.pendingPings += batch.count
            while state.pendingPings > limit && state.pending.count > 1 {
                state.pendingPings -= state.pending.removeFirst().count
                state.skipped += 1
            }
            guard !state.running else { return false }
            state.running = true
            return true
        }
        if start { Task { await self.drain() } }
    }

    /// Batches skipped because too many waited.
    var skipped: Int { state.withLock { $0.skipped } }

    /// Returns once every queued batch is published (or its publishing failed).
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state -> Bool in
                guard state.running || !state.pending.isEmpty else { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    private func drain() async {
        var reportedSkips = 0
        while true {
            let (next, skipped, waiters) = state.withLock {
                state -> ([RecordedPing]?, Int, [CheckedContinuation<Void, Never>]) in
                guard !state.pending.isEmpty else {
                    state.running = false
                    defer { state.idleWaiters = [] }
                    return (nil, state.skipped, state.idleWaiters)
                }
                let next = state.pending.removeFirst()
                state.pendingPings -= next.count
                return (next, state.skipped, [])
            }
            if skipped > reportedSkips {
                logger.warning("the live ping feed fell behind; skipped batches", ("skipped_total", skipped))
                reportedSkips = skipped
            }
            guard let next else {
                for waiter in waiters { waiter.resume() }
                return
            }
            await send(next)
        }
    }

    /// One PUBLISH per ``chunk`` pings, each message a JSON array of pings (subscribers split it).
    private func send(_ batch: [RecordedPing]) async {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var commands: [[RedisArgument]] = []
        for start in stride(from: 0, to: batch.count, by: Self.chunk) {
            var message: [UInt8] = [0x5B]
            message.reserveCapacity(min(Self.chunk, batch.count - start) * 128 + 2)
            for ping in batch[start..<min(start + Self.chunk, batch.count)] {
                guard let json = ping.channelJSON(encoder) else { continue }
                if message.count > 1 { message.append(0x2C) }
                message += json
            }
            message.append(0x5D)
            commands.append(["PUBLISH", RedisArgument(channel), RedisArgument(message)])
        }
        do {
            _ = try await redis.pipeline(commands)
        } catch {
            logger.debug("publishing pings failed", ("error", "\(error)"))
        }
    }

    /// Most pings in one published message.
    static let chunk = 1000
}
