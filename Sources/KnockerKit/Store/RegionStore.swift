import Foundation

/// SQL of the `regions` table.
enum RegionStore {
    /// Every region, by name.
    static func all(_ connection: PostgresConnection) throws -> [Region] {
        try connection.query("SELECT id, name, display_name FROM regions ORDER BY name").map { row in
            Region(
                id: try row.decode(Int64.self, at: 0),
                name: try row.decode(String.self, at: 1),
                displayName: try row.decode(String.self, at: 2)
            )
        }
    }

    /// Region names by id.
    static func names(_ connection: PostgresConnection) throws -> [Int64: String] {
        var names: [Int64: String] = [:]
        for region in try all(connection) { names[region.id] = region.name }
        return names
    }

    /// The name of region `id`, or nil.
    static func name(_ connection: PostgresConnection, id: Int64) throws -> String? {
        try connection.query("SELECT name FROM regions WHERE id = \(id)").first.map {
            try $0.decode(String.self, at: 0)
        }
    }

    /// The region called `name`, or nil.
    static func named(_ connection: PostgresConnection, _ name: String) throws -> Region? {
        try connection.query("SELECT id, name, display_name FROM regions WHERE name = \(name)").first.map { row in
            Region(
                id: try row.decode(Int64.self, at: 0),
                name: try row.decode(String.self, at: 1),
                displayName: try row.decode(String.self, at: 2)
            )
        }
    }

    /// Creates the region `name` unless one with that name exists; returns the region and whether it was created.
    static func ensure(
        _ connection: PostgresConnection,
        name: String,
        displayName: String,
        id: Int64
    ) throws -> (
        Region, Bool
    ) {
        let inserted = try connection.execute(
            """
            INSERT INTO regions (id, name, display_name) VALUES (\(id), \(name), \(displayName))
            ON CONFLICT DO NOTHING
            """
        )
        guard let region = try named(connection, name) else {
            throw PostgresError(
                code: .server,
                message: "region \(name) could not be created (its display name may be taken)",
                sqlState: nil,
                query: "INSERT INTO regions"
            )
        }
        return (region, inserted == 1)
    }
}
