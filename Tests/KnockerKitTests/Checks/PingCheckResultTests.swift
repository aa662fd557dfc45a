import Foundation
import Testing

@testable import KnockerKit

extension CheckTests {
    @Suite("Ping: reply matching and result evaluation")
    struct PingCheckResultTests {
        let token: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]

        @Test func sequencesSkipThoseInFlightAndWrap() throws {
            var table = ICMPPendingTable<String>(firstSequence: 65534)
            #expect(table.insert(token: token, value: "a") == 65534)
            #expect(table.insert(token: token, value: "b") == 65535)
            #expect(table.insert(token: token, value: "c") == 0)
            #expect(table.remove(65534) == "a")
            #expect(table.count == 2)
            var wrapped = ICMPPendingTable<Int>(firstSequence: 0)
            for index in 0..<65536 { #expect(wrapped.insert(token: [], value: index) != nil) }
            #expect(wrapped.insert(token: [], value: -1) == nil)
            #expect(wrapped.remove(300) == 300)
            #expect(wrapped.insert(token: [], value: -1) == 300)
            #expect(wrapped.removeAll().count == 65536)
            #expect(wrapped.isEmpty)
        }

        @Test func repliesMatchIdentifierSequenceAndToken() throws {
            var table = ICMPPendingTable<String>(firstSequence: 10)
            let replySequence = table.insert(token: token, value: "a")
            let sequence = try #require(replySequence)
            let otherSequence = table.insert(token: [9, 9, 9, 9, 9, 9, 9, 9], value: "b")
            let other = try #require(otherSequence)
            let payload = token + [0x11, 0x22]
            // Wrong identifier, wrong token, unknown sequence: no match.
            #expect(
                table.take(matching: .echoReply(identifier: 1, sequence: sequence, payload: payload), identifier: 2)
                    == nil
            )
            #expect(
                table.take(matching: .echoReply(identifier: 2, sequence: other, payload: payload), identifier: 2) == nil
            )
            #expect(
                table.take(matching: .echoReply(identifier: 2, sequence: 99, payload: payload), identifier: 2) == nil
            )
            // A reply that lost its payload is not ours.
            #expect(
                table.take(matching: .echoReply(identifier: 2, sequence: sequence, payload: [1, 2]), identifier: 2)
                    == nil
            )
            let match = table.take(
                matching: .echoReply(identifier: 2, sequence: sequence, payload: payload),
                identifier: 2
            )
            #expect(match?.sequence == sequence)
            #expect(match?.value == "a")
            // Taken once only.
            #expect(
                table.take(matching: .echoReply(identifier: 2, sequence: sequence, payload: payload), identifier: 2)
                    == nil
            )
            // Datagram sockets: the kernel's identifier is not compared.
            let b = table.take(
                matching: .echoReply(identifier: 4711, sequence: other, payload: [9, 9, 9, 9, 9, 9, 9, 9]),
                identifier: nil
            )
            #expect(b?.value == "b")
        }

        @Test func errorsMatchOnTheQuotedPrefix() throws {
            var table = ICMPPendingTable<String>()
            let firstSequence = table.insert(token: token, value: "a")
            let first = try #require(firstSequence)
            let secondSequence = table.insert(token: token, value: "b")
            let second = try #require(secondSequence)
            let thirdSequence = table.insert(token: token, value: "c")
            let third = try #require(thirdSequence)
            #expect(
                table.take(
                    matching: .error(.hostUnreachable, identifier: 5, sequence: first, payload: []),
                    identifier: 5
                )?
                .value == "a"
            )
            #expect(
                table.take(
                    matching: .error(.hostUnreachable, identifier: 5, sequence: second, payload: [1, 2, 3]),
                    identifier: 5
                )?.value == "b"
            )
            #expect(
                table.take(
                    matching: .error(.hostUnreachable, identifier: 5, sequence: third, payload: [1, 2, 4]),
                    identifier: 5
                ) == nil
            )
        }

        @Test func allRepliesSucceed() {
            let config = PingMonitorConfig(host: "h", count: 3)
            let result = PingCheck.evaluate(
                [.reply(.milliseconds(1)), .reply(.microseconds(2600)), .reply(.milliseconds(3))],
                config: config,
                address: SocketAddress(ip: "127.0.0.1")
            )
            #expect(result.status == .successful)
            #expect(result.isUp)
            #expect(result.message == nil)
            #expect(result.sent == 3)
            #expect(result.received == 3)
            #expect(result.lossPercent == 0)
            #expect(result.averageRTT == .microseconds(2200))
            #expect(result.latencyMs == 2)
            #expect(result.rtts == [.milliseconds(1), .microseconds(2600), .milliseconds(3)])
            #expect(result.address?.ip == "127.0.0.1")
        }

        @Test func everythingLostIsATimeout() {
            let result = PingCheck.evaluate(
                [.lost, .lost, .lost],
                config: PingMonitorConfig(host: "h", count: 3),
                address: SocketAddress(ip: "192.0.2.9")
            )
            #expect(result.status == .timeout)
            #expect(!result.isUp)
            #expect(result.message == "100% packet loss (3 sent, 0 received)")
            #expect(result.rtts == [nil, nil, nil])
            #expect(result.lossPercent == 100)
            #expect(result.latencyMs == 0)
            #expect(result.averageRTT == nil)
        }

        @Test func errorsExplainTotalLoss() {
            let result = PingCheck.evaluate(
                [.lost, .error("destination host unreachable from 10.0.0.1")],
                config: PingMonitorConfig(host: "h", count: 2),
                address: SocketAddress(ip: "10.0.0.9")
            )
            #expect(result.status == .failed)
            #expect(result.message == "destination host unreachable from 10.0.0.1")
        }

        @Test func lossAgainstTheThreshold() {
            let five: [PingPacketOutcome] = [
                .reply(.milliseconds(4)), .lost, .reply(.milliseconds(6)), .lost, .reply(.milliseconds(5)),
            ]
            let over = PingCheck.evaluate(
                five,
                config: PingMonitorConfig(host: "h", count: 5, lossThresholdPercent: 20),
                address: nil
            )
            #expect(over.status == .failed)
            #expect(over.message == "40% packet loss exceeds the 20% threshold")
            #expect(over.latencyMs == 5)
            #expect(over.rtts == [.milliseconds(4), nil, .milliseconds(6), nil, .milliseconds(5)])
            let at = PingCheck.evaluate(
                five,
                config: PingMonitorConfig(host: "h", count: 5, lossThresholdPercent: 40),
                address: nil
            )
            #expect(at.status == .successful)
            #expect(at.message == nil)
            #expect(at.lossPercent == 40)
            // 1 of 3 lost is 33.3%: over a threshold of 33, within 34.
            let three: [PingPacketOutcome] = [
                .reply(.milliseconds(1)), .error("destination host unreachable from 10.0.0.1"),
                .reply(.milliseconds(1)),
            ]
            let third = PingCheck.evaluate(
                three,
                config: PingMonitorConfig(host: "h", count: 3, lossThresholdPercent: 33),
                address: nil
            )
            #expect(
                third.message
                    == "33.3% packet loss exceeds the 33% threshold (destination host unreachable from 10.0.0.1)"
            )
            let within = PingCheck.evaluate(
                three,
                config: PingMonitorConfig(host: "h", count: 3, lossThresholdPercent: 34),
                address: nil
            )
            #expect(within.status == .successful)
            // Default threshold 0: any loss fails.
            let one = PingCheck.evaluate(
                [.reply(.milliseconds(1)), .lost],
                config: PingMonitorConfig(host: "h"),
                address: nil
            )
            #expect(one.message == "50% packet loss exceeds the 0% threshold")
        }

        @Test func wording() {
            #expect(PingCheck.percentText(40) == "40%")
            #expect(PingCheck.percentText(100.0 / 3) == "33.3%")
            #expect(PingCheck.percentText(200.0 / 3) == "66.7%")
            #expect(PingCheck.percentText(0.04) == "0%")
            #expect(PingCheck.roundedMilliseconds(.microseconds(1499)) == 1)
            #expect(PingCheck.roundedMilliseconds(.microseconds(1500)) == 2)
            #expect(PingCheck.roundedMilliseconds(.seconds(2)) == 2000)
            #expect(PingCheck.evaluate([], config: PingMonitorConfig(host: "h"), address: nil).status == .failed)
            #expect(
                PingCheck.socketMessage(family: .v4, error: SocketError("socket", code: EACCES))
                    == "ICMP needs root or net.ipv4.ping_group_range covering this group (socket: permission denied)"
            )
            #expect(
                PingCheck.socketMessage(family: .v6, error: SocketError("socket", code: EAFNOSUPPORT))
                    == "cannot open an ICMPv6 socket (socket: address family not supported by protocol)"
            )
            #expect(PingCheckResult.failed("DNS lookup failed for host x").message == "DNS lookup failed for host x")
        }
    }
}
