import Foundation
import Testing

@testable import KnockerKit

extension CheckTests {
    @Suite("HTTP check: TLS")
    struct HTTPCheckTLSTests {
        @Test func certificateExpiryAndVerification() async throws {
            let server = try await offPool { try TestTLSServer(days: 5) }
            var config = HTTPMonitorConfig(url: "https://127.0.0.1:\(server.port)/", requestTimeout: 10)
            config.ignoreTLSError = true
            let ok = await CheckTests.loop.perform(HTTPCheckRequest(config: config))
            config.expectedTLSDays = 14
            let expiring = await CheckTests.loop.perform(HTTPCheckRequest(config: config))
            config.expectedTLSDays = 3
            let enough = await CheckTests.loop.perform(HTTPCheckRequest(config: config))
            config.ignoreTLSError = false
            config.expectedTLSDays = nil
            let unverified = await CheckTests.loop.perform(HTTPCheckRequest(config: config))
            try await offPool { server.stop() }

            #expect(ok.status == .successful, "\(ok.message ?? "")")
            #expect(ok.timings.tls > .zero)
            let expiry = try #require(ok.certificateExpiry)
            #expect(expiry > Date(timeIntervalSinceNow: 4 * 86_400))
            #expect(expiry < Date(timeIntervalSinceNow: 6 * 86_400))
            #expect(expiring.status == .failed)
            #expect(expiring.message == "TLS certificate expires in 4 days (expected at least 14)")
            #expect(enough.status == .successful)
            #expect(unverified.status == .failed)
            #expect(unverified.message?.hasPrefix("TLS certificate problem: ") == true, "\(unverified.message ?? "")")
        }

        @Test func parsesCertificateDates() {
            let date = HTTPCheck.parseCertificateDate("Mar  5 17:00:00 2027 GMT")
            #expect(date == Date(timeIntervalSince1970: 1_804_266_000))
            #expect(HTTPCheck.parseCertificateDate("garbage") == nil)
        }
    }
}
