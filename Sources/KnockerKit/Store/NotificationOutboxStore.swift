import Foundation

/// SQL of the notification outbox: notification tasks written with the incident change that asked for them and
/// deleted once they are in the queue.
enum NotificationOutboxStore {
    /// One waiting task.
    struct Entry: Sendable, Equatable {
        var taskID: String
        var payload: String
    }

    /// Adds `notifications` (one statement; a task ID already waiting is kept as it is).
    static func add(_ connection: PostgresConnection, _ notifications: [NotificationTask]) throws {
        guard !notifications.isEmpty else { return }
        let ids = PostgresBinaryValue.textArray(notifications.map(\.taskID))
        let payloads = PostgresBinaryValue.textArray(
            notifications.map { String(decoding: $0.payload(), as: UTF8.self) }
        )
        _ = try connection.execute(
            """
            INSERT INTO notification_outbox (task_id, payload)
            SELECT * FROM unnest(\(ids)::text[], \(payloads)::text[])
            ON CONFLICT (task_id) DO NOTHING
            """
        )
    }

    /// Deletes the tasks with these IDs.
    static func remove(_ connection: PostgresConnection, taskIDs: [String]) throws {
        guard !taskIDs.isEmpty else { return }
        _ = try connection.execute(
            "DELETE FROM notification_outbox WHERE task_id = ANY(\(PostgresBinaryValue.textArray(taskIDs))::text[])"
        )
    }

    /// Counts one more refused enqueue of each task and sends it to the back of the line; deletes those refused
    /// `maxAttempts` times and returns their IDs.
    static func refused(_ connection: PostgresConnection, taskIDs: [String], maxAttempts: Int) throws -> [String] {
        guard !taskIDs.isEmpty else { return [] }
        let ids = PostgresBinaryValue.textArray(taskIDs)
        _ = try connection.execute(
            """
            UPDATE notification_outbox SET attempts = attempts + 1, created_at = now()
             WHERE task_id = ANY(\(ids)::text[])
            """
        )
        return try connection.query(
            """
            DELETE FROM notification_outbox WHERE task_id = ANY(\(ids)::text[]) AND attempts >= \(maxAttempts)
            RETURNING task_id
            """
        ).map { try $0.decode(String.self, at: 0) }
    }

    /// Locks and returns up to `limit` tasks that have waited at least `age`, oldest first, skipping rows another
    /// transaction holds. Call it inside a transaction.
    static func lockStale(_ connection: PostgresConnection, age: Duration, limit: Int) throws -> [Entry] {
        try connection.query(
            """
            SELECT task_id, payload FROM notification_outbox
             WHERE created_at < now() - make_interval(secs => \(Double(age.wholeMilliseconds) / 1000))
             ORDER BY created_at
             LIMIT \(limit)
               FOR UPDATE SKIP LOCKED
            """
        ).map { row in
            Entry(taskID: try row.decode(String.self, at: 0), payload: try row.decode(String.self, at: 1))
        }
    }

    /// Tasks waiting now.
    static func count(_ connection: PostgresConnection) throws -> Int {
        try connection.query("SELECT count(*) FROM notification_outbox").first.map {
            Int(try $0.decode(Int64.self, at: 0))
        } ?? 0
    }
}
