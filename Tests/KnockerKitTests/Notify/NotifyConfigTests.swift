import Foundation
import Testing

@testable import KnockerKit

extension NotifyTests {
    @Suite("Notification channel configs")
    struct ConfigTests {
        func decode(_ type: NotificationType, _ json: String) throws -> NotificationChannelConfig {
            try NotificationChannelConfig.decode(type: type, json: Array(json.utf8))
        }

        func issues(_ type: NotificationType, _ json: String) -> [ConfigIssue] {
            do {
                return try NotificationChannelConfig.decodeAndValidate(type: type, json: Array(json.utf8)).validate()
            } catch {
                return error.issues
            }
        }

        @Test func originalShapesDecodeAndRoundTrip() throws {
            let discord = try decode(.discord, #"{"webhook_url":"https://discord.com/api/webhooks/1/tok"}"#)
            #expect(discord == .discord(DiscordChannelConfig(webhookURL: "https://discord.com/api/webhooks/1/tok")))
            #expect(text(try discord.json()) == #"{"webhook_url":"https://discord.com/api/webhooks/1/tok"}"#)
            let telegram = try decode(.telegram, #"{"bot_token":"1:abc","chat_id":"-100"}"#)
            #expect(telegram == .telegram(TelegramChannelConfig(botToken: "1:abc", chatID: "-100")))
            #expect(try decode(.telegram, #"{"bot_token":"1:abc","chat_id":-100}"#) == telegram)
            #expect(telegram.type == .telegram)
        }

        @Test func newShapesDecodeWithDefaults() throws {
            let webhook = try decode(.webhook, #"{"url":"https://h.example/x"}"#)
            #expect(webhook == .webhook(WebhookChannelConfig(url: "https://h.example/x")))
            #expect(text(try webhook.json()) == #"{"url":"https://h.example/x"}"#)
            let email = try decode(
                .email,
                #"{"smtp_url":"smtps://mail.example.com","from":"a@example.com","to":["b@example.com"]}"#
            )
            #expect(
                email
                    == .email(
                        EmailChannelConfig(
                            smtpURL: "smtps://mail.example.com",
                            from: "a@example.com",
                            to: ["b@example.com"]
                        )
                    )
            )
            #expect(
                text(try email.json())
                    == #"{"from":"a@example.com","from_name":"Knocker","smtp_url":"smtps://mail.example.com","starttls":"required","to":["b@example.com"]}"#
            )
            #expect(try decode(.slack, #"{"webhook_url":"https://hooks.slack.com/services/T/B/x"}"#).validate().isEmpty)
        }

        @Test func unknownKeysAndWrongTypesNameTheField() {
            #expect(
                issues(.discord, #"{"webhook_ur":"https://x"}"#) == [
                    ConfigIssue(
                        field: "webhook_ur",
                        message: "unknown field (did you mean \"webhook_url\"?); known fields: webhook_url"
                    )
                ]
            )
            #expect(
                issues(.telegram, #"{"bot_token":"1:a"}"#) == [ConfigIssue(field: "chat_id", message: "is required")]
            )
            #expect(
                issues(.webhook, #"{"url":"http://x","headers":{"A":1}}"#) == [
                    ConfigIssue(field: "headers.A", message: "must be a string")
                ]
            )
            #expect(
                issues(.email, #"{"smtp_url":"smtp://x","from":"a@x","to":["b@x"],"starttls":"maybe"}"#) == [
                    ConfigIssue(field: "starttls", message: "must be required, optional or off (got \"maybe\")")
                ]
            )
            do {
                _ = try NotificationChannelConfig.decode(type: .slack, json: Array("[]".utf8))
                Issue.record("decoded a list")
            } catch {
                #expect(error.description == "invalid notification config: config must be a JSON object")
            }
        }

        @Test func validation() {
            #expect(
                issues(.discord, #"{"webhook_url":"ftp://x"}"#) == [
                    ConfigIssue(field: "webhook_url", message: "must start with http:// or https:// (got \"ftp://x\")")
                ]
            )
            #expect(issues(.telegram, #"{"bot_token":"1/x","chat_id":""}"#).map(\.field) == ["bot_token", "chat_id"])
            #expect(
                issues(
                    .webhook,
                    #"{"url":"http://x","secret":"","headers":{"Content-Type":"a","X-Ok":"a\nb","bad name":"v"}}"#
                )
                    == [
                        ConfigIssue(field: "secret", message: "must not be empty; leave it out instead"),
                        ConfigIssue(
                            field: "headers.Content-Type",
                            message: "is set by Knocker and cannot be overridden"
                        ),
                        ConfigIssue(
                            field: "headers.X-Ok",
                            message: "header value must not contain CR, LF or NUL characters"
                        ),
                        ConfigIssue(
                            field: "headers.bad name",
                            message:
                                "header name must be a token (letters, digits and !#$%&'*+-.^_`|~) (got \"bad name\")"
                        ),
                    ]
            )
            let emailIssues = issues(
                .email,
                #"{"smtp_url":"smtp://u:p@x/path","password":"p","from":"Knocker <a@x>","to":["ok@example.com","b"],"starttls":"optional"}"#
            )
            #expect(
                emailIssues.map(\.description) == [
                    "smtp_url: must not contain credentials; use username and password",
                    "password: needs a username",
                    "password: is only sent over TLS: use an smtps:// URL or starttls \"required\"",
                    "from: must be a bare ASCII address like ops@example.com, without a display name (got \"Knocker <a@x>\")",
                    "to[1]: must be an address like ops@example.com (got \"b\")",
                ]
            )
            #expect(
                issues(.email, #"{"smtp_url":"smtps://x:465","from":"a@x","to":[],"starttls":"off"}"#).map(
                    \.description
                ) == [
                    "to: must list at least one address",
                    "starttls: cannot be off with smtps://, which always uses TLS; use smtp:// for a plain connection",
                ]
            )
            #expect(
                issues(
                    .email,
                    #"{"smtp_url":"smtp://mail.example.com:587","username":"u","password":"p","from":"a@x","to":["b@x"]}"#
                ).isEmpty
            )
        }

        @Test func maskedHidesSecrets() throws {
            let discord = NotificationChannelConfig.discord(
                DiscordChannelConfig(webhookURL: "https://discord.com/api/webhooks/1/tok/")
            )
            #expect(
                discord.masked()
                    == .discord(DiscordChannelConfig(webhookURL: "https://discord.com/api/webhooks/1/********"))
            )
            let slack = NotificationChannelConfig.slack(
                SlackChannelConfig(webhookURL: "https://hooks.slack.com/services/T/B/sec")
            )
            #expect(
                slack.masked()
                    == .slack(SlackChannelConfig(webhookURL: "https://hooks.slack.com/services/T/B/********"))
            )
            #expect(
                NotificationChannelConfig.telegram(TelegramChannelConfig(botToken: "123:abc", chatID: "9")).masked()
                    == .telegram(TelegramChannelConfig(botToken: "123:********", chatID: "9"))
            )
            #expect(
                NotificationChannelConfig.webhook(
                    WebhookChannelConfig(
                        url: "https://u:pw@h.example/x?token=1",
                        secret: "s",
                        headers: ["Authorization": "Bearer t"]
                    )
                ).masked()
                    == .webhook(
                        WebhookChannelConfig(
                            url: "https://u:****@h.example/x?********",
                            secret: "********",
                            headers: ["Authorization": "********"]
                        )
                    )
            )
            let email = EmailChannelConfig(smtpURL: "smtps://m", username: "u", password: "p", from: "a@x", to: ["b@x"])
            #expect(
                NotificationChannelConfig.email(email).masked()
                    == .email(
                        EmailChannelConfig(
                            smtpURL: "smtps://m",
                            username: "u",
                            password: "********",
                            from: "a@x",
                            to: ["b@x"]
                        )
                    )
            )
        }
    }
}
