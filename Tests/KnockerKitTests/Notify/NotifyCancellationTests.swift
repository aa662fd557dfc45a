import Foundation
import Testing

@testable import KnockerKit

extension NotifyTests {
    /// Cancelling the task of a delivery that is waiting for an answer aborts the transfer at once, and frees its
    /// thread for the next delivery.
    @Suite("Notification delivery: cancellation")
    struct CancellationTests {
        let message = notifyTestMessage

        func webhook(_ url: String) -> NotificationChannel {
            NotificationChannel(id: 20, name: "hook", config: .webhook(WebhookChannelConfig(url: url)))
        }

        @Test func aRunningDeliveryIsAbortedWhenItsTaskIsCancelled() async throws {
            let receiver = try #require(NotifyReceiver.shared, "the test receiver could not listen")
            let path = "/hang/cancel-\(UUID().uuidString)"
            // One thread and a timeout far beyond the test: only the cancellation can end the delivery.
            let sender = NotificationSender(threads: 1, timeout: .seconds(120))
            defer { sender.shutdown() }
            let channel = webhook(receiver.url(path))
            let message = message
            let delivery = Task { await deliver(message, via: channel, with: sender) }
            try await eventually("the receiver holds the request", timeout: .seconds(10)) {
                receiver.requests(at: path).count == 1
            }

            let cancelled = ContinuousClock.now
            delivery.cancel()
            let result = await delivery.value
            let took = cancelled.duration(to: .now)
            // Far below the timeout; the slack is for a busy cooperative pool resuming the tasks.
            #expect(took < .seconds(3), "the delivery ended \(took) after its task was cancelled")
            guard case .failure(let error) = result else {
                Issue.record("a delivery to a receiver that never answers succeeded: \(result)")
                return
            }
            #expect(error == .cancelled)
            #expect(error.isRetryable)
            #expect(error.description == "cancelled before the server answered")

            // The only delivery thread is free again.
            let ok = "/ok/\(UUID().uuidString)"
            let receipt = try await sender.send(message, via: webhook(receiver.url(ok)))
            #expect(receipt.statusCode == 200)
            #expect(receiver.requests(at: ok).count == 1)
        }

        @Test func aWaitingDeliveryIsDroppedWhenItsTaskIsCancelled() async throws {
            let receiver = try #require(NotifyReceiver.shared, "the test receiver could not listen")
            let hang = "/hang/busy-\(UUID().uuidString)"
            let waiting = "/ok/waiting-\(UUID().uuidString)"
            let sender = NotificationSender(threads: 1, timeout: .seconds(120))
            defer { sender.shutdown() }
            let message = message
            let busy = Task { [channel = webhook(receiver.url(hang))] in
                await deliver(message, via: channel, with: sender)
            }
            try await eventually("the receiver holds the first request", timeout: .seconds(10)) {
                receiver.requests(at: hang).count == 1
            }
            // The only thread is held until `busy` is cancelled: `queued` waits for it, and is cancelled meanwhile.
            let queued = Task { [channel = webhook(receiver.url(waiting))] in
                await deliver(message, via: channel, with: sender)
            }
            queued.cancel()
            let queuedResult = await queued.value
            busy.cancel()
            let busyResult = await busy.value
            guard case .failure(.cancelled) = queuedResult, case .failure(.cancelled) = busyResult else {
                Issue.record("both deliveries should end cancelled: \(queuedResult), \(busyResult)")
                return
            }
            #expect(receiver.requests(at: waiting).isEmpty, "a cancelled delivery that had not started was sent")
        }
    }

    /// TLS failures of HTTP deliveries are reported as such, worded as the check engine words them.
    @Suite("Notification delivery: TLS")
    struct WebhookTLSTests {
        @Test func anUntrustedCertificateIsATLSProblemNotAnUnreachableServer() async throws {
            let server = try await offPool { try TestTLSServer(days: 30) }
            let sender = NotificationSender(threads: 1, timeout: .seconds(10))
            defer { sender.shutdown() }
            let channel = NotificationChannel(
                id: 21,
                name: "hook",
                config: .webhook(WebhookChannelConfig(url: "https://127.0.0.1:\(server.port)/hook"))
            )
            let result: Result<DeliveryReceipt, NotificationError>
            do {
                result = .success(
                    try await sender.send(.test(channelName: "hook", sentAt: notifyTestDate), via: channel)
                )
            } catch {
                result = .failure(error)
            }
            _ = try? await offPool { server.stop() }
            guard case .failure(let error) = result, case .tls(let text) = error else {
                Issue.record("expected a TLS error, got \(result)")
                return
            }
            #expect(text == "TLS certificate problem: self-signed certificate", "\(text)")
            #expect(error.description == text)
            #expect(error.isRetryable)
        }

        @Test func tlsFailuresAreWordedLikeTheCheckEngines() {
            let untrusted = NotificationError.tlsFailure(
                detail: "SSL certificate problem: unable to get local issuer certificate",
                isCertificate: true
            )
            #expect(untrusted == .tls("TLS certificate problem: unable to get local issuer certificate"))
            let otherHost = NotificationError.tlsFailure(
                detail: "SSL: no alternative certificate subject name matches target host name 'example.org'",
                isCertificate: true
            )
            #expect(otherHost == .tls("TLS certificate is for another host: it does not name example.org"))
            let handshake = NotificationError.tlsFailure(
                detail: "OpenSSL/3.0.11: error:0A00010B:SSL routines::wrong version number",
                isCertificate: false
            )
            #expect(
                handshake
                    == .tls("TLS handshake failed: OpenSSL/3.0.11: error:0A00010B:SSL routines::wrong version number")
            )
        }
    }
}
