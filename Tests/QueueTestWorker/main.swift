import Foundation
import KnockerKit

// queue-test-worker REDIS_PORT QUEUE MARKER_KEY
// Serves QUEUE on 127.0.0.1:REDIS_PORT. Each task pushes "start:<id>" onto MARKER_KEY, then waits until it is
// cancelled (it never finishes on its own), so a test can kill this process while it holds a task.
let arguments = CommandLine.arguments
guard arguments.count == 4, let port = Int(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: queue-test-worker REDIS_PORT QUEUE MARKER_KEY\n".utf8))
    exit(64)
}
let queue = arguments[2]
let marker = arguments[3]
let redis = RedisClient(
    configuration: RedisConfiguration(host: "127.0.0.1", port: port, poolSize: 4),
    logger: Logger(level: .warning)
)
var mux = TaskMux()
mux.handle("") { task in
    _ = try await redis.command(["RPUSH", RedisArgument(marker), RedisArgument("start:" + task.id)])
    try await Task.sleep(for: .seconds(3600))
}
do {
    let server = try QueueServer(
        redis: redis,
        configuration: QueueServerConfiguration(queues: [queue: 1], concurrency: 4),
        mux: mux,
        logger: Logger(level: .warning)
    )
    try await server.run()
} catch {
    FileHandle.standardError.write(Data("queue-test-worker: \(error)\n".utf8))
    exit(1)
}
