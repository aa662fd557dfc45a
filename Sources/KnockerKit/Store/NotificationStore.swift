import Foundation

/// A notification channel row.
struct NotificationChannelRow: Sendable, Equatable {
    var id: Int64
    var teamID: Int64
    var type: String
    var name: String
    var configJSON: String
}

/// SQL of notification channels and their deliveries.
enum NotificationStore {
    /// The channel with `id`, or nil.
    static func channel(_ connection: PostgresConnection, id: Int64) throws -> NotificationChannelRow? {
        try connection.query("SELECT id, team_id, type::text, name, config::text FROM notifications WHERE id = \(id)")
            .first.map { row in
                NotificationChannelRow(
                    id: try row.decode(Int64.self, at: 0),
                    teamID: try row.decode(Int64.self, at: 1),
                    type: try row.decode(String.self, at: 2),
                    name: try row.decode(String.self, at: 3),
                    configJSON: try row.decode(String.self, at: 4)
                )
            }
    }

    /// Whether the incident's `kind` message went out through the channel already.
    static func wasDelivered(
        _ connection: PostgresConnection,
        incidentID: Int64,
        notificationID: Int64,
        kind: String
    )
        throws -> Bool
    {
        try !connection.query(
            """
            SELECT 1 FROM notification_deliveries
             WHERE incident_id = \(incidentID) AND notification_id = \(notificationID) AND kind = \(kind)
            """
        ).isEmpty
    }

    /// Records a delivery once: the first call inserts it and writes a `notification_sent` event with `message`;
    /// later calls (a retried task) do nothing. Returns whether this call recorded it. An incident deleted meanwhile
    /// records nothing.
    static func recordDelivery(
        _ connection: PostgresConnection,
        incidentID: Int64,
        notificationID: Int64,
        kind: String,
        eventID: Int64,
        message: String
    ) throws -> Bool {
        let inserted = try connection.execute(
            """
            INSERT INTO notification_deliveries (incident_id, notification_id, kind)
            SELECT \(incidentID), \(notificationID), \(kind)
             WHERE EXISTS (SELECT 1 FROM incidents WHERE id = \(incidentID))
               AND EXISTS (SELECT 1 FROM notifications WHERE id = \(notificationID))
            ON CONFLICT DO NOTHING
            """
        )
        guard inserted == 1 else { return false }
        _ = try connection.execute(
            """
            INSERT INTO event_timelines (id, event_id, message, event_type)
            VALUES (\(eventID), \(incidentID), \(message), 'notification_sent')
            """
        )
        return true
    }

    /// The monitor's name, or nil when it is gone.
    static func monitorName(_ connection: PostgresConnection, id: Int64) throws -> String? {
        try connection.query("SELECT name FROM monitors WHERE id = \(id)").first.map {
            try $0.decode(String.self, at: 0)
        }
    }
}
