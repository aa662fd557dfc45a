import CSystem
import Foundation
import Synchronization
import Testing

@testable import KnockerKit

extension CheckTests {
    /// The loop and resolver the ping tests share.
    static let pingLoop = SocketLoop(name: "test-ping")
    static let pingResolver = HostResolver(threads: 2)
    /// A checker with 20 ms between packets, using the real sockets.
    static let pinger = PingChecker(loop: pingLoop, resolver: pingResolver, interval: .milliseconds(20))

    /// A checker of its own whose sends go through `send` (to drop or fail packets).
    static func pinger(
        kinds: Socket.ICMPKinds = .datagramThenRaw,
        send: @escaping ICMPSend = ICMPChannel.systemSend
    ) -> PingChecker {
        PingChecker(loop: pingLoop, resolver: pingResolver, interval: .milliseconds(20), kinds: kinds, send: send)
    }

    /// True when this process may open an unprivileged ICMP datagram socket (its group is inside
    /// `net.ipv4.ping_group_range`).
    static var datagramICMPAllowed: Bool {
        guard let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ping_group_range", encoding: .utf8) else {
            return false
        }
        let bounds = text.split(whereSeparator: \.isWhitespace).compactMap { UInt32($0) }
        guard bounds.count == 2 else { return false }
        return bounds[0] <= getgid() && getgid() <= bounds[1]
    }
}

extension CheckTests {
    @Suite("Ping: ICMP echo on the socket loop (needs root or ping_group_range)")
    struct PingCheckerTests {
        @Test func pingsIPv4Loopback() async {
            let result = await CheckTests.pinger.perform(
                PingMonitorConfig(host: "127.0.0.1", timeoutSeconds: 5, count: 3)
            )
            #expect(result.status == .successful, "\(result.message ?? "")")
            #expect(result.message == nil)
            #expect(result.address?.ip == "127.0.0.1")
            #expect(result.sent == 3)
            #expect(result.received == 3)
            #expect(result.lossPercent == 0)
            #expect(result.rtts.count == 3)
            #expect(result.rtts.allSatisfy { $0 != nil && $0! > .zero && $0! < .seconds(5) })
            #expect(result.averageRTT != nil)
        }

        @Test func pingsIPv6Loopback() async {
            let result = await CheckTests.pinger.perform(PingMonitorConfig(host: "::1", count: 3, ipVersion: .v6))
            #expect(result.status == .successful, "\(result.message ?? "")")
            #expect(result.address?.ip == "::1")
            #expect(result.received == 3)
            #expect(result.rtts.allSatisfy { $0 != nil })
        }

        @Test func resolvesNamesAndHonoursIPVersion() async {
            let auto = await CheckTests.pinger.perform(PingMonitorConfig(host: "localhost"))
            #expect(auto.status == .successful, "\(auto.message ?? "")")
            #expect(auto.address?.ip == "127.0.0.1")
            let v6 = await CheckTests.pinger.perform(PingMonitorConfig(host: "::1", ipVersion: .auto))
            #expect(v6.status == .successful, "\(v6.message ?? "")")
            #expect(v6.address?.ip == "::1")
            let wrongFamily = await CheckTests.pinger.perform(PingMonitorConfig(host: "::1", ipVersion: .v4))
            #expect(wrongFamily.status == .failed)
            #expect(wrongFamily.message == "invalid config: ip_version: is 4 but host \"::1\" is an IPv6 address")
        }

        @Test func largeAndTinyPayloads() async {
            for (host, size) in [("127.0.0.1", 65000), ("::1", 65000), ("127.0.0.1", 1), ("::1", 7), ("::1", 16)] {
                let result = await CheckTests.pinger.perform(PingMonitorConfig(host: host, packetSize: size, count: 2))
                #expect(result.status == .successful, "\(host) \(size): \(result.message ?? "")")
                #expect(result.received == 2)
            }
        }

        @Test func manyConcurrentPingsShareTheSockets() async {
            let checker = CheckTests.pinger()
            let results = await withTaskGroup(of: PingCheckResult.self) { group in
                for index in 0..<1000 {
                    let host = index % 4 == 3 ? "::1" : "127.0.0.1"
                    group.addTask { await checker.perform(PingMonitorConfig(host: host, count: 2)) }
                }
                var all: [PingCheckResult] = []
                for await result in group { all.append(result) }
                return all
            }
            #expect(results.count == 1000)
            #expect(results.allSatisfy { $0.status == .successful && $0.received == 2 })
            #expect(results.filter { $0.address?.ip == "::1" }.count == 250)
            #expect(await checker.openSocketCount() == 0)
        }

        @Test func allPacketsLostIsATimeout() async {
            let checker = CheckTests.pinger { _, _, _ in true }  // "sent", never on the wire
            let start = ContinuousClock.now
            let result = await checker.perform(PingMonitorConfig(host: "127.0.0.1", timeoutSeconds: 1, count: 3))
            let elapsed = start.duration(to: .now)
            #expect(result.status == .timeout)
            #expect(result.message == "100% packet loss (3 sent, 0 received)")
            #expect(result.rtts == [nil, nil, nil])
            #expect(result.lossPercent == 100)
            // (count − 1) × interval + timeout = 1.4 s, plus generous slack for a loaded machine.
            #expect(elapsed >= .seconds(1) && elapsed < .seconds(10))
            #expect(await checker.openSocketCount() == 0)
        }

        @Test func partialLossAgainstTheThreshold() async {
            let sends = Mutex(0)
            let checker = CheckTests.pinger { socket, bytes, address throws(SocketError) in
                // Drops every second packet.
                let index = sends.withLock { count -> Int in
                    defer { count += 1 }
                    return count
                }
                return index % 2 == 1 ? true : try socket.send(bytes, to: address)
            }
            let within = await checker.perform(
                PingMonitorConfig(host: "127.0.0.1", timeoutSeconds: 1, count: 4, lossThresholdPercent: 50)
            )
            #expect(within.status == .successful, "\(within.message ?? "")")
            #expect(within.rtts.map { $0 != nil } == [true, false, true, false])
            #expect(within.lossPercent == 50)
            let over = await checker.perform(PingMonitorConfig(host: "127.0.0.1", timeoutSeconds: 1, count: 4))
            #expect(over.status == .failed)
            #expect(over.message == "50% packet loss exceeds the 0% threshold")
            #expect(over.received == 2)
        }

        @Test func sendErrorsFailWithTheirReason() async {
            let checker = CheckTests.pinger { _, _, _ throws(SocketError) in
                throw SocketError("sendto", code: ENETUNREACH)
            }
            let result = await checker.perform(PingMonitorConfig(host: "127.0.0.1", count: 2))
            #expect(result.status == .failed)
            #expect(result.message == "network is unreachable")
            #expect(result.sent == 2)
            #expect(result.received == 0)
        }

        /// A raw-socket checker whose requests never leave; instead an ICMP error quoting each one comes back from
        /// the loopback address, sent by a second raw socket as a router would.
        @Test func icmpErrorsQuotingOurRequestsFailTheCheck() async throws {
            let v4Sender = try Socket(family: .v4, kind: .raw(Int32(IPPROTO_ICMP)))
            let v6Sender = try Socket(family: .v6, kind: .raw(Int32(IPPROTO_ICMPV6)))
            nonisolated(unsafe) let senders = (v4Sender, v6Sender)  // used on the loop thread only, after this
            let checker = CheckTests.pinger(kinds: .rawOnly) { _, request, address throws(SocketError) in
                if address.family == .v4 {
                    let quoted = ICMPVectors.ipv4Header(source: [127, 0, 0, 1], payloadCount: request.count) + request
                    let error = ICMPVectors.v4Error(type: 3, code: 1, quoting: quoted)
                    return try senders.0.send(error, to: address)
                }
                var header = [UInt8](repeating: 0, count: 40)
                header[0] = 0x60
                header[6] = 58
                header.replaceSubrange(8..<24, with: address.bytes)
                header.replaceSubrange(24..<40, with: address.bytes)
                return try senders.1.send([1, 3, 0, 0, 0, 0, 0, 0] + header + request, to: address)
            }
            let v4 = await checker.perform(PingMonitorConfig(host: "127.0.0.1", timeoutSeconds: 5, count: 2))
            #expect(v4.status == .failed)
            #expect(v4.message == "destination host unreachable from 127.0.0.1")
            #expect(v4.received == 0)
            let v6 = await checker.perform(PingMonitorConfig(host: "::1", timeoutSeconds: 5, count: 2))
            #expect(v6.status == .failed)
            #expect(v6.message == "destination address unreachable from ::1")
        }

        /// The same through a datagram socket's error queue; runs only where datagram ICMP is allowed (verified
        /// with `unshare -n` and `net.ipv4.ping_group_range = 0 0`), as root for the raw sender.
        @Test(.enabled(if: CheckTests.datagramICMPAllowed && getuid() == 0))
        func icmpErrorsReachDatagramSocketsThroughTheErrorQueue() async throws {
            let v4Sender = try Socket(family: .v4, kind: .raw(Int32(IPPROTO_ICMP)))
            let v6Sender = try Socket(family: .v6, kind: .raw(Int32(IPPROTO_ICMPV6)))
            nonisolated(unsafe) let senders = (v4Sender, v6Sender)  // used on the loop thread only, after this
            let checker = CheckTests.pinger(kinds: .datagramOnly) { socket, request, address throws(SocketError) in
                // The kernel writes the socket's port into the identifier: bind to learn it.
                if socket.icmpDatagramIdentifier() ?? 0 == 0 {
                    let any = SocketAddress(ip: address.family == .v4 ? "0.0.0.0" : "::")
                    guard let any, socket.bind(to: any) else { throw SocketError("bind", code: EINVAL) }
                }
                var request = request
                let identifier = socket.icmpDatagramIdentifier() ?? 0
                request[4] = UInt8(identifier >> 8)
                request[5] = UInt8(identifier & 0xff)
                if address.family == .v4 {
                    ICMPVectors.setChecksum(&request)
                    let quoted = ICMPVectors.ipv4Header(source: [127, 0, 0, 1], payloadCount: request.count) + request
                    return try senders.0.send(ICMPVectors.v4Error(type: 3, code: 1, quoting: quoted), to: address)
                }
                var header = [UInt8](repeating: 0, count: 40)
                header[0] = 0x60
                header[4] = UInt8(request.count >> 8)
                header[5] = UInt8(request.count & 0xff)
                header[6] = 58
                header[7] = 64
                header.replaceSubrange(8..<24, with: address.bytes)
                header.replaceSubrange(24..<40, with: address.bytes)
                return try senders.1.send([1, 3, 0, 0, 0, 0, 0, 0] + header + request, to: address)
            }
            let v4 = await checker.perform(PingMonitorConfig(host: "127.0.0.1", timeoutSeconds: 5, count: 2))
            #expect(v4.status == .failed)
            #expect(v4.message == "destination host unreachable from 127.0.0.1")
            let v6 = await checker.perform(PingMonitorConfig(host: "::1", timeoutSeconds: 5, count: 2))
            #expect(v6.status == .failed)
            #expect(v6.message == "destination address unreachable from ::1")
        }

        @Test func refusedDatagramSocketsSayWhy() async {
            let checker = CheckTests.pinger(kinds: .datagramOnly)
            let result = await checker.perform(PingMonitorConfig(host: "127.0.0.1"))
            if CheckTests.datagramICMPAllowed {
                #expect(result.status == .successful, "\(result.message ?? "")")
            } else {
                #expect(result.status == .failed)
                #expect(
                    result.message?.hasPrefix(
                        "ICMP needs root or net.ipv4.ping_group_range covering this group (socket: "
                    )
                        == true,
                    "\(result.message ?? "")"
                )
                #expect(result.address?.ip == "127.0.0.1")
            }
        }

        @Test func cancellationReleasesTheSocket() async {
            let sent = AsyncStream<Void>.makeStream()
            let checker = CheckTests.pinger { _, _, _ in
                sent.continuation.yield()
                return true
            }
            let task = Task {
                await checker.perform(PingMonitorConfig(host: "127.0.0.1", timeoutSeconds: 60, count: 5))
            }
            for await _ in sent.stream { break }
            #expect(await checker.openSocketCount() == 1)
            task.cancel()
            let result = await task.value
            #expect(result.status == .failed)
            #expect(result.message == "check cancelled")
            #expect(result.address?.ip == "127.0.0.1")
            #expect(await checker.openSocketCount() == 0)
        }

        @Test func badConfigsAndNamesFailClearly() async {
            let invalid = await CheckTests.pinger.perform(PingMonitorConfig(host: "127.0.0.1", count: 0))
            #expect(invalid.status == .failed)
            #expect(invalid.message == "invalid config: count: must be between 1 and 100 (got 0)")
            let unknown = await CheckTests.pinger.perform(PingMonitorConfig(host: "no-such-host.invalid"))
            #expect(unknown.status == .failed)
            #expect(unknown.message?.hasPrefix("DNS lookup failed for host no-such-host.invalid") == true)
            #expect(unknown.address == nil)
        }
    }
}
