import Foundation

/// Judges the packets of a `ping` check and words its failures.
enum PingCheck {
    /// The result of a check whose packets to `address` ended as `outcomes` (in sending order).
    ///
    /// Loss is lost packets (no reply: timed out, send failed, or an ICMP error) over packets sent. The check
    /// succeeds when `lost × 100 ≤ loss_threshold_percent × sent`. When nothing came back at all the status is
    /// `timeout`, unless an ICMP error or a send failure explains it: then `failed` with that reason. With some
    /// replies but too much loss it is `failed`, naming the loss, the threshold and the first error if any.
    /// `latencyMs` is the mean RTT of the replies that arrived, rounded to the nearest millisecond.
    static func evaluate(
        _ outcomes: [PingPacketOutcome],
        config: PingMonitorConfig,
        address: SocketAddress?
    ) -> PingCheckResult {
        let rtts: [Duration?] = outcomes.map {
            if case .reply(let rtt) = $0 { return rtt }
            return nil
        }
        let replies = rtts.compactMap { $0 }
        let sent = outcomes.count
        let received = replies.count
        let lost = sent - received
        let average = replies.isEmpty ? nil : replies.reduce(Duration.zero, +) / replies.count
        var result = PingCheckResult(
            status: .successful,
            latencyMs: average.map(roundedMilliseconds) ?? 0,
            averageRTT: average,
            rtts: rtts,
            sent: sent,
            received: received,
            lossPercent: sent == 0 ? 0 : Double(lost) * 100 / Double(sent),
            address: address
        )
        let firstError = outcomes.lazy.compactMap {
            if case .error(let message) = $0 { return message }
            return nil
        }.first
        if sent == 0 {
            result.status = .failed
            result.message = "no packet sent"
        } else if lost * 100 <= config.lossThresholdPercent * sent {
            return result
        } else if received == 0, let firstError {
            result.status = .failed
            result.message = firstError
        } else if received == 0 {
            result.status = .timeout
            result.message = "100% packet loss (\(sent) sent, 0 received)"
        } else {
            result.status = .failed
            let loss = percentText(result.lossPercent)
            result.message =
                "\(loss) packet loss exceeds the \(config.lossThresholdPercent)% threshold"
                + (firstError.map { " (\($0))" } ?? "")
        }
        return result
    }

    /// `percent` as "40%", or with one decimal when it is not whole: "33.3%".
    static func percentText(_ percent: Double) -> String {
        let tenths = (percent * 10).rounded()
        if tenths.truncatingRemainder(dividingBy: 10) == 0 { return "\(Int(tenths / 10))%" }
        return "\(Int(tenths) / 10).\(Int(tenths) % 10)%"
    }

    /// `duration` in whole milliseconds, rounded to the nearest.
    static func roundedMilliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int((Double(attoseconds) / 1e15).rounded())
    }

    /// The message when no ICMP socket of `family` could be opened: a permission problem names its two remedies
    /// (the sysctl covers ICMPv6 datagram sockets too), anything else says what failed.
    static func socketMessage(family: ICMPFamily, error: SocketError) -> String {
        let name = family == .v4 ? "ICMP" : "ICMPv6"
        if error.code == EPERM || error.code == EACCES {
            return "\(name) needs root or net.ipv4.ping_group_range covering this group (\(error))"
        }
        return "cannot open an \(name) socket (\(error))"
    }
}
