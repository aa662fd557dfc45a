import Foundation
import Testing

@testable import KnockerKit

extension NotifyTests {
    /// `knocker notification test` (the built binary) on an email channel whose smtps server has a certificate from
    /// a private CA: NOTIFICATION_CA_FILE makes the binary trust that CA; without it the answer names the
    /// certificate problem.
    @Suite("knocker notification test: email with a private CA (binary)")
    struct CommandTLSTests {
        @Test func notificationCAFileIsTrustedAndAnUntrustedCertificateIsNamed() async throws {
            try await EmailTLSTests.withServer(.smtps) { server, caFile in
                try await PipelineTests.withMigratedDatabase(prefix: "knocker_notify_tls", poolSize: 1) { postgres, _ in
                    try await postgres.execute("INSERT INTO teams (id, name) VALUES (1, 'team')")
                    let config =
                        "{\"smtp_url\": \"smtps://127.0.0.1:\(server.port)\", \"from\": \"alerts@example.com\", "
                        + "\"to\": [\"ops@example.com\"]}"
                    try await postgres.execute(
                        """
                        INSERT INTO notifications (id, team_id, type, name, config)
                        VALUES (9, 1, 'email', 'mail', \(config)::jsonb)
                        """
                    )
                    let environment = ["DATABASE_URL": postgres.configuration.connectionString]

                    var trusting = environment
                    trusting["NOTIFICATION_CA_FILE"] = caFile
                    let delivered = try await KnockerProcess.run(["notification", "test", "9"], environment: trusting)
                    #expect(delivered.status == 0, "\(delivered.standardError)")
                    #expect(
                        delivered.standardOutput == "delivered: mail (email): the server answered SMTP 250 OK\n",
                        "\(delivered.standardOutput)"
                    )
                    let messages = try await server.messages()
                    #expect(messages.count == 1)
                    #expect(messages.first?.hasPrefix("TLS:yes\n") == true)

                    let refused = try await KnockerProcess.run(["notification", "test", "9"], environment: environment)
                    #expect(refused.status == 1, "\(refused.standardError)")
                    #expect(
                        refused.standardOutput
                            == "not delivered: mail (email): TLS certificate problem: unable to get local issuer "
                            + "certificate\n",
                        "\(refused.standardOutput)"
                    )
                }
            }
        }
    }
}
