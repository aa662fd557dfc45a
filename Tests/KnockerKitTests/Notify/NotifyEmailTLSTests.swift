import Foundation
import Testing

@testable import KnockerKit

extension NotifyTests {
    /// Email over STARTTLS and over implicit TLS (smtps) to a local server whose certificate a throwaway CA issued at
    /// test time: delivered when the sender trusts that CA (its `caFile`, `NOTIFICATION_CA_FILE`), refused with a
    /// TLS certificate error when it does not. Also: a delivery the SMTP server never answers is aborted when its
    /// task is cancelled.
    @Suite("Notification delivery: email over TLS")
    struct EmailTLSTests {
        let message = notifyTestMessage

        /// Runs `body` with an SMTP server talking `security` with a certificate for `subjectAltName` issued by a
        /// new CA, and that CA's certificate file. Does nothing when python3 is missing and not required (a recorded
        /// failure when KNOCKER_REQUIRE_SERVICES=1).
        static func withServer(
            _ security: TestSMTPServer.Security,
            subjectAltName: String = "IP:127.0.0.1,DNS:localhost",
            _ body: (TestSMTPServer, _ caFile: String) async throws -> Void
        ) async throws {
            let (authority, leaf) = try await offPool {
                let authority = try TestCertificateAuthority()
                do {
                    let leaf = try authority.issue(
                        name: "mail",
                        subjectAltName: subjectAltName,
                        notBefore: Date(timeIntervalSinceNow: -86_400),
                        notAfter: Date(timeIntervalSinceNow: 10 * 86_400)
                    )
                    return (authority, leaf)
                } catch {
                    authority.remove()
                    throw error
                }
            }
            defer { authority.remove() }
            guard let server = try await TestSMTPServer.start(security, certificate: leaf) else { return }
            do {
                try await body(server, authority.certificate)
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }

        func channel(
            _ scheme: String,
            port: Int,
            startTLS: EmailChannelConfig.StartTLS,
            to: [String] = ["ops@example.com"]
        ) -> NotificationChannel {
            NotificationChannel(
                id: 30,
                name: "mail",
                config: .email(
                    EmailChannelConfig(
                        smtpURL: "\(scheme)://127.0.0.1:\(port)",
                        from: "alerts@example.com",
                        to: to,
                        startTLS: startTLS
                    )
                )
            )
        }

        static func send(
            _ message: NotificationMessage,
            via channel: NotificationChannel,
            caFile: String?
        ) async -> Result<DeliveryReceipt, NotificationError> {
            let sender = NotificationSender(threads: 1, timeout: .seconds(10), caFile: caFile, now: { notifyTestDate })
            defer { sender.shutdown() }
            do {
                return .success(try await sender.send(message, via: channel))
            } catch {
                return .failure(error)
            }
        }

        @Test(arguments: [
            (TestSMTPServer.Security.starttls, EmailChannelConfig.StartTLS.required),
            (.starttls, .optional),
            (.smtps, .required),
        ])
        func theMessageArrivesOverTLSWhenTheCAIsTrusted(
            security: TestSMTPServer.Security,
            startTLS: EmailChannelConfig.StartTLS
        ) async throws {
            try await Self.withServer(security) { server, caFile in
                let scheme = security == .smtps ? "smtps" : "smtp"
                let channel = channel(scheme, port: server.port, startTLS: startTLS)
                let receipt = try await Self.send(message, via: channel, caFile: caFile).get()
                #expect(receipt.statusCode == 250)
                #expect(receipt.summary == "the server answered SMTP 250 OK")
                let messages = try await server.messages()
                #expect(messages.count == 1)
                let received = try #require(messages.first)
                // Received over TLS, exactly as composed (the Message-ID is random).
                guard case .email(let config) = channel.config else { return }
                let messageID =
                    received.components(separatedBy: "Message-ID: <").dropFirst().first?
                    .components(separatedBy: ">").first ?? ""
                let data = EmailPayload.message(
                    for: message,
                    config: config,
                    date: notifyTestDate,
                    messageID: messageID
                )
                let envelope = "TLS:yes\nMAIL FROM:alerts@example.com\nRCPT TO:ops@example.com\n\n"
                #expect(received == envelope + text(data), "\(received)")
            }
        }

        @Test(arguments: [TestSMTPServer.Security.starttls, .smtps])
        func anUntrustedCertificateFailsWithATLSCertificateProblem(security: TestSMTPServer.Security) async throws {
            try await Self.withServer(security) { server, _ in
                let scheme = security == .smtps ? "smtps" : "smtp"
                // The system store does not know the test CA.
                let result = await Self.send(
                    message,
                    via: channel(scheme, port: server.port, startTLS: .required),
                    caFile: nil
                )
                let messages = try await server.messages()
                #expect(messages.isEmpty)
                guard case .failure(let error) = result else {
                    Issue.record("delivered despite an untrusted certificate: \(result)")
                    return
                }
                #expect(error == .tls("TLS certificate problem: unable to get local issuer certificate"), "\(error)")
                #expect(error.description == "TLS certificate problem: unable to get local issuer certificate")
            }
        }

        @Test func aCertificateForAnotherHostFails() async throws {
            try await Self.withServer(.smtps, subjectAltName: "DNS:mail.example.org") { server, caFile in
                let result = await Self.send(
                    message,
                    via: channel("smtps", port: server.port, startTLS: .required),
                    caFile: caFile
                )
                let messages = try await server.messages()
                #expect(messages.isEmpty)
                guard case .failure(let error) = result else {
                    Issue.record("delivered despite a certificate for another host: \(result)")
                    return
                }
                #expect(error == .tls("TLS certificate is for another host: it does not name 127.0.0.1"), "\(error)")
            }
        }

        @Test func aDeliveryTheServerNeverAnswersIsAbortedWhenItsTaskIsCancelled() async throws {
            guard let server = try await TestSMTPServer.start() else { return }
            let sender = NotificationSender(threads: 1, timeout: .seconds(120))
            defer { sender.shutdown() }
            let channel = channel("smtp", port: server.port, startTLS: .off, to: ["hang@example.com"])
            let message = message
            let delivery = Task { await deliver(message, via: channel, with: sender) }
            do {
                try await eventually("the server holds the delivery", timeout: .seconds(10)) {
                    try await server.hangingCount() == 1
                }
            } catch {
                delivery.cancel()
                await server.stop()
                throw error
            }
            let cancelled = ContinuousClock.now
            delivery.cancel()
            let result = await delivery.value
            let took = cancelled.duration(to: .now)
            await server.stop()
            // Far below the timeout; the slack is for a busy cooperative pool resuming the tasks.
            #expect(took < .seconds(3), "the delivery ended \(took) after its task was cancelled")
            guard case .failure(.cancelled) = result else {
                Issue.record("expected a cancelled delivery, got \(result)")
                return
            }
        }
    }
}
