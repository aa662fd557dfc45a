import Foundation
import Testing

@testable import KnockerKit

extension NotifyTests {
    @Suite("Notification delivery")
    struct DeliveryTests {
        /// One sender for the suite; its threads live as long as the test process.
        static let sender = NotificationSender(threads: 4, timeout: .seconds(5), now: { notifyTestDate })

        let message = notifyTestMessage

        func receiver() throws -> NotifyReceiver {
            try #require(NotifyReceiver.shared, "the test receiver could not listen")
        }

        /// Sends `message` via `channel` with the suite's sender and returns the outcome.
        func attempt(_ channel: NotificationChannel) async -> Result<DeliveryReceipt, NotificationError> {
            do {
                return .success(try await Self.sender.send(message, via: channel))
            } catch {
                return .failure(error)
            }
        }

        func unique(_ prefix: String) -> String { "/\(prefix)/\(UUID().uuidString)" }

        @Test func discord() async throws {
            let receiver = try receiver()
            let path = unique("discord")
            let channel = NotificationChannel(
                id: 1,
                name: "Ops Discord",
                config: .discord(DiscordChannelConfig(webhookURL: receiver.url(path)))
            )
            let receipt = try await Self.sender.send(message, via: channel)
            #expect(receipt == DeliveryReceipt(statusCode: 200, answer: "ok", isSMTP: false))
            #expect(receipt.description == "HTTP 200: ok")
            let requests = receiver.requests(at: path)
            #expect(requests.count == 1)
            let request = try #require(requests.first)
            #expect(request.method == "POST")
            #expect(request.headers["content-type"] == "application/json")
            #expect(request.headers["user-agent"] == "Knocker/\(Knocker.version)")
            #expect(request.headers["expect"] == nil)
            #expect(request.body == text(DiscordPayload.json(for: message, channelName: "Ops Discord")))
        }

        @Test func telegramUsesTheAPIBase() async throws {
            let receiver = try receiver()
            let base = unique("telegram")
            let sender = NotificationSender(threads: 1, timeout: .seconds(5), telegramAPIBase: receiver.url(base) + "/")
            defer { sender.shutdown() }
            let channel = NotificationChannel(
                id: 2,
                name: "tg",
                config: .telegram(TelegramChannelConfig(botToken: "123:abc-DEF", chatID: "-100"))
            )
            let receipt = try await sender.send(message, via: channel)
            #expect(receipt.statusCode == 200)
            let request = try #require(receiver.requests(at: base + "/bot123:abc-DEF/sendMessage").first)
            #expect(request.method == "POST")
            #expect(request.body == text(TelegramPayload.json(for: message, chatID: "-100")))
        }

        @Test func slack() async throws {
            let receiver = try receiver()
            let path = unique("slack")
            let channel = NotificationChannel(
                id: 3,
                name: "s",
                config: .slack(SlackChannelConfig(webhookURL: receiver.url(path)))
            )
            _ = try await Self.sender.send(message, via: channel)
            let request = try #require(receiver.requests(at: path).first)
            #expect(request.body == text(SlackPayload.json(for: message)))
        }

        @Test func webhookIsSigned() async throws {
            let receiver = try receiver()
            let path = unique("webhook")
            let config = WebhookChannelConfig(url: receiver.url(path), secret: "top secret", headers: ["X-Team": "ops"])
            let body = String(repeating: "long detail ", count: 200)
            let long = NotificationMessage(
                monitorName: "api",
                regionName: "eu",
                status: .timeout,
                latencyMs: 0,
                checkedAt: notifyTestDate,
                detail: body
            )
            _ = try await Self.sender.send(long, via: NotificationChannel(id: 4, name: "w", config: .webhook(config)))
            let request = try #require(receiver.requests(at: path).first)
            #expect(request.body == text(WebhookPayload.json(for: long)))
            #expect(request.headers["x-team"] == "ops")
            #expect(request.headers["x-knocker-event"] == "monitor.down")
            let timestamp = try #require(request.headers["x-knocker-timestamp"])
            #expect(timestamp == "1796407424")
            let mac = referenceHMAC(key: Array("top secret".utf8), message: Array("\(timestamp).\(request.body)".utf8))
            #expect(request.headers["x-knocker-signature"] == "sha256=" + Digest.hex(mac))
        }

        @Test func non2xxIsAnErrorWithStatusAndBody() async throws {
            let receiver = try receiver()
            let path = unique("answer/429")
            let channel = NotificationChannel(
                id: 5,
                name: "s",
                config: .slack(SlackChannelConfig(webhookURL: receiver.url(path)))
            )
            await #expect(throws: NotificationError.httpStatus(code: 429, body: "answer 429")) {
                try await Self.sender.send(message, via: channel)
            }
            #expect(NotificationError.httpStatus(code: 429, body: "").isRetryable)
            #expect(!NotificationError.httpStatus(code: 404, body: "").isRetryable)
            #expect(
                NotificationError.httpStatus(code: 400, body: "bad").description == "the server answered HTTP 400: bad"
            )
        }

        @Test func timeout() async throws {
            let receiver = try receiver()
            let path = unique("hang")
            let sender = NotificationSender(threads: 1, timeout: .milliseconds(300))
            defer { sender.shutdown() }
            let channel = NotificationChannel(
                id: 6,
                name: "d",
                config: .discord(DiscordChannelConfig(webhookURL: receiver.url(path)))
            )
            await #expect(throws: NotificationError.timeout(milliseconds: 300)) {
                try await sender.send(message, via: channel)
            }
            #expect(receiver.requests(at: path).count == 1)
            #expect(NotificationError.timeout(milliseconds: 300).description == "no answer within 300ms")
        }

        @Test func refusedConnectionAndInvalidConfig() async throws {
            let port = try #require(TestHTTPServer.closedPort())
            let channel = NotificationChannel(
                id: 7,
                name: "d",
                config: .discord(DiscordChannelConfig(webhookURL: "http://127.0.0.1:\(port)/x"))
            )
            do {
                _ = try await Self.sender.send(message, via: channel)
                Issue.record("delivered to a closed port")
            } catch {
                guard case .connection = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
            }
            let invalid = NotificationChannel(id: 8, name: "d", config: .discord(DiscordChannelConfig(webhookURL: "x")))
            await #expect(
                throws: NotificationError.invalidConfig([
                    ConfigIssue(field: "webhook_url", message: "must start with http:// or https:// (got \"x\")")
                ])
            ) {
                try await Self.sender.send(message, via: invalid)
            }
        }

        @Test func shutDownSenderRefuses() async throws {
            let sender = NotificationSender(threads: 1)
            sender.shutdown()
            let channel = NotificationChannel(
                id: 9,
                name: "d",
                config: .discord(DiscordChannelConfig(webhookURL: "http://127.0.0.1:9/x"))
            )
            do {
                _ = try await sender.send(message, via: channel)
                Issue.record("a shut-down sender delivered")
            } catch {
                #expect(error == .unavailable("the knocker-notify thread pool is shut down"))
            }
        }

        @Test func emailRefusedByTheServer() async throws {
            guard let server = try await TestSMTPServer.start() else { return }
            var channel = emailChannel(port: server.port, startTLS: .off)
            if case .email(var config) = channel.config {
                config.to = ["refuse@example.com"]
                channel.config = .email(config)
            }
            let result = await attempt(channel)
            await server.stop()
            guard case .failure(let error) = result, case .smtp(554, let text) = error else {
                Issue.record("expected SMTP 554, got \(result)")
                return
            }
            #expect(text == "the server refused the message: 554 5.7.1 refused by the test server", "\(text)")
            #expect(error.description == text)
            #expect(!error.isRetryable)
        }

        func emailChannel(port: Int, startTLS: EmailChannelConfig.StartTLS) -> NotificationChannel {
            NotificationChannel(
                id: 10,
                name: "mail",
                config: .email(
                    EmailChannelConfig(
                        smtpURL: "smtp://127.0.0.1:\(port)",
                        from: "alerts@example.com",
                        fromName: "Knocker Alerts",
                        to: ["ops@example.com", "oncall@example.com"],
                        startTLS: startTLS
                    )
                )
            )
        }

        @Test(arguments: [EmailChannelConfig.StartTLS.off, .optional])
        func emailOverPlainSMTP(startTLS: EmailChannelConfig.StartTLS) async throws {
            guard let server = try await TestSMTPServer.start() else { return }
            let result = await attempt(emailChannel(port: server.port, startTLS: startTLS))
            let messages = try await server.messages()
            await server.stop()
            let receipt = try result.get()
            #expect(receipt.statusCode == 250)
            #expect(receipt.isSMTP)
            #expect(receipt.description == "SMTP 250 OK")
            #expect(messages.count == 1)
            let received = try #require(messages.first)
            let expectedData = text(
                EmailPayload.message(
                    for: message,
                    config: EmailChannelConfig(
                        smtpURL: "smtp://x",
                        from: "alerts@example.com",
                        fromName: "Knocker Alerts",
                        to: ["ops@example.com", "oncall@example.com"]
                    ),
                    date: notifyTestDate,
                    messageID: "ID"
                )
            )
            // The server keeps the data as sent (CRLF line ends, dots unstuffed); the Message-ID is random.
            let receivedID =
                received.components(separatedBy: "Message-ID: <").dropFirst().first?
                .components(separatedBy: ">").first ?? ""
            #expect(receivedID.hasPrefix("knocker.1796407424.") && receivedID.hasSuffix("@example.com"))
            let expected =
                "TLS:no\nMAIL FROM:alerts@example.com\nRCPT TO:ops@example.com,oncall@example.com\n\n"
                + expectedData.replacingOccurrences(of: "<ID>", with: "<\(receivedID)>")
            #expect(received == expected)
            #expect(received.contains("\r\nSubject: api is DOWN\r\n"))
        }

        @Test func emailWithRequiredSTARTTLSFailsWithoutIt() async throws {
            guard let server = try await TestSMTPServer.start() else { return }
            let result = await attempt(emailChannel(port: server.port, startTLS: .required))
            let messages = try await server.messages()
            await server.stop()
            #expect(messages.isEmpty)
            guard case .failure(.smtp(_, let text)) = result else {
                Issue.record("expected an SMTP error, got \(result)")
                return
            }
            #expect(text == "the server does not offer STARTTLS, which starttls \"required\" demands", "\(text)")
        }

        @Test func emailToAClosedPortIsAConnectionError() async throws {
            let port = try #require(TestHTTPServer.closedPort())
            let result = await attempt(emailChannel(port: Int(port), startTLS: .off))
            guard case .failure(.connection) = result else {
                Issue.record("expected a connection error, got \(result)")
                return
            }
        }
    }
}
