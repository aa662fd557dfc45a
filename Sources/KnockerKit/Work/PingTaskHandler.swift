import Foundation

/// Runs `monitor:ping:{region}` tasks: one check through the engine, recorded as a ping. A check that fails is a
/// recorded failure, not a task failure (checks are not retried, as in the original); only a payload that cannot
/// be read fails the task (archived at once).
struct PingTaskHandler: TaskHandler {
    let engine: CheckEngine
    let recorder: PingRecorder
    let logger: Logger

    func handle(_ task: QueueTask) async throws {
        let ping: PingTask
        do {
            ping = try PingTask(payload: task.payload)
        } catch {
            throw TaskHandlingError.skipRetry(error.description)
        }
        let started = Date()
        let result: CheckResult
        do {
            let config = try MonitorConfig.decodeAndValidate(
                type: ping.monitor.type,
                json: Array(ping.monitor.configJSON.utf8)
            )
            result = await engine.perform(config)
        } catch {
            result = CheckResult(status: .failed, latencyMs: 0, message: error.description, detail: nil)
        }
        // Cancelled (shutdown or the task's deadline): the check did not really run; the queue runs it again.
        try Task.checkCancellation()
        await recorder.record(
            RecordedPing(
                time: started,
                monitorID: ping.monitor.id,
                regionID: ping.regionID,
                latencyMs: result.latencyMs,
                status: result.status,
                message: result.message
            )
        )
    }
}
