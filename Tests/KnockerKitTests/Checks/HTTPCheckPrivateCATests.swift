import Foundation
import Testing

@testable import KnockerKit

extension CheckTests {
    /// Certificates issued at test time by a throwaway CA, checked by a loop that trusts that CA (`caFile`).
    @Suite("HTTP check: private CA")
    struct HTTPCheckPrivateCATests {
        /// Serves a certificate issued by a new CA with `subjectAltName` and the given validity, and checks
        /// `https://127.0.0.1:<port>/` with a loop trusting that CA and with the shared loop (system store).
        private static func check(
            subjectAltName: String = "IP:127.0.0.1,DNS:localhost",
            notBefore: Date = Date(timeIntervalSinceNow: -86_400),
            notAfter: Date = Date(timeIntervalSinceNow: 10 * 86_400),
            _ adjust: (inout HTTPMonitorConfig) -> Void = { _ in }
        ) async throws -> (trusting: HTTPCheckResult, system: HTTPCheckResult) {
            let (authority, server) = try await offPool {
                let authority = try TestCertificateAuthority()
                do {
                    let leaf = try authority.issue(
                        name: "leaf",
                        subjectAltName: subjectAltName,
                        notBefore: notBefore,
                        notAfter: notAfter
                    )
                    return (authority, try TestTLSServer(certificate: leaf.certificate, key: leaf.key))
                } catch {
                    authority.remove()
                    throw error
                }
            }
            var config = HTTPMonitorConfig(url: "https://127.0.0.1:\(server.port)/", requestTimeout: 10)
            adjust(&config)
            let loop = CurlMultiLoop(options: .init(caFile: authority.certificate))
            let trusting = await loop.perform(HTTPCheckRequest(config: config))
            let system = await CheckTests.loop.perform(HTTPCheckRequest(config: config))
            await loop.shutdown()
            try await offPool {
                server.stop()
                authority.remove()
            }
            return (trusting, system)
        }

        @Test func certificateFromTrustedCAVerifies() async throws {
            let (trusting, system) = try await Self.check()
            #expect(trusting.status == .successful, "\(trusting.message ?? "")")
            #expect(trusting.timings.tls > .zero)
            let expiry = try #require(trusting.certificateExpiry)
            #expect(abs(expiry.timeIntervalSinceNow - 10 * 86_400) < 3_600)
            #expect(system.status == .failed, "the system store does not know the test CA")
            #expect(system.message?.hasPrefix("TLS certificate problem: ") == true, "\(system.message ?? "")")
        }

        @Test func certificateForAnotherHostFails() async throws {
            let (trusting, _) = try await Self.check(subjectAltName: "DNS:wrong.example")
            #expect(trusting.status == .failed)
            #expect(
                trusting.message == "TLS certificate is for another host: it does not name 127.0.0.1",
                "\(trusting.message ?? "")"
            )
        }

        @Test func expiredCertificateFails() async throws {
            let (trusting, _) = try await Self.check(
                notBefore: Date(timeIntervalSinceNow: -30 * 86_400),
                notAfter: Date(timeIntervalSinceNow: -86_400)
            )
            #expect(trusting.status == .failed)
            #expect(trusting.message == "TLS certificate problem: certificate has expired", "\(trusting.message ?? "")")
        }

        @Test func ignoreTLSErrorSkipsVerificationDespiteTheCAFile() async throws {
            let (trusting, system) = try await Self.check(subjectAltName: "DNS:wrong.example") {
                $0.ignoreTLSError = true
            }
            #expect(trusting.status == .successful, "\(trusting.message ?? "")")
            #expect(system.status == .successful, "\(system.message ?? "")")
        }
    }
}
