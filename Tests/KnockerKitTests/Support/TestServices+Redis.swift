import Foundation
import Testing

@testable import KnockerKit

extension TestServices {
    /// From env `KNOCKER_TEST_REDIS_URL` (`redis://[:password@]host[:port][/db]`, a server the tests share). If unset,
    /// the test fails with a message saying to run scripts/test; it is never silently skipped. Tests on the shared
    /// server must use their own key prefix and must never flush it.
    static func redisConfiguration() throws -> RedisConfiguration {
        guard let url = ProcessInfo.processInfo.environment["KNOCKER_TEST_REDIS_URL"], !url.isEmpty else {
            Issue.record(
                "KNOCKER_TEST_REDIS_URL is not set: run the tests with scripts/test, which starts the services"
            )
            throw Missing(variable: "KNOCKER_TEST_REDIS_URL")
        }
        guard let components = URLComponents(string: url), components.scheme == "redis",
            let host = components.host, !host.isEmpty
        else {
            Issue.record("KNOCKER_TEST_REDIS_URL is not a redis:// URL: \(url)")
            throw Missing(variable: "KNOCKER_TEST_REDIS_URL")
        }
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        return RedisConfiguration(
            host: host,
            port: components.port ?? 6379,
            password: components.percentEncodedPassword.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding },
            database: path.isEmpty ? 0 : Int(path) ?? 0
        )
    }
}
