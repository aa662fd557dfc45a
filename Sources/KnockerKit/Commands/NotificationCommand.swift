import Foundation

/// `knocker notification …`: notification channels.
enum NotificationCommand {
    static var spec: CommandSpec {
        CommandSpec(
            name: "notification",
            abstract: "Work with notification channels.",
            subcommands: [testSpec]
        )
    }

    static var testSpec: CommandSpec {
        CommandSpec(
            name: "test",
            abstract: "Send a test message through a channel and show its answer.",
            discussion: """
                Uses the channel's stored config (Discord, Telegram, Slack, webhook or email) and the workers' \
                sender, with NOTIFICATION_TIMEOUT and NOTIFICATION_CA_FILE. Prints "delivered: NAME (TYPE): the \
                server answered HTTP 200: ok" and exits 0 when the channel accepted the message; prints "not \
                delivered: NAME (TYPE): " and the reason (the server's answer, a timeout, a TLS problem…) and \
                exits 1 when it did not.
                """,
            arguments: [.positional("id", help: "The channel's ID."), .jsonFlag],
            action: test
        )
    }

    /// `--json` output.
    struct TestReport: Encodable {
        let id: String
        let name: String
        let type: String
        let delivered: Bool
        let answer: String
    }

    @Sendable static func test(_ context: CommandContext) async throws -> Int32 {
        let text = context.arguments.string("id") ?? ""
        guard let id = Int64(text), id > 0 else {
            throw UsageError("The value '\(text)' is invalid for '<id>'; expected a channel ID.")
        }
        let runtime = try Runtime.start(context)
        let row = try await runtime.withPostgres(poolSize: 1, requireSchema: true) { postgres in
            try await postgres.withConnection { try NotificationStore.channel($0, id: id) }
        }
        guard let row else { throw RuntimeError("notification channel \(id) does not exist") }
        let channel: NotificationChannel
        do {
            channel = try NotificationDispatchHandler.channel(row)
        } catch {
            throw RuntimeError("channel \(id) (\(row.name)) has an \(error.description)")
        }
        let worker = runtime.config.worker
        let sender = NotificationSender(
            threads: 1,
            timeout: worker.notificationTimeout,
            telegramAPIBase: worker.telegramAPIURL,
            caFile: worker.notificationCAFile
        )
        defer { sender.shutdown() }
        let message = NotificationMessage.test(channelName: row.name, teamID: row.teamID, sentAt: Date())
        let delivered: Bool
        let answer: String
        do {
            answer = try await sender.send(message, via: channel).summary
            delivered = true
        } catch {
            answer = error.description
            delivered = false
        }
        if context.arguments.flag("json") {
            try context.standardOutput.writeJSON(
                TestReport(id: String(id), name: row.name, type: row.type, delivered: delivered, answer: answer)
            )
        } else {
            context.standardOutput.line(
                "\(delivered ? "delivered" : "not delivered"): \(row.name) (\(row.type)): \(answer)"
            )
        }
        return delivered ? ExitCode.success : ExitCode.failure
    }
}
