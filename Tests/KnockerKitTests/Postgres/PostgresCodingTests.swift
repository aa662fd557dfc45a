import Foundation
import Testing

@testable import KnockerKit

@Suite("Postgres value coding")
struct PostgresCodingTests {
    @Test func interpolationBindsValuesAndSplicesOnlyUnescaped() {
        let id = 7
        let name: String? = nil
        let query: PostgresQuery =
            "SELECT * FROM \(unescaped: "monitors") WHERE id = \(id) AND name = \(name as String?)"
        #expect(query.sql == "SELECT * FROM monitors WHERE id = $1 AND name = $2")
        #expect(query.binds == ["7", nil])
    }

    @Test func encodesEachType() {
        #expect(true.postgresText == "true")
        #expect(Int16(-3).postgresText == "-3")
        #expect(Double.infinity.postgresText == "Infinity")
        #expect([UInt8]([0, 0xab, 0xff]).postgresText == "\\x00abff")
        #expect(Data([1, 2]).postgresText == "\\x0102")
        #expect(Date(timeIntervalSince1970: 0.5).postgresText == "1970-01-01T00:00:00.500000Z")
        #expect(Date(timeIntervalSince1970: -0.25).postgresText == "1969-12-31T23:59:59.750000Z")
        let uuid = UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")
        #expect(uuid.postgresText == "e621e1f8-c36c-495a-93fc-0c247a3e6e5f")
    }

    @Test func decodesTimestamptzInAnyOffset() throws {
        let reference = 1_700_000_000.0  // 2023-11-14 22:13:20 UTC
        let forms = [
            "2023-11-14 22:13:20+00",
            "2023-11-15 03:43:20+05:30",
            "2023-11-14 17:13:20-05",
            "2023-11-14T22:13:20Z",
            "2023-11-14 22:13:20",
        ]
        for text in forms {
            #expect(try Date(postgresText: text).timeIntervalSince1970 == reference, "\(text)")
        }
        let fractional = try Date(postgresText: "2023-11-14 22:13:20.123456+00")
        #expect(abs(fractional.timeIntervalSince1970 - (reference + 0.123456)) < 1e-6)
        for bad in ["infinity", "-infinity", "2023-11-14", "0044-03-15 12:00:00+00 BC", "yesterday"] {
            #expect(throws: PostgresError.self) { try Date(postgresText: bad) }
        }
    }

    @Test func decodesScalarsAndRejectsGarbage() throws {
        #expect(try Bool(postgresText: "t") == true)
        #expect(try Bool(postgresText: "f") == false)
        #expect(try Int(postgresText: "-42") == -42)
        #expect(try Int16(postgresText: "32767") == 32767)
        #expect(try [UInt8](postgresText: "\\x00ff10") == [0, 255, 16])
        #expect(try Double(postgresText: "-Infinity") == -.infinity)
        #expect(throws: PostgresError.self) { try Int16(postgresText: "40000") }
        #expect(throws: PostgresError.self) { try Bool(postgresText: "yes") }
        #expect(throws: PostgresError.self) { try [UInt8](postgresText: "\\x0") }
        #expect(throws: PostgresError.self) { try UUID(postgresText: "nope") }
        #expect(throws: PostgresError.self) { try Int(postgresText: "1.5") }
    }

    @Test func copyRowEscaping() {
        var buffer: [UInt8] = []
        PostgresConnection.appendCopyRow(["a\tb", nil, "c\\d\ne\r"], to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "a\\tb\t\\N\tc\\\\d\\ne\\r\n")
    }

    @Test func invalidConnectionStringIsInvalidConfiguration() throws {
        let error = #expect(throws: PostgresError.self) {
            _ = try PostgresConfiguration.parseConnectionString("host=localhost port")
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("port") == true)
        let uriError = #expect(throws: PostgresError.self) {
            _ = try PostgresClient(
                configuration: .init(connectionString: "postgres://h/db?bogus_option=1"),
                logger: Logger()
            )
        }
        #expect(uriError?.code == .invalidConfiguration)
        let parsed = try PostgresConfiguration.parseConnectionString(
            "postgres://u:secret@db.example:5433/app?sslmode=require"
        )
        #expect(parsed["host"] == "db.example")
        #expect(parsed["port"] == "5433")
        #expect(parsed["user"] == "u")
        #expect(parsed["password"] == "secret")
        #expect(parsed["dbname"] == "app")
        #expect(parsed["sslmode"] == "require")
    }

    @Test func connectParametersMergeOptions() throws {
        let configuration = PostgresConfiguration(
            connectionString: "host=x options='-c search_path=app'",
            connectTimeout: .milliseconds(500),
            statementTimeout: .milliseconds(1500)
        )
        let parameters = configuration.connectParameters(
            parsed: try PostgresConfiguration.parseConnectionString(
                configuration.connectionString
            )
        )
        let dictionary = Dictionary(parameters, uniquingKeysWith: { $1 })
        #expect(dictionary["connect_timeout"] == "2")
        #expect(dictionary["options"] == "-c search_path=app -c statement_timeout=1500")
        #expect(dictionary["application_name"] == "knocker")
        // The default TCP timeout of 30 s: unacknowledged data for 30 s, or keepalives from 15 s every 5 s.
        #expect(dictionary["tcp_user_timeout"] == "30000")
        #expect(dictionary["keepalives"] == "1")
        #expect(dictionary["keepalives_idle"] == "15")
        #expect(dictionary["keepalives_interval"] == "5")
        #expect(dictionary["keepalives_count"] == "3")
    }

    @Test func noTCPTimeoutLeavesTheSystemDefaults() {
        let configuration = PostgresConfiguration(connectionString: "host=x", tcpTimeout: nil)
        let keys = Set(configuration.connectParameters(parsed: [:]).map(\.0))
        #expect(keys.isDisjoint(with: ["tcp_user_timeout", "keepalives", "keepalives_idle"]))
    }
}
