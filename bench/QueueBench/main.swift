import Foundation
import KnockerKit
import Synchronization

// queue-bench REDIS_PORT TASKS BATCH CONCURRENCY
// Enqueues TASKS tasks in pipelined batches of BATCH through QueueClient, then drains them with a QueueServer
// (no-op handler, CONCURRENCY slots). Prints one line per phase: "<phase> <tasks> <seconds> <tasks/s>".
let arguments = CommandLine.arguments
guard arguments.count == 5, let port = Int(arguments[1]), let total = Int(arguments[2]), let batch = Int(arguments[3]),
    let concurrency = Int(arguments[4]), total > 0, batch > 0, concurrency > 0
else {
    FileHandle.standardError.write(Data("usage: queue-bench REDIS_PORT TASKS BATCH CONCURRENCY\n".utf8))
    exit(64)
}
let queue = "bench"
let redis = RedisClient(
    configuration: RedisConfiguration(host: "127.0.0.1", port: port, poolSize: 8),
    logger: Logger(level: .warning)
)
let client = QueueClient(redis: redis)
let payload = Array(#"{"monitor":{"id":"1"},"region":1}"#.utf8)

func report(_ phase: String, _ count: Int, _ elapsed: Duration) {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(String(format: "%@ %d %.3f %.0f", phase, count, seconds, Double(count) / seconds))
}

do {
    // Several batches in flight at once, as the scheduler would have them.
    let started = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        let lanes = 4
        for lane in 0..<lanes {
            group.addTask {
                var sent = 0
                var index = lane
                while index * batch < total {
                    let count = min(batch, total - index * batch)
                    let tasks = (0..<count).map { _ in
                        NewTask(
                            type: "monitor:ping:{region}",
                            payload: payload,
                            options: TaskOptions(queue: queue, timeout: .seconds(120))
                        )
                    }
                    let results = try await client.enqueue(tasks)
                    sent += results.count
                    index += lanes
                }
            }
        }
        try await group.waitForAll()
    }
    report("enqueue", total, ContinuousClock.now - started)

    let done = Locked(0)
    let finished = StopSignal()
    var mux = TaskMux()
    mux.handle("monitor:ping:{region}") { _ in
        if done.increment() == total { finished.stop() }
    }
    let server = try QueueServer(
        redis: redis,
        configuration: QueueServerConfiguration(
            queues: [queue: 1],
            concurrency: concurrency,
            pollInterval: .milliseconds(10)
        ),
        mux: mux,
        logger: Logger(level: .error)
    )
    let drainStart = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        await finished.wait()
        report("dequeue+done", total, ContinuousClock.now - drainStart)
        server.shutdown()
        try await group.waitForAll()
    }
    await redis.shutdown()
} catch {
    FileHandle.standardError.write(Data("queue-bench: \(error)\n".utf8))
    exit(1)
}

final class Locked: Sendable {
    private let value: Mutex<Int>
    init(_ value: Int) { self.value = Mutex(value) }
    func increment() -> Int {
        value.withLock {
            $0 += 1
            return $0
        }
    }
}
