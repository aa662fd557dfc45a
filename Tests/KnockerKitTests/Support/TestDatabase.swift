import Foundation
import KnockerKit

/// A fresh, empty database for one test, on the server at ``TestServices/databaseURL()``.
struct TestDatabase {
    /// The database's name.
    let name: String
    /// A connection URI (or conninfo string) for the new database.
    let url: String
    private let adminURL: String

    /// Creates a database with a random name.
    static func create(prefix: String = "knocker_test") async throws -> TestDatabase {
        let adminURL = try TestServices.databaseURL()
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let name = "\(prefix)_\(suffix)"
        try await runAdmin(adminURL, "CREATE DATABASE \(PostgresQuery.quoteIdentifier(name))")
        return TestDatabase(name: name, url: replacingDatabase(in: adminURL, with: name), adminURL: adminURL)
    }

    /// Drops the database, disconnecting anyone still using it.
    func drop() async throws {
        try await Self.runAdmin(adminURL, "DROP DATABASE IF EXISTS \(PostgresQuery.quoteIdentifier(name)) WITH (FORCE)")
    }

    private static func runAdmin(_ url: String, _ sql: String) async throws {
        let configuration = PostgresConfiguration(connectionString: url, poolSize: 1, applicationName: "knocker-tests")
        let client = try PostgresClient(configuration: configuration, logger: Logger(level: .error))
        do {
            try await client.withConnection { try $0.executeScript(sql) }
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }

    /// The same server and credentials, another database.
    static func replacingDatabase(in url: String, with name: String) -> String {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"), var components = URLComponents(string: url) {
            components.path = "/" + name
            if let result = components.string { return result }
        }
        return url + " dbname='\(name)'"
    }
}
