import Foundation
import Testing

@testable import KnockerKit

extension NotifyTests {
    @Suite("Notification message and payloads")
    struct FormattingTests {
        let down = NotificationMessage(
            monitorID: 123,
            monitorName: "api",
            regionName: "eu-west",
            status: .down,
            latencyMs: 120,
            checkedAt: notifyTestDate,
            detail: "  HTTP status code: 503\n",
            incidentID: 456
        )

        @Test func messageTextIsTheOriginals() {
            #expect(down.title == "api is DOWN")
            #expect(
                down.body
                    == "Monitor: api\nRegion: eu-west\nStatus: DOWN\n\nLatency: 120ms\nChecked at: 2026-12-04T18:03:44Z"
                    + "\n\nDetails: HTTP status code: 503"
            )
            #expect(down.event == .monitorDown)
            #expect(down.detail == "HTTP status code: 503")
        }

        @Test func optionalLinesAreLeftOut() {
            let up = NotificationMessage(
                monitorName: "api",
                regionName: "",
                status: .up,
                latencyMs: 0,
                checkedAt: notifyTestDate.addingTimeInterval(0.75),
                detail: "   "
            )
            #expect(up.title == "api is UP")
            #expect(up.body == "Monitor: api\nStatus: UP\n\nChecked at: 2026-12-04T18:03:44Z")
            #expect(up.event == .monitorUp)
            #expect(up.detail == nil)
            #expect(NotificationStatus(.timeout).word == "TIMEOUT")
            #expect(NotificationStatus(.degraded).isUp)
            #expect(NotificationStatus(.failed) == .down)
        }

        @Test func testMessage() {
            let message = NotificationMessage.test(channelName: "Ops \"alerts\"", teamID: 7, sentAt: notifyTestDate)
            #expect(message.title == "Knocker notification test")
            #expect(
                message.body
                    == "Test notification for team 7 and channel \"Ops \\\"alerts\\\"\"\nSent at: 2026-12-04T18:03:44Z"
            )
            #expect(message.event == .test)
            #expect(
                NotificationMessage.test(channelName: "x", sentAt: notifyTestDate).body.hasPrefix(
                    "Test notification for channel \"x\"\n"
                )
            )
        }

        @Test func discordPayload() {
            #expect(
                text(DiscordPayload.json(for: down, channelName: "Ops Discord"))
                    == #"{"username":"Ops","embeds":[{"title":"api is DOWN","description":"Monitor: api\nRegion: eu-west\n"#
                    + #"Status: DOWN\n\nLatency: 120ms\nChecked at: 2026-12-04T18:03:44Z\n\nDetails: HTTP status code: 503","#
                    + #""color":15158332}]}"#
            )
            #expect(DiscordPayload.username("DISCORD") == "Knocker")
            #expect(DiscordPayload.username("  my discord alerts Discord ") == "my  alerts")
            #expect(DiscordPayload.username("Ärger-Discordbot") == "Ärger-bot")
            #expect(DiscordPayload.color(for: .up) == 0x2ECC71)
            #expect(DiscordPayload.color(for: .timeout) == 0xF1C40F)
            #expect(DiscordPayload.color(for: .down) == 0xE74C3C)
            let long = NotificationMessage(
                monitorName: String(repeating: "m", count: 300),
                regionName: "eu",
                status: .down,
                latencyMs: 0,
                checkedAt: notifyTestDate
            )
            let json = text(DiscordPayload.json(for: long, channelName: "x"))
            #expect(json.contains("\"title\":\"" + String(repeating: "m", count: 255) + "…\""))
        }

        @Test func telegramPayload() {
            #expect(
                TelegramPayload.url(base: "https://api.telegram.org/", botToken: "1:abc")
                    == "https://api.telegram.org/bot1:abc/sendMessage"
            )
            #expect(
                text(TelegramPayload.json(for: down, chatID: "-100"))
                    == #"{"chat_id":"-100","text":"api is DOWN\n\nMonitor: api\nRegion: eu-west\nStatus: DOWN\n\n"#
                    + #"Latency: 120ms\nChecked at: 2026-12-04T18:03:44Z\n\nDetails: HTTP status code: 503"}"#
            )
        }

        @Test func slackPayloadEscapesMarkup() {
            let message = NotificationMessage(
                monitorName: "a<b>&c",
                regionName: "eu",
                status: .timeout,
                latencyMs: 0,
                checkedAt: notifyTestDate
            )
            #expect(
                text(SlackPayload.json(for: message))
                    == #"{"text":"*a&lt;b&gt;&amp;c is TIMEOUT*\nMonitor: a&lt;b&gt;&amp;c\nRegion: eu\nStatus: TIMEOUT\n\n"#
                    + #"Checked at: 2026-12-04T18:03:44Z"}"#
            )
        }

        @Test func webhookPayloadAndSignature() {
            let body = WebhookPayload.json(for: down)
            #expect(
                text(body)
                    == #"{"version":1,"event":"monitor.down","title":"api is DOWN","text":"Monitor: api\nRegion: eu-west\n"#
                    + #"Status: DOWN\n\nLatency: 120ms\nChecked at: 2026-12-04T18:03:44Z\n\nDetails: HTTP status code: 503","#
                    + #""monitor":{"id":"123","name":"api"},"region":"eu-west","status":"down","latency_ms":120,"#
                    + #""checked_at":"2026-12-04T18:03:44Z","detail":"HTTP status code: 503","incident_id":"456"}"#
            )
            let test = NotificationMessage.test(channelName: "hook", sentAt: notifyTestDate)
            #expect(
                text(WebhookPayload.json(for: test))
                    == #"{"version":1,"event":"test","title":"Knocker notification test","#
                    + #""text":"Test notification for channel \"hook\"\nSent at: 2026-12-04T18:03:44Z","monitor":null,"#
                    + #""region":null,"status":null,"latency_ms":null,"checked_at":"2026-12-04T18:03:44Z","detail":null,"#
                    + #""incident_id":null}"#
            )
            let config = WebhookChannelConfig(url: "http://x", secret: "s3cret", headers: ["X-B": "2", "X-A": "1"])
            let headers = WebhookPayload.headers(
                config: config,
                event: .monitorDown,
                timestamp: 1_796_407_424,
                body: body
            )
            let expected =
                "sha256="
                + Digest.hex(referenceHMAC(key: Array("s3cret".utf8), message: Array("1796407424.".utf8) + body))
            #expect(
                headers == [
                    "Content-Type: application/json", "X-Knocker-Event: monitor.down",
                    "X-Knocker-Timestamp: 1796407424",
                    "X-Knocker-Signature: \(expected)", "X-A: 1", "X-B: 2",
                ]
            )
            let unsigned = WebhookPayload.headers(
                config: WebhookChannelConfig(url: "http://x"),
                event: .test,
                timestamp: 5,
                body: body
            )
            #expect(unsigned == ["Content-Type: application/json", "X-Knocker-Event: test", "X-Knocker-Timestamp: 5"])
        }

        @Test func hmacMatchesRFC4231AndTheReference() {
            // RFC 4231 test case 2.
            #expect(
                Digest.hex(
                    Digest.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
                )
                    == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
            )
            let longKey = [UInt8](repeating: 0xAA, count: 131)
            for (key, message) in [([UInt8](), [UInt8]()), (longKey, Array("x".utf8)), (Array("k".utf8), [UInt8]())] {
                #expect(Digest.hmacSHA256(key: key, message: message) == referenceHMAC(key: key, message: message))
            }
        }

        let emailConfig = EmailChannelConfig(
            smtpURL: "smtp://127.0.0.1:25",
            from: "alerts@example.com",
            to: ["ops@example.com", "oncall@example.com"],
            startTLS: .off
        )

        @Test func emailMessageBytes() {
            let data = EmailPayload.message(
                for: down,
                config: emailConfig,
                date: notifyTestDate,
                messageID: "id.1@example.com"
            )
            #expect(
                text(data)
                    == "From: Knocker <alerts@example.com>\r\nTo: ops@example.com, oncall@example.com\r\n"
                    + "Subject: api is DOWN\r\nDate: Fri, 04 Dec 2026 18:03:44 +0000\r\nMessage-ID: <id.1@example.com>\r\n"
                    + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n"
                    + "X-Knocker-Event: monitor.down\r\n\r\n"
                    + "Monitor: api\r\nRegion: eu-west\r\nStatus: DOWN\r\n\r\nLatency: 120ms\r\n"
                    + "Checked at: 2026-12-04T18:03:44Z\r\n\r\nDetails: HTTP status code: 503\r\n"
            )
        }

        @Test func emailEncodesNonASCII() {
            var config = emailConfig
            config.fromName = "Überwachung"
            config.to = ["ops@example.com"]
            let message = NotificationMessage(
                monitorName: "Café API",
                regionName: "eu",
                status: .down,
                latencyMs: 0,
                checkedAt: notifyTestDate,
                detail: "a=b"
            )
            let data = text(EmailPayload.message(for: message, config: config, date: notifyTestDate, messageID: "m@x"))
            #expect(
                data
                    == "From: =?utf-8?B?w5xiZXJ3YWNodW5n?= <alerts@example.com>\r\nTo: ops@example.com\r\n"
                    + "Subject: =?utf-8?B?Q2Fmw6kgQVBJIGlzIERPV04=?=\r\nDate: Fri, 04 Dec 2026 18:03:44 +0000\r\n"
                    + "Message-ID: <m@x>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Transfer-Encoding: quoted-printable\r\nX-Knocker-Event: monitor.down\r\n\r\n"
                    + "Monitor: Caf=C3=A9 API\r\nRegion: eu\r\nStatus: DOWN\r\n\r\n"
                    + "Checked at: 2026-12-04T18:03:44Z\r\n\r\nDetails: a=3Db\r\n"
            )
            #expect(EmailPayload.headerText("a\r\nb\nc") == "a b c")
            #expect(EmailPayload.displayName("Ops, Inc \"x\"") == "\"Ops, Inc \\\"x\\\"\"")
            let words = EmailPayload.encodedWords(String(repeating: "é", count: 30))
            #expect(
                words == "=?utf-8?B?" + Data(String(repeating: "é", count: 22).utf8).base64EncodedString()
                    + "?=\r\n =?utf-8?B?"
                    + Data(String(repeating: "é", count: 8).utf8).base64EncodedString() + "?="
            )
            #expect(words.split(separator: "\r\n").allSatisfy { $0.count <= 76 })
        }

        @Test func quotedPrintableLines() {
            #expect(EmailPayload.quotedPrintable("tail ") == "tail=20")
            #expect(EmailPayload.quotedPrintable("ü\t") == "=C3=BC=09")
            let long = EmailPayload.quotedPrintable(String(repeating: "x", count: 80) + "é")
            #expect(long == String(repeating: "x", count: 75) + "=\r\n" + "xxxxx=C3=A9")
            let lines = EmailPayload.quotedPrintable(String(repeating: "é", count: 40)).components(separatedBy: "\r\n")
            #expect(lines.allSatisfy { $0.count <= 76 })
            #expect(lines.dropLast().allSatisfy { $0.hasSuffix("=") && !$0.hasSuffix("==") })
        }

        @Test func rfc5322Date() {
            #expect(EmailPayload.rfc5322Date(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
            let id = EmailPayload.newMessageID(from: "a@example.com", date: notifyTestDate)
            #expect(id.hasPrefix("knocker.1796407424.") && id.hasSuffix("@example.com") && id.count == 19 + 16 + 12)
        }

        @Test func anIncidentsNotificationKeepsItsMessageIDAcrossDeliveries() {
            var down = notifyTestMessage
            down.incidentID = 77
            let first = EmailPayload.messageID(
                for: down,
                channelID: 5,
                from: "alerts@example.com",
                date: notifyTestDate
            )
            let again = EmailPayload.messageID(for: down, channelID: 5, from: "alerts@example.com", date: Date())
            #expect(first == "knocker.incident-77.down.channel-5@example.com")
            #expect(again == first)
            var up = down
            up.event = .monitorUp
            #expect(
                EmailPayload.messageID(for: up, channelID: 5, from: "alerts@example.com", date: notifyTestDate)
                    == "knocker.incident-77.up.channel-5@example.com"
            )
            // Without an incident (a test message): a fresh ID each time.
            let test = notifyTestMessage
            let one = EmailPayload.messageID(for: test, channelID: 5, from: "alerts@example.com", date: notifyTestDate)
            let two = EmailPayload.messageID(for: test, channelID: 5, from: "alerts@example.com", date: notifyTestDate)
            #expect(one != two)
        }
    }
}

/// HMAC-SHA256 built from SHA-256 (RFC 2104), independent of OpenSSL's HMAC, to check the signature.
func referenceHMAC(key: [UInt8], message: [UInt8]) -> [UInt8] {
    var block = key.count > 64 ? Digest.sha256(key) : key
    block += [UInt8](repeating: 0, count: 64 - block.count)
    let inner = Digest.sha256(block.map { $0 ^ 0x36 } + message)
    return Digest.sha256(block.map { $0 ^ 0x5C } + inner)
}
