import Foundation
import Testing

@testable import KnockerKit

/// `knocker migrate` and `knocker maintain` as processes against a real Postgres.
@Suite("knocker migrate (binary)")
struct MigrateCommandTests {
    @Test func upStatusDownAndMaintainFromAnyDirectory() async throws {
        let database = try await TestDatabase.create(prefix: "knocker_cli")
        let env = ["DATABASE_URL": database.url]

        let pending = try await KnockerProcess.run(["migrate", "status", "--json"], environment: env)
        #expect(pending.status == 0)
        let rows = try JSONSerialization.jsonObject(with: Data(pending.standardOutput.utf8)) as? [[String: Any]]
        #expect(rows?.count == (try MigrationCatalog.embedded().count))
        #expect(rows?.allSatisfy { $0["state"] as? String == "pending" } == true)

        let up = try await KnockerProcess.run(["migrate", "up"], environment: env)
        #expect(up.status == 0, "\(up.standardError)")
        #expect(up.standardOutput.contains("applied 0001_accounts_and_teams"))
        let again = try await KnockerProcess.run(["migrate", "up"], environment: env)
        #expect(again.standardOutput == "the database is up to date\n")

        let maintain = try await KnockerProcess.run(["maintain", "--json"], environment: env)
        #expect(maintain.status == 0, "\(maintain.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(maintain.standardOutput.utf8)) as? [String: Any]
        #expect(report?["ran"] as? Bool == true)

        let down = try await KnockerProcess.run(["migrate", "down", "2"], environment: env)
        #expect(down.status == 0)
        #expect(down.standardOutput.split(separator: "\n").count == 2)
        let status = try await KnockerProcess.run(["migrate", "status", "--output", "tsv"], environment: env)
        #expect(status.standardOutput.split(separator: "\n").filter { $0.contains("\tpending\t") }.count == 2)
        try await database.drop()
    }

    @Test func twoConcurrentMigrateRunsApplyEachMigrationOnce() async throws {
        let database = try await TestDatabase.create(prefix: "knocker_cli_race")
        let env = ["DATABASE_URL": database.url]
        let first = try KnockerProcess.start(["migrate", "up", "--json"], environment: env)
        let second = try KnockerProcess.start(["migrate", "up", "--json"], environment: env)
        let results = try await [offPool { first.wait() }, offPool { second.wait() }]
        #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.standardError))")
        let applied = try results.map { result -> Int in
            let rows = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]]
            return rows?.count ?? -1
        }
        #expect(applied.sorted() == [0, try MigrationCatalog.embedded().count])
        try await database.drop()
    }

    @Test func createWritesTheNextPair() async throws {
        let directory = KnockerProcess.emptyDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/migrations", withIntermediateDirectories: true)
        let result = try await KnockerProcess.run(["migrate", "create", "add_tags"], directory: directory)
        #expect(result.status == 0, "\(result.standardError)")
        let next = (try MigrationCatalog.embedded().map(\.version).max() ?? 0) + 1
        let label = MigrationCatalog.label(version: next, name: "add_tags")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/migrations").sorted()
        #expect(files == ["\(label).down.sql", "\(label).up.sql"])

        let bad = try await KnockerProcess.run(["migrate", "create", "Bad-Name"], directory: directory)
        #expect(bad.status == 64)
        #expect(bad.standardError.contains("The migration name 'Bad-Name' is invalid"))
        let nowhere = try await KnockerProcess.run(
            ["migrate", "create", "x"],
            directory: KnockerProcess.emptyDirectory()
        )
        #expect(nowhere.status == 1)
        #expect(nowhere.standardError.contains("no migrations folder"))
    }
}
