import Foundation

/// `knocker queue …`: look into and act on the asynq queues, like asynqmon and the asynq CLI.
enum QueueCommand {
    static var spec: CommandSpec {
        CommandSpec(
            name: "queue",
            abstract: "Inspect and manage the task queues.",
            discussion: """
                The queues use the asynq protocol, so asynqmon and the asynq CLI show the same data. Queue names \
                are region IDs (monitor checks), `default` (notifications) and `critical`.
                """,
            subcommands: [statsSpec, lsSpec, inspectSpec, retrySpec, archiveSpec, deleteSpec, pauseSpec, unpauseSpec]
        )
    }

    static let queueArgument = ArgumentSpec.positional("queue", help: "The queue name.")
    static let idArgument = ArgumentSpec.positional("id", help: "The task ID.")

    static var statsSpec: CommandSpec {
        CommandSpec(
            name: "stats",
            abstract: "Show each queue's task counts, today's processed and failed, and latency.",
            arguments: [.positional("queue", help: "Only this queue.", required: false), .jsonFlag, .outputOption],
            action: stats
        )
    }

    static var lsSpec: CommandSpec {
        CommandSpec(
            name: "ls",
            abstract: "List a queue's tasks in one state.",
            arguments: [
                queueArgument,
                .option(
                    "state",
                    value: "state",
                    help: "Which tasks to list.",
                    default: "pending",
                    values: ["pending", "active", "scheduled", "retry", "archived", "completed"]
                ),
                .option("limit", value: "n", help: "Most tasks to list.", default: "50"),
                .option("offset", value: "n", help: "Tasks to skip first.", default: "0"),
                .jsonFlag, .outputOption,
            ],
            action: list
        )
    }

    static var inspectSpec: CommandSpec {
        CommandSpec(
            name: "inspect",
            abstract: "Show one task in full.",
            arguments: [queueArgument, idArgument, .jsonFlag],
            action: inspect
        )
    }

    static var retrySpec: CommandSpec {
        taskActionSpec("retry", "Run a scheduled, retry or archived task now (move it to pending).", "pending") {
            try await $0.run($1, id: $2)
        }
    }

    static var archiveSpec: CommandSpec {
        taskActionSpec("archive", "Archive a task that is not running.", "archived") {
            try await $0.archive($1, id: $2)
        }
    }

    static var deleteSpec: CommandSpec {
        taskActionSpec("delete", "Delete a task that is not running.", "deleted") { try await $0.delete($1, id: $2) }
    }

    /// A command that changes one task (`QUEUE ID`) and reports its new state.
    static func taskActionSpec(
        _ name: String,
        _ abstract: String,
        _ outcome: String,
        _ perform: @escaping @Sendable (QueueInspector, String, String) async throws -> Void
    ) -> CommandSpec {
        CommandSpec(
            name: name,
            abstract: abstract,
            arguments: [queueArgument, idArgument, .jsonFlag],
            action: act { inspector, queue, id in
                try await perform(inspector, queue, id)
                return "task \(id) is \(outcome)"
            }
        )
    }

    static var pauseSpec: CommandSpec {
        CommandSpec(
            name: "pause",
            abstract: "Stop servers from taking tasks from a queue.",
            arguments: [queueArgument, .jsonFlag],
            action: act { inspector, queue, _ in
                try await inspector.pause(queue) ? "queue '\(queue)' is paused" : "queue '\(queue)' was already paused"
            }
        )
    }

    static var unpauseSpec: CommandSpec {
        CommandSpec(
            name: "unpause",
            abstract: "Let servers take tasks from a paused queue again.",
            arguments: [queueArgument, .jsonFlag],
            action: act { inspector, queue, _ in
                try await inspector.unpause(queue) ? "queue '\(queue)' is running" : "queue '\(queue)' was not paused"
            }
        )
    }

    // MARK: - Actions

    /// An action on one queue (and task ID): prints what happened, or `{"message": …}` with --json.
    static func act(
        _ body: @escaping @Sendable (QueueInspector, String, String) async throws -> String
    ) -> CommandSpec.Action {
        { context in
            let runtime = try Runtime.start(context)
            let queue = context.arguments.string("queue") ?? ""
            let id = context.arguments.string("id") ?? ""
            let message = try await runtime.withRedis(poolSize: 2) { redis in
                try await body(QueueInspector(redis: redis), queue, id)
            }
            if context.arguments.flag("json") {
                try context.standardOutput.writeJSON(["message": message])
            } else {
                context.standardOutput.line(message)
            }
            return ExitCode.success
        }
    }

    @Sendable static func stats(_ context: CommandContext) async throws -> Int32 {
        let format = try OutputFormat.from(context.arguments)
        let runtime = try Runtime.start(context)
        let only = context.arguments.string("queue")
        let rows = try await runtime.withRedis(poolSize: 2) { redis in
            let inspector = QueueInspector(redis: redis)
            var names = [String]()
            if let only { names = [only] } else { names = try await inspector.queues() }
            var rows: [(String, QueueStats)] = []
            for name in names { rows.append((name, try await inspector.stats(name))) }
            return rows
        }
        let table = Table(
            headers: [
                "Queue", "State", "Size", "Pending", "Active", "Scheduled", "Retry", "Archived", "Completed",
                "Processed Today", "Failed Today", "Latency",
            ],
            rows: rows.map { name, stats in
                [
                    name, stats.paused ? "paused" : "running", String(stats.size), String(stats.pending),
                    String(stats.active), String(stats.scheduled), String(stats.retry), String(stats.archived),
                    String(stats.completed), String(stats.processedToday), String(stats.failedToday),
                    DurationText.format(.milliseconds(stats.latency.wholeMilliseconds)),
                ]
            }
        )
        if rows.isEmpty && format == .table {
            context.standardOutput.line("no queues yet")
        } else {
            context.standardOutput.write(table, format: format)
        }
        return ExitCode.success
    }

    @Sendable static func list(_ context: CommandContext) async throws -> Int32 {
        let format = try OutputFormat.from(context.arguments)
        let limit = try context.arguments.int("limit", in: 1...10_000) ?? 50
        let offset = try context.arguments.int("offset", in: 0...Int(Int32.max)) ?? 0
        let state = TaskState(rawValue: context.arguments.string("state") ?? "pending") ?? .pending
        let queue = context.arguments.string("queue") ?? ""
        let runtime = try Runtime.start(context)
        let tasks = try await runtime.withRedis(poolSize: 2) { redis in
            try await QueueInspector(redis: redis).tasks(queue, state: state, offset: offset, limit: limit)
        }
        let table = Table(
            headers: ["ID", "Type", "State", "Retried", "Next Run", "Last Error"],
            rows: tasks.map { task in
                [
                    task.message.id, task.message.type, task.state.rawValue,
                    "\(task.message.retried)/\(task.message.retry)",
                    task.nextProcessAt.map(Timestamp.rfc3339) ?? "", task.message.errorMessage,
                ]
            }
        )
        context.standardOutput.write(table, format: format)
        return ExitCode.success
    }

    @Sendable static func inspect(_ context: CommandContext) async throws -> Int32 {
        let queue = context.arguments.string("queue") ?? ""
        let id = context.arguments.string("id") ?? ""
        let runtime = try Runtime.start(context)
        let task = try await runtime.withRedis(poolSize: 2) { redis in
            try await QueueInspector(redis: redis).task(queue, id: id)
        }
        let view = TaskView(task)
        if context.arguments.flag("json") {
            try context.standardOutput.writeJSON(view)
        } else {
            for (label, value) in view.lines {
                context.standardOutput.line(label.padding(toLength: 16, withPad: " ", startingAt: 0) + value)
            }
        }
        return ExitCode.success
    }
}

/// One task for `knocker queue inspect`.
struct TaskView: Encodable {
    let id: String
    let type: String
    let queue: String
    let state: String
    let payload: String
    let payloadIsText: Bool
    let retried: Int
    let maxRetry: Int
    let lastError: String?
    let lastFailedAt: String?
    let timeoutSeconds: Int64?
    let deadline: String?
    let nextRunAt: String?
    let uniqueKey: String?
    let result: String?

    enum CodingKeys: String, CodingKey {
        case id, type, queue, state, payload, retried, deadline, result
        case payloadIsText = "payload_is_text"
        case maxRetry = "max_retry"
        case lastError = "last_error"
        case lastFailedAt = "last_failed_at"
        case timeoutSeconds = "timeout_seconds"
        case nextRunAt = "next_run_at"
        case uniqueKey = "unique_key"
    }

    init(_ task: TaskInfo) {
        let message = task.message
        id = message.id
        type = message.type
        queue = message.queue
        state = task.state.rawValue
        let text = String(validating: message.payload, as: UTF8.self)
        payloadIsText =
            text.map { $0.unicodeScalars.allSatisfy { $0.value >= 0x20 || $0 == "\n" || $0 == "\t" } } ?? false
        payload = payloadIsText ? (text ?? "") : message.payload.map { String(format: "%02x", $0) }.joined()
        retried = Int(message.retried)
        maxRetry = Int(message.retry)
        lastError = message.errorMessage.isEmpty ? nil : message.errorMessage
        lastFailedAt =
            message.lastFailedAt > 0
            ? Timestamp.rfc3339(Date(timeIntervalSince1970: Double(message.lastFailedAt))) : nil
        timeoutSeconds = message.timeout > 0 ? message.timeout : nil
        deadline = message.deadline > 0 ? Timestamp.rfc3339(Date(timeIntervalSince1970: Double(message.deadline))) : nil
        nextRunAt = task.nextProcessAt.map(Timestamp.rfc3339)
        uniqueKey = message.uniqueKey.isEmpty ? nil : message.uniqueKey
        result = task.result.map { String(decoding: $0, as: UTF8.self) }
    }

    var lines: [(String, String)] {
        var lines: [(String, String)] = [
            ("ID", id), ("Type", type), ("Queue", queue), ("State", state),
            ("Payload", payloadIsText ? payload : "(binary, hex) " + payload), ("Retried", "\(retried) of \(maxRetry)"),
        ]
        if let lastError { lines.append(("Last error", lastError)) }
        if let lastFailedAt { lines.append(("Last failed at", lastFailedAt)) }
        if let timeoutSeconds { lines.append(("Timeout", "\(timeoutSeconds)s")) }
        if let deadline { lines.append(("Deadline", deadline)) }
        if let nextRunAt { lines.append(("Next run at", nextRunAt)) }
        if let uniqueKey { lines.append(("Unique key", uniqueKey)) }
        if let result { lines.append(("Result", result)) }
        return lines
    }
}
