import Foundation
import Synchronization
import Testing

@testable import KnockerKit

extension CheckTests {
    @Suite("Socket loop: operations, timers, readiness, cancellation")
    struct SocketLoopTests {
        @Test func timersFireInDeadlineOrder() async {
            let loop = SocketLoop(name: "test-probe")
            let order = await loop.run(
                { (completion: SocketLoop.Completion<[Int]>) in
                    var fired: [Int] = []
                    let cancelled = loop.schedule(after: .milliseconds(5)) { fired.append(99) }
                    for (index, delay) in [30, 10, 20, 0].enumerated() {
                        _ = loop.schedule(after: .milliseconds(delay)) {
                            fired.append(index)
                            if fired.count == 4 { completion(fired) }
                        }
                    }
                    cancelled.cancel()
                },
                cancelled: { _ in [] }
            )
            #expect(order == [3, 1, 2, 0])
            await loop.shutdown()
        }

        @Test func udpEchoThroughWatchedSockets() async throws {
            let loop = SocketLoop(name: "test-probe")
            let reply = await loop.run(
                { (completion: SocketLoop.Completion<String>) in
                    do {
                        let server = try Socket(family: .v4, kind: .datagram)
                        let client = try Socket(family: .v4, kind: .datagram)
                        guard let serverAddress = Self.bindLoopback(server) else {
                            completion("bind failed")
                            return
                        }
                        loop.watch(server.fd, for: .readable) { _ in
                            guard let (bytes, sender) = try? server.receiveFrom(limit: 100), let sender else { return }
                            _ = try? server.send(bytes + Array(" back".utf8), to: sender)
                        }
                        _ = try client.connect(to: serverAddress)
                        loop.watch(client.fd, for: .readable) { _ in
                            guard let bytes = try? client.receive(limit: 100) else { return }
                            loop.unwatch(client.fd)
                            loop.unwatch(server.fd)
                            client.close()
                            server.close()
                            completion(String(decoding: bytes, as: UTF8.self))
                        }
                        _ = try client.send(Array("hello".utf8)[...])
                    } catch {
                        completion("\(error)")
                    }
                },
                cancelled: { $0 }
            )
            #expect(reply == "hello back")
            await loop.shutdown()
        }

        @Test func cancellationRunsTheOperationsCleanup() async {
            let loop = SocketLoop(name: "test-probe")
            let cleaned = Mutex(false)
            let started = AsyncStream<Void>.makeStream()
            let task = Task {
                await loop.run(
                    { (completion: SocketLoop.Completion<String>) in
                        let timer = loop.schedule(after: .seconds(60)) { completion("timer") }
                        completion.onCancel = {
                            timer.cancel()
                            cleaned.withLock { $0 = true }
                        }
                        started.continuation.yield()
                    },
                    cancelled: { $0 }
                )
            }
            for await _ in started.stream { break }
            task.cancel()
            #expect(await task.value == "check cancelled")
            #expect(cleaned.withLock { $0 })
            await loop.shutdown()
        }

        @Test func shutdownEndsOperationsInFlightAndRefusesNewOnes() async {
            let loop = SocketLoop(name: "test-probe")
            let started = AsyncStream<Void>.makeStream()
            let pending = Task {
                await loop.run(
                    { (_: SocketLoop.Completion<String>) in started.continuation.yield() },
                    cancelled: { $0 }
                )
            }
            for await _ in started.stream { break }
            await loop.shutdown()
            #expect(await pending.value == "shutting down")
            let later = await loop.run(
                { (completion: SocketLoop.Completion<String>) in completion("ran") },
                cancelled: { $0 }
            )
            #expect(later == "shutting down")
        }

        @Test func resolvesLiteralsAndLocalhost() async throws {
            let resolver = HostResolver(threads: 1)
            defer { resolver.shutdown() }
            #expect(try await resolver.resolve("127.0.0.1", port: 80) == [SocketAddress(ip: "127.0.0.1", port: 80)!])
            #expect(try await resolver.resolve("[::1]").first?.family == .v6)
            await #expect(throws: ResolveError.noAddress(host: "::1", family: .v4)) {
                try await resolver.resolve("::1", ipVersion: .v4)
            }
            let local = try await resolver.resolve("localhost", ipVersion: .v4, timeout: .seconds(10))
            #expect(local.first?.ip == "127.0.0.1")
            await #expect(throws: ResolveError.self) { try await resolver.resolve("no-such-host.invalid") }
            #expect(
                ResolveError.timedOut(host: "slow.example", seconds: 5).description
                    == "DNS lookup for host slow.example timed out after 5 s"
            )
        }

        @Test func formatsAddresses() {
            #expect(SocketAddress(ip: "192.0.2.1", port: 53)?.description == "192.0.2.1:53")
            #expect(SocketAddress(ip: "2001:db8::1", port: 53)?.description == "[2001:db8::1]:53")
            #expect(SocketAddress(ip: "example.org") == nil)
            #expect(SocketAddress(ip: "1.2.3") == nil)
        }

        /// Binds `socket` to 127.0.0.1 on a free port and returns the address.
        static func bindLoopback(_ socket: Socket) -> SocketAddress? {
            guard let any = SocketAddress(ip: "127.0.0.1"), socket.bind(to: any) else { return nil }
            return socket.localAddress()
        }
    }
}
