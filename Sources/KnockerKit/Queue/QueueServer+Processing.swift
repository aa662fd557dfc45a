import Foundation

/// A task taken from a queue: decodable, or broken (its hash has no `msg`, or `msg` is not a TaskMessage).
enum DequeuedTask: Sendable {
    case message(TaskMessage)
    case malformed(id: String, queue: String, rawMessage: [UInt8]?, reason: String)
}

/// The deadline passed before the handler finished.
struct TaskDeadlineExceeded: Error, CustomStringConvertible {
    var description: String { "context deadline exceeded" }
}

/// The task was cancelled through `asynq:cancel`.
struct TaskCancelled: Error, CustomStringConvertible {
    var description: String { "context canceled" }
}

/// No handler is registered for the task's type.
struct TaskHandlerNotFound: Error, CustomStringConvertible {
    let type: String
    var description: String { "handler not found for task \"\(type)\"" }
}

extension QueueServer {
    /// Tries the queues in priority order and takes the first available task.
    func dequeueNext() async throws -> DequeuedTask? {
        let order = configuration.strictPriority ? priorities.strictOrder : priorities.order()
        let now = now()
        for queue in order {
            let reply = try await QueueRedisScripts.run(
                QueueRedisScripts.dequeue,
                QueueScripts.dequeueCall(queue: queue, now: now),
                on: redis
            )
            guard let pair = reply.array, let id = pair.first?.string else { continue }
            guard let raw = pair.dropFirst().first?.bytes else {
                return .malformed(id: id, queue: queue, rawMessage: nil, reason: "the task hash has no msg field")
            }
            do {
                var message = try TaskMessage(decoding: raw)
                if message.id.isEmpty { message.id = id }
                if message.queue.isEmpty { message.queue = queue }
                guard message.id == id, message.queue == queue else {
                    return .malformed(
                        id: id,
                        queue: queue,
                        rawMessage: raw,
                        reason: "the task message names task \(message.id) in queue \(message.queue)"
                    )
                }
                return .message(message)
            } catch {
                return .malformed(
                    id: id,
                    queue: queue,
                    rawMessage: raw,
                    reason: "the task message is not valid: \(error)"
                )
            }
        }
        return nil
    }

    /// Runs one task and records its outcome.
    func process(_ dequeued: DequeuedTask, workSlot: QueueWorkSlot? = nil) async {
        switch dequeued {
        case .malformed(let id, let queue, let raw, let reason):
            await archiveMalformed(id: id, queue: queue, rawMessage: raw, reason: reason)
        case .message(let message):
            await run(message, workSlot: workSlot)
        }
    }

    private func run(_ message: TaskMessage, workSlot: QueueWorkSlot?) async {
        let started = now()
        let deadline = TaskDeadline.compute(for: message, now: started)
        if deadline.isInternalFallback {
            logger.error("task has neither timeout nor deadline; using 30 minutes", ("task", message.id))
        }
        inFlight.add(
            message,
            started: started,
            deadline: deadline.date,
            leaseExpiry: Date(timeIntervalSince1970: Double(QueueScripts.leaseExpiry(now: started)))
        )
        defer { inFlight.remove(message.id) }

        let task = QueueTask(message: message, deadline: deadline.date, workSlot: workSlot)
        let result: Result<Void, any Error>
        if let handler = mux.handler(for: message.type) {
            result = await runHandler(handler, task)
        } else {
            result = .failure(TaskHandlerNotFound(type: message.type))
        }
        switch inFlight.entry(message.id)?.cancelReason {
        case .shutdown where (try? result.get()) != nil:
            // Finished just as the grace ran out (or ignored the cancellation): its work is done, so it is done,
            // not requeued to run a second time.
            await record(result, for: message)
        case .leaseLost:
            logger.warning("lease lost; not recording the outcome (the recoverer takes it back)", ("task", message.id))
        case .shutdown:
            await write(message, "requeue", QueueRedisScripts.requeue) { now in
                QueueScripts.requeueCall(message: message)
            }
        case .requested, nil:
            await record(result, for: message)
        }
    }

    /// Runs the handler in its own task so it can be cancelled by deadline, shutdown, lease loss or request.
    private func runHandler(_ handler: any TaskHandler, _ task: QueueTask) async -> Result<Void, any Error> {
        let work = Task { try await handler.handle(task) }
        inFlight.setCancel(task.id) { _ in work.cancel() }
        // A task's deadline comes from its message, which any client may have written: capped at a year (the
        // deadline of a task with a huge timeout), so the milliseconds fit in Int64 and the sleep's deadline in
        // the clock.
        let remaining = min(max(0, task.deadline.timeIntervalSince(now())), 365 * 86_400)
        let finishedInTime = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = await work.result
                return true
            }
            group.addTask {
                (try? await Task.sleep(for: .milliseconds(Int64(remaining * 1000)))) == nil
            }
            let first = await group.next() ?? true
            // Awaiting the handler's result does not react to cancellation: cancel the handler itself.
            if !first { work.cancel() }
            group.cancelAll()
            return first
        }
        let outcome = await work.result
        // Past the deadline but finished anyway (it was committing its work when cancelled): done, not run twice.
        if !finishedInTime, case .failure = outcome { return .failure(TaskDeadlineExceeded()) }
        if case .requested = inFlight.entry(task.id)?.cancelReason, case .failure = outcome {
            return .failure(TaskCancelled())
        }
        return outcome
    }

    /// Done / complete on success; retry or archive on failure.
    private func record(_ result: Result<Void, any Error>, for message: TaskMessage) async {
        switch result {
        case .success:
            await recordSuccess(message)
        case .failure(let error as TaskHandlingError) where error == .revoke:
            await recordSuccess(message)
        case .failure(let error):
            if TaskHandlingError.isSkipRetry(error) || message.retried >= message.retry {
                logger.warning("task archived", ("task", message.id), ("type", message.type), ("error", "\(error)"))
                await write(message, "archive", QueueRedisScripts.archive) { now in
                    QueueScripts.archiveCall(message: message, now: now, errorMessage: "\(error)")
                }
            } else {
                let delay = configuration.retryDelay(Int(message.retried), error, message)
                logger.info(
                    "task failed; will retry",
                    ("task", message.id),
                    ("type", message.type),
                    ("error", "\(error)"),
                    ("retry_in_s", delay)
                )
                await write(message, "retry", QueueRedisScripts.retry) { now in
                    QueueScripts.retryCall(
                        message: message,
                        now: now,
                        retryAt: now.addingTimeInterval(Double(delay)),
                        errorMessage: "\(error)",
                        isFailure: true
                    )
                }
            }
        }
    }

    private func recordSuccess(_ message: TaskMessage) async {
        let unique = !message.uniqueKey.isEmpty
        if message.retention > 0 {
            await write(
                message,
                "complete",
                unique ? QueueRedisScripts.markAsCompleteUnique : QueueRedisScripts.markAsComplete
            ) { now in
                unique
                    ? try QueueScripts.markAsCompleteUniqueCall(message: message, now: now)
                    : QueueScripts.markAsCompleteCall(message: message, now: now)
            }
        } else {
            await write(message, "done", unique ? QueueRedisScripts.doneUnique : QueueRedisScripts.done) { now in
                unique
                    ? try QueueScripts.doneUniqueCall(message: message, now: now)
                    : QueueScripts.doneCall(message: message, now: now)
            }
        }
    }

    /// Writes an outcome, retrying Redis failures while this worker still holds the task's lease. "NOT FOUND" means
    /// the task was moved or deleted meanwhile (an inspector action): nothing to do.
    private func write(
        _ message: TaskMessage,
        _ action: String,
        _ script: RedisScript,
        call: (Date) throws -> QueueScriptArguments
    ) async {
        var attempt = 0
        while true {
            attempt += 1
            do {
                _ = try await QueueRedisScripts.run(script, try call(now()), on: redis)
                return
            } catch let error as RedisError where error.code == .server {
                logger.warning(
                    "cannot \(action) task",
                    ("task", message.id),
                    ("queue", message.queue),
                    ("error", error.message)
                )
                return
            } catch {
                let leaseExpiry = inFlight.entry(message.id)?.leaseExpiry ?? now()
                guard now() < leaseExpiry else {
                    logger.error(
                        "gave up recording the outcome; the recoverer will run the task again",
                        ("task", message.id),
                        ("action", action),
                        ("error", "\(error)")
                    )
                    return
                }
                if attempt == 1 {
                    logger.warning("cannot reach Redis to \(action) task; retrying", ("task", message.id))
                }
                try? await Task.sleep(for: .milliseconds(min(2000, 100 << min(attempt, 5))))
            }
        }
    }

    /// Archives a task whose hash or message is broken, keeping its bytes, so the worker keeps going.
    private func archiveMalformed(id: String, queue: String, rawMessage: [UInt8]?, reason: String) async {
        logger.error("archiving a malformed task", ("task", id), ("queue", queue), ("error", reason))
        var placeholder = TaskMessage()
        placeholder.id = id
        placeholder.queue = queue
        var call = QueueScripts.archiveCall(message: placeholder, now: now(), errorMessage: reason)
        if let rawMessage, call.arguments.count > 1 { call.arguments[1] = rawMessage }
        do {
            _ = try await QueueRedisScripts.run(QueueRedisScripts.archive, call, on: redis)
        } catch {
            logger.error("cannot archive the malformed task", ("task", id), ("error", "\(error)"))
        }
    }
}
