import Foundation
@_spi(Benchmarks) import KnockerKit

// pipeline-bench rows FIRST COUNT MONITORS BASE_UNIX_MS
//   Prints pings FIRST ..< FIRST+COUNT as COPY text rows (time, monitor_id, region_id, latency, status, message), the
//   same rows the ingest phases write, for `psql \copy`.
// pipeline-bench ingest PHASE DATABASE_URL REDIS_PORT FIRST COUNT MONITORS BASE_UNIX_MS
//   Writes pings FIRST ..< FIRST+COUNT in batches of 1,000, one batch at a time as the worker's recorder does, and
//   prints "<phase> <rows> <seconds> <rows/s>". PHASE:
//     append PingStore.append alone, one transaction per batch (no incident evaluation);
//     store  insert and incident evaluation in one transaction (PingBatchWriter without publishing);
//     write  PingBatchWriter.write: the above, then each ping published on Redis (in the background; waited for);
//     record the worker's path: a PingRecorder with the worker's default settings (batches of 1,000, two writers)
//            over PingBatchWriter.write, fed by 5,000 tasks (the tasks a worker holds by default) that each record
//            a ping and wait until it is written (as ping tasks do); timed from the first ping to the last write.
//
// Ping i: pair p = i mod (2 × MONITORS); region p / MONITORS + 1, monitor p mod MONITORS + 1, so one batch holds
// 1,000 different monitors of one region (as one region's worker writes them); time BASE + i ms; latency 1–50 ms;
// all successful, so every batch updates incident state rows and opens nothing.
let usage = """
    usage: pipeline-bench rows FIRST COUNT MONITORS BASE_UNIX_MS
           pipeline-bench ingest append|store|write|record DATABASE_URL REDIS_PORT FIRST COUNT MONITORS BASE_UNIX_MS

    """
let batchSize = 1000

func fail(_ message: String, code: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data(message.utf8))
    exit(code)
}

func ping(_ index: Int, monitors: Int, baseMilliseconds: Int64) -> RecordedPing {
    let pair = index % (2 * monitors)
    return RecordedPing(
        time: Date(timeIntervalSince1970: Double(baseMilliseconds + Int64(index)) / 1000),
        monitorID: Int64(pair % monitors + 1),
        regionID: Int64(pair / monitors + 1),
        latencyMs: 1 + (index * 7919) % 50,
        status: .successful,
        message: nil
    )
}

func rows(first: Int, count: Int, monitors: Int, base: Int64) {
    var output = ""
    output.reserveCapacity(1 << 20)
    for index in first..<(first + count) {
        let ping = ping(index, monitors: monitors, baseMilliseconds: base)
        output += "\(Timestamp.rfc3339Microseconds(ping.time))\t\(ping.monitorID)\t\(ping.regionID)\t"
        output += "\(ping.latencyMs)\t\(ping.status.rawValue)\t\\N\n"
        if output.utf8.count > 1 << 20 {
            FileHandle.standardOutput.write(Data(output.utf8))
            output = ""
        }
    }
    FileHandle.standardOutput.write(Data(output.utf8))
}

func ingest(
    phase: String,
    databaseURL: String,
    redisPort: Int,
    first: Int,
    count: Int,
    monitors: Int,
    base: Int64
)
    async throws
{
    let logger = Logger(level: .warning)
    let postgres = try PostgresClient(
        configuration: PostgresConfiguration(connectionString: databaseURL, poolSize: 2),
        logger: logger
    )
    let redis = RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: redisPort), logger: logger)
    let writer = PingBatchWriter(postgres: postgres, redis: redis, ids: IDGenerator(machineID: 4242), logger: logger)
    // Batches are built before the clock starts: the worker has its pings in memory when it writes them.
    let batches = stride(from: first, to: first + count, by: batchSize).map { start in
        (start..<min(start + batchSize, first + count)).map { ping($0, monitors: monitors, baseMilliseconds: base) }
    }
    let started = ContinuousClock.now
    if phase == "record" {
        let recorder = PingRecorder(logger: logger) { try await writer.write($0) }
        let running = Task { await recorder.run() }
        // 5,000 long-lived tasks, each recording its share one ping at a time (a task group of 300,000 short
        // children would measure the runtime's bookkeeping of finished children instead). In the last round (each
        // task on its last ping) the recorder drains, as a worker does at shutdown: tasks that ended free no slot for
        // new ones here, so the last, partial batches would otherwise wait out the flush interval.
        let pings = Array(batches.joined())
        let tasks = min(5000, pings.count)
        await withDiscardingTaskGroup { group in
            for first in 0..<tasks {
                group.addTask {
                    for index in stride(from: first, to: pings.count, by: tasks) {
                        _ = await recorder.recordAndWait(pings[index])
                    }
                }
            }
            group.addTask {
                while recorder.statistics.recorded < pings.count - tasks {
                    try? await Task.sleep(for: .milliseconds(1))
                }
                recorder.drain()
            }
        }
        recorder.stop()
        await running.value
        await writer.finishPublishing()
    }
    for batch in batches where phase != "record" {
        switch phase {
        case "append": _ = try await postgres.transaction { try PingStore.append($0, batch) }
        case "store": try await writer.storeWithoutPublishing(batch)
        default: try await writer.write(batch)
        }
    }
    // The feed publishes in the background while the next batch is written: its work counts until it is done.
    if phase == "write" { await writer.finishPublishing() }
    let elapsed = ContinuousClock.now - started
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(String(format: "%@ %d %.3f %.0f", phase, count, seconds, Double(count) / seconds))
    await redis.shutdown()
    await postgres.shutdown()
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "rows":
    guard arguments.count == 5, let first = Int(arguments[1]), let count = Int(arguments[2]),
        let monitors = Int(arguments[3]), let base = Int64(arguments[4]), first >= 0, count > 0, monitors > 0
    else { fail(usage, code: 64) }
    rows(first: first, count: count, monitors: monitors, base: base)
case "ingest":
    guard arguments.count == 8, ["append", "store", "write", "record"].contains(arguments[1]),
        let port = Int(arguments[3]),
        let first = Int(arguments[4]), let count = Int(arguments[5]), let monitors = Int(arguments[6]),
        let base = Int64(arguments[7]), first >= 0, count > 0, monitors >= batchSize
    else { fail(usage, code: 64) }
    do {
        try await ingest(
            phase: arguments[1],
            databaseURL: arguments[2],
            redisPort: port,
            first: first,
            count: count,
            monitors: monitors,
            base: base
        )
    } catch {
        fail("pipeline-bench: \(error)\n")
    }
default:
    fail(usage, code: 64)
}
