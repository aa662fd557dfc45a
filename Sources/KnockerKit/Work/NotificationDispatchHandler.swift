import Foundation

/// Runs `notification:dispatch` tasks: formats the incident's message, sends it through the channel, and records
/// the delivery (a `notification_sent` event) once. A failure the channel may get over (timeouts, 5xx, 429) fails
/// the task so the queue retries it with backoff; one it will not (a deleted channel, an invalid config, a 4xx) is
/// archived at once. Sending runs on the sender's own threads, so a slow channel never holds up checks. A delivery
/// whose task is cancelled (shutdown past the grace, the task's deadline) is aborted at once and neither recorded
/// nor archived: the queue server requeues the task (shutdown) or retries it (deadline).
struct NotificationDispatchHandler: TaskHandler {
    let postgres: PostgresClient
    let sender: NotificationSender
    let ids: IDGenerator
    let logger: Logger

    func handle(_ task: QueueTask) async throws {
        // Work slots are for checks: a burst of notifications to slow channels must not keep checks waiting.
        task.finishedWork()
        let notification: NotificationTask
        do {
            notification = try NotificationTask(payload: task.payload)
        } catch {
            throw TaskHandlingError.skipRetry(error.description)
        }
        let kind = notification.kind.rawValue
        let loaded = try await postgres.withConnection { connection in
            let channel = try NotificationStore.channel(connection, id: notification.notificationID)
            let monitorName = try NotificationStore.monitorName(connection, id: notification.monitorID)
            let regionName = try RegionStore.name(connection, id: notification.regionID)
            let delivered = try notification.incidentID.map {
                try NotificationStore.wasDelivered(
                    connection,
                    incidentID: $0,
                    notificationID: notification.notificationID,
                    kind: kind
                )
            }
            return (channel, monitorName, regionName, delivered ?? false)
        }
        let (row, monitorName, regionName, delivered) = loaded
        guard let row else {
            throw TaskHandlingError.skipRetry("notification channel \(notification.notificationID) no longer exists")
        }
        guard let monitorName else {
            throw TaskHandlingError.skipRetry("monitor \(notification.monitorID) no longer exists")
        }
        if delivered { return }
        let channel: NotificationChannel
        do {
            channel = try Self.channel(row)
        } catch {
            throw TaskHandlingError.skipRetry(error.description)
        }
        let message = NotificationMessage(
            monitorID: notification.monitorID,
            monitorName: monitorName,
            regionName: regionName ?? String(notification.regionID),
            status: notification.kind == .up ? .up : NotificationStatus(notification.ping.status),
            latencyMs: notification.ping.latencyMs,
            checkedAt: notification.ping.time,
            detail: notification.detail.isEmpty ? nil : notification.detail,
            incidentID: notification.incidentID
        )
        let receipt: DeliveryReceipt
        do {
            receipt = try await sender.send(message, via: channel)
        } catch .cancelled {
            // Shutdown past its grace, or the task's deadline: the queue server puts the task back (or retries it).
            logger.info(
                "notification cancelled before the server answered",
                ("channel", row.id),
                ("type", row.type),
                ("retried", task.retried)
            )
            throw NotificationError.cancelled
        } catch {
            logger.warning(
                "notification failed",
                ("channel", row.id),
                ("type", row.type),
                ("retried", task.retried),
                ("error", error.description)
            )
            if !error.isRetryable { throw TaskHandlingError.skipRetry(error.description) }
            throw error
        }
        guard let incidentID = notification.incidentID else { return }
        let eventID = try ids.next()
        let postgres = self.postgres
        // Sent: record it even if the task is being cancelled now (shutdown, deadline), or the retry sends it again.
        // An unstructured task does not inherit the cancellation.
        let recorded = try await Task {
            try await postgres.transaction { connection in
                try NotificationStore.recordDelivery(
                    connection,
                    incidentID: incidentID,
                    notificationID: row.id,
                    kind: kind,
                    eventID: eventID,
                    message: "Notification sent to \(row.name) (\(row.type))"
                )
            }
        }.value
        logger.info(
            "notification sent",
            ("channel", row.id),
            ("incident", incidentID),
            ("kind", kind),
            ("answer", receipt.description),
            ("recorded", recorded)
        )
    }

    /// The channel of a `notifications` row, its config decoded and validated.
    static func channel(_ row: NotificationChannelRow) throws(NotificationConfigError) -> NotificationChannel {
        guard let type = NotificationType(rawValue: row.type) else {
            throw NotificationConfigError(issues: [ConfigIssue(field: "type", message: "unknown type \(row.type)")])
        }
        let config = try NotificationChannelConfig.decodeAndValidate(type: type, json: Array(row.configJSON.utf8))
        return NotificationChannel(id: row.id, name: row.name, config: config)
    }
}
