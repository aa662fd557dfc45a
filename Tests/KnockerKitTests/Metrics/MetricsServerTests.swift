import Foundation
import Testing

@testable import KnockerKit

extension MetricsTests {
    @Suite("Metrics server")
    struct Server {
        /// A server on a free loopback port with one counter source.
        static func started(_ registry: MetricsRegistry = MetricsRegistry()) throws -> (MetricsServer, UInt16) {
            registry.register { [.counter("knocker_test_requests_total", "Test counter.", 3)] }
            let server = MetricsServer(registry: registry)
            let address = try server.start(listen: "127.0.0.1:0")
            #expect(address.port != 0)
            #expect(server.address == address)
            return (server, address.port)
        }

        @Test func servesTheRegisteredSamplesAtMetrics() async throws {
            let registry = MetricsRegistry()
            let (server, port) = try Self.started(registry)
            defer { server.stop() }
            registry.register {
                [
                    MetricFamily(
                        name: "knocker_late",
                        help: "Added after start.",
                        kind: .gauge,
                        samples: [MetricSample(1.5)]
                    )
                ]
            }
            let response = try await offPool { try RawHTTP.request("GET", "/metrics", port: port) }
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(
                response.body.contains("# TYPE knocker_test_requests_total counter\nknocker_test_requests_total 3\n")
            )
            #expect(response.body.contains("knocker_late 1.5\n"))
            let query = try await offPool { try RawHTTP.request("GET", "/metrics?name=x", port: port) }
            #expect(query.status == 200)
        }

        @Test func otherPathsAre404AndHeadHasNoBody() async throws {
            let (server, port) = try Self.started()
            defer { server.stop() }
            for path in ["/", "/metric", "/metrics/", "/favicon.ico"] {
                let response = try await offPool { try RawHTTP.request("GET", path, port: port) }
                #expect(response.status == 404, "\(path)")
                #expect(!response.body.contains("knocker_test"), "\(path)")
            }
            let head = try await offPool { try RawHTTP.request("HEAD", "/metrics", port: port) }
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
        }

        @Test func methodsWithBodiesAreRefused() async throws {
            let (server, port) = try Self.started()
            defer { server.stop() }
            for method in ["POST", "PUT", "DELETE"] {
                let body = String(repeating: "x", count: 100_000)
                let response = try await offPool { try RawHTTP.request(method, "/metrics", port: port, body: body) }
                #expect(response.status == 405, "\(method)")
                #expect(response.headers["allow"] == "GET, HEAD")
            }
            // The server still answers afterwards.
            let response = try await offPool { try RawHTTP.request("GET", "/metrics", port: port) }
            #expect(response.status == 200)
        }

        @Test func concurrentScrapesAllSucceed() async throws {
            let (server, port) = try Self.started()
            defer { server.stop() }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<32 {
                    group.addTask { try await offPool { try RawHTTP.request("GET", "/metrics", port: port) }.status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 32))
        }

        @Test func anAddressInUseIsAClearError() throws {
            let (server, port) = try Self.started()
            defer { server.stop() }
            let second = MetricsServer()
            #expect {
                try second.start(listen: "127.0.0.1:\(port)")
            } throws: { error in
                "\(error)" == "cannot listen on 127.0.0.1:\(port): address already in use"
            }
            #expect(second.address == nil)
            #expect(throws: MetricsServerError.self) { try server.start(listen: "127.0.0.1:0") }
        }

        @Test func stopReleasesThePort() async throws {
            let (server, port) = try Self.started()
            server.stop()
            server.stop()
            #expect(server.address == nil)
            let again = MetricsServer()
            defer { again.stop() }
            let address = try again.start(listen: "127.0.0.1:\(port)")
            #expect(address.port == port)
            let response = try await offPool { try RawHTTP.request("GET", "/metrics", port: port) }
            #expect(response.status == 200)
        }

        @Test func anAddressNotOnThisMachineIsAClearError() {
            #expect {
                try MetricsServer().start(listen: "192.0.2.1:9464")
            } throws: { error in
                "\(error)" == "cannot listen on 192.0.2.1:9464: cannot assign requested address"
            }
        }

        @Test(arguments: [
            ("127.0.0.1:9464", "127.0.0.1:9464"),
            ("localhost:9464", "127.0.0.1:9464"),
            (":9464", "0.0.0.0:9464"),
            ("0.0.0.0:1", "0.0.0.0:1"),
            ("[::1]:9464", "[::1]:9464"),
            ("[::]:0", "[::]:0"),
        ])
        func listenAddressesParse(text: String, expected: String) throws {
            #expect(try MetricsServer.parseListenAddress(text).description == expected)
        }

        @Test(arguments: [
            "", "9464", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:http",
            "example.com:9464", "::1:9464", "[127.0.0.1]:9464", "1.2.3:80",
        ])
        func invalidListenAddressesAreRefused(text: String) {
            #expect(throws: MetricsServerError.self) { try MetricsServer.parseListenAddress(text) }
        }

        @Test func configRefusesABadMetricsListen() throws {
            #expect {
                try Config.load(
                    flags: [:],
                    environment: ["METRICS_LISTEN": "example.com:80"],
                    dotEnv: nil,
                    derivedMachineID: 1
                )
            } throws: { error in
                "\(error)".hasPrefix("invalid METRICS_LISTEN 'example.com:80' (from environment): expected host:port")
            }
            let config = try Config.load(
                flags: [:],
                environment: ["METRICS_LISTEN": "127.0.0.1:9464"],
                dotEnv: nil,
                derivedMachineID: 1
            )
            #expect(config.metricsListen?.description == "127.0.0.1:9464")
            let unset = try Config.load(flags: [:], environment: [:], dotEnv: nil, derivedMachineID: 1)
            #expect(unset.metricsListen == nil)
        }
    }
}
