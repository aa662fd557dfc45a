import Foundation

/// Runs `monitor:ping:{region}` tasks: one check through the engine, recorded as a ping. A check that fails is a
/// recorded failure, not a task failure (checks are not retried, as in the original); only a payload that cannot
/// be read fails the task (archived at once).
///
/// The task ends once its ping is in Postgres, so a worker that dies (SIGKILL, OOM, power) holds no acknowledged
/// check whose ping it had not written: the lease runs out and the task runs again. The check holds the task's work
/// slot (`WORKER_CONCURRENCY` of them), given back once the check is done: waiting for the write, the task does not
/// keep the worker from taking the next check.
struct PingTaskHandler: TaskHandler {
    let engine: CheckEngine
    let recorder: PingRecorder
    let configs: MonitorConfigCache
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
            let config = try configs.config(type: ping.monitor.type, json: ping.monitor.configJSON)
            result = await engine.perform(config)
        } catch {
            result = CheckResult(status: .failed, latencyMs: 0, message: error.description, detail: nil)
        }
        task.finishedWork()
        // Cancelled (shutdown or the task's deadline): the check did not really run; the queue runs it again.
        try Task.checkCancellation()
        let outcome = await recorder.recordAndWait(
            RecordedPing(
                time: started,
                monitorID: ping.monitor.id,
                regionID: ping.regionID,
                latencyMs: result.latencyMs,
                status: result.status,
                message: result.message
            )
        )
        // Withdrawn: cancelled before a write carried the ping, which is dropped; the queue runs the task again.
        if outcome == .withdrawn { throw CancellationError() }
    }
}
