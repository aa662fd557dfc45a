import Foundation
import Testing

/// Where the services the integration tests need are running.
enum TestServices {
    struct Missing: Error, CustomStringConvertible {
        let variable: String
        var description: String { "\(variable) is not set; run the tests with scripts/test" }
    }

    /// From env `KNOCKER_TEST_DATABASE_URL` (a superuser URL to a running server). If unset, the test fails with a
    /// message saying to run scripts/test; it is never silently skipped.
    static func databaseURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["KNOCKER_TEST_DATABASE_URL"], !url.isEmpty else {
            Issue.record(
                "KNOCKER_TEST_DATABASE_URL is not set: run the tests with scripts/test, which starts the services"
            )
            throw Missing(variable: "KNOCKER_TEST_DATABASE_URL")
        }
        return url
    }
}
