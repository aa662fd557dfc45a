import Foundation

extension QueueServer {
    /// Extends the leases of running tasks, cancels those whose lease could not be kept, and writes the server and
    /// worker state that asynqmon's Servers tab shows.
    func heartbeat() async {
        let now = now()
        let entries = inFlight.snapshot()
        let byQueue = Dictionary(grouping: entries, by: \.message.queue)
        for (queue, tasks) in byQueue {
            let ids = tasks.map(\.message.id)
            guard let command = QueueScripts.extendLeaseCommand(queue: queue, ids: ids, now: now) else { continue }
            do {
                _ = try await QueueRedisScripts.command(command, on: redis)
                inFlight.extendLeases(ids, to: Date(timeIntervalSince1970: Double(QueueScripts.leaseExpiry(now: now))))
            } catch {
                logger.warning("cannot extend task leases", ("queue", queue), ("error", "\(error)"))
            }
        }
        for id in inFlight.expiredLeases(now: now) {
            logger.warning("task lease expired; cancelling it", ("task", id))
            inFlight.cancel(id, reason: .leaseLost)
        }
        var server = identity
        server.activeWorkerCount = Int32(clamping: entries.count)
        let workers = entries.map { entry in
            WorkerInfo(
                host: identity.host,
                pid: identity.pid,
                serverID: identity.serverID,
                taskID: entry.message.id,
                taskType: entry.message.type,
                taskPayload: entry.message.payload,
                queue: entry.message.queue,
                startTime: ProtobufTimestamp(entry.started),
                deadline: ProtobufTimestamp(entry.deadline)
            )
        }
        do {
            _ = try await redis.pipeline(
                QueueScripts.registerServerCommands(server: server, now: now).map { $0.map { RedisArgument($0) } }
            )
            _ = try await QueueRedisScripts.run(
                QueueRedisScripts.writeServerState,
                QueueScripts.writeServerStateCall(server: server, workers: workers),
                on: redis
            )
        } catch {
            logger.debug("cannot write the server heartbeat", ("error", "\(error)"))
        }
    }

    /// Removes this server's heartbeat keys.
    func clearHeartbeat() async {
        var server = identity
        server.status = "closed"
        do {
            _ = try await redis.pipeline(
                QueueScripts.unregisterServerCommands(server: server).map { $0.map { RedisArgument($0) } }
            )
            _ = try await QueueRedisScripts.run(
                QueueRedisScripts.clearServerState,
                QueueScripts.clearServerStateCall(server: server),
                on: redis
            )
        } catch {
            logger.debug("cannot clear the server heartbeat", ("error", "\(error)"))
        }
    }

    /// Moves due scheduled and retry tasks of this server's queues to pending (100 per call, until none is due).
    func forwardDueTasks() async {
        for queue in priorities.weights.keys.sorted() {
            for source in QueueScripts.ForwardSource.allCases {
                do {
                    while !stopSignal.isStopped {
                        let reply = try await QueueRedisScripts.run(
                            QueueRedisScripts.forward,
                            QueueScripts.forwardCall(queue: queue, from: source, now: now()),
                            on: redis
                        )
                        guard let moved = reply.int, moved > 0 else { break }
                        logger.debug("forwarded tasks", ("queue", queue), ("from", source.rawValue), ("count", moved))
                    }
                } catch {
                    logger.warning("cannot forward due tasks", ("queue", queue), ("error", "\(error)"))
                }
            }
        }
    }

    /// Takes back tasks whose lease expired more than 30 s ago (their worker died): retried, or archived after the
    /// last retry, with the error "asynq: task lease expired".
    func recoverExpiredLeases() async {
        let now = now()
        let cutoff = now.addingTimeInterval(-Double(QueueConstants.leaseDuration))
        for queue in priorities.weights.keys.sorted() {
            do {
                let reply = try await QueueRedisScripts.run(
                    QueueRedisScripts.listLeaseExpired,
                    QueueScripts.listLeaseExpiredCall(queue: queue, cutoff: cutoff),
                    on: redis
                )
                for raw in reply.array ?? [] {
                    guard let bytes = raw.bytes, let message = try? TaskMessage(decoding: bytes) else { continue }
                    let error = "asynq: task lease expired"
                    if message.retried >= message.retry {
                        _ = try await QueueRedisScripts.run(
                            QueueRedisScripts.archive,
                            QueueScripts.archiveCall(message: message, now: now, errorMessage: error),
                            on: redis
                        )
                    } else {
                        let delay = configuration.retryDelay(Int(message.retried), LeaseExpired(), message)
                        _ = try await QueueRedisScripts.run(
                            QueueRedisScripts.retry,
                            QueueScripts.retryCall(
                                message: message,
                                now: now,
                                retryAt: now.addingTimeInterval(Double(delay)),
                                errorMessage: error,
                                isFailure: true
                            ),
                            on: redis
                        )
                    }
                    logger.warning("recovered a task whose worker stopped", ("task", message.id), ("queue", queue))
                }
            } catch {
                logger.warning("cannot recover expired leases", ("queue", queue), ("error", "\(error)"))
            }
        }
    }

    /// Deletes completed tasks past their retention.
    func deleteExpiredCompleted() async {
        for queue in priorities.weights.keys.sorted() {
            do {
                while !stopSignal.isStopped {
                    let reply = try await QueueRedisScripts.run(
                        QueueRedisScripts.deleteExpiredCompleted,
                        QueueScripts.deleteExpiredCompletedCall(queue: queue, now: now()),
                        on: redis
                    )
                    guard let deleted = reply.int, deleted > 0 else { break }
                }
            } catch {
                logger.warning("cannot delete expired completed tasks", ("queue", queue), ("error", "\(error)"))
            }
        }
    }

    /// Cancels running tasks whose ID is published on `asynq:cancel`.
    func listenForCancellations() async {
        let messages = redis.subscribe(channels: [QueueKeys.cancelChannel])
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await message in messages {
                        let id = String(decoding: message.payload, as: UTF8.self)
                        if self.inFlight.entry(id) != nil {
                            self.logger.info("cancelling task on request", ("task", id))
                            self.inFlight.cancel(id, reason: .requested)
                        }
                    }
                } catch {
                    self.logger.debug("cancel subscription ended", ("error", "\(error)"))
                }
            }
            await stopSignal.wait()
            group.cancelAll()
        }
    }
}

/// The error a recovered task's retry is charged with.
struct LeaseExpired: Error, CustomStringConvertible {
    var description: String { "asynq: task lease expired" }
}
