import CSystem
import Foundation

/// How a channel hands one echo request to the kernel: true when sent, false when the socket would block.
/// Tests replace it to drop packets.
typealias ICMPSend = (Socket, [UInt8], SocketAddress) throws(SocketError) -> Bool

/// One echo request in flight; loop-thread only.
final class ICMPPendingPacket {
    /// The check it belongs to.
    let operation: PingOperation
    /// Its index within the check.
    let index: Int
    /// When it was handed to the kernel.
    var sentAt: ContinuousClock.Instant
    /// Its sequence number on the channel.
    var sequence: UInt16 = 0
    /// The per-packet timeout.
    var timer: SocketLoop.Timer?

    init(operation: PingOperation, index: Int, sentAt: ContinuousClock.Instant) {
        self.operation = operation
        self.index = index
        self.sentAt = sentAt
    }
}

/// One ICMP socket of one family, shared by every ping in flight on the loop; loop-thread only.
///
/// Replies are matched to requests by sequence number, identifier (raw sockets only: the kernel owns it on
/// datagram sockets and delivers only the socket's own replies) and the per-packet token at the start of the
/// payload; see ``ICMPPendingTable``. Raw sockets see every ICMP message the host receives, so a kernel filter lets
/// through only echo replies and the errors that may quote our requests.
final class ICMPChannel {
    /// Most datagrams read per readiness event before the loop serves others.
    static let readsPerEvent = 256
    /// Sends between reads of the socket while a burst of checks starts: the loop runs every queued check's
    /// start before it polls again, and replies must not pile up past the receive buffer meanwhile.
    static let sendsPerRead = 32
    /// Receive buffer asked for, so bursts of replies to many concurrent pings are not dropped.
    static let receiveBufferBytes: Int32 = 4 << 20

    let family: SocketAddress.Family
    let socket: Socket
    let isRaw: Bool
    /// The echo identifier written into requests; nil on datagram sockets (the kernel sets it).
    let identifier: UInt16?
    var table: ICMPPendingTable<ICMPPendingPacket>
    /// Checks using the channel (acquired and not yet released).
    var users = 0
    /// Bytes read per datagram: enough for the largest reply in flight and for quoted errors.
    private(set) var receiveLimit = 2048
    private var sendsSinceRead = 0
    private let send: ICMPSend
    private let now: () -> ContinuousClock.Instant

    /// Opens the socket (datagram or raw, as `kinds` allows) and sets its filter and buffer.
    init(
        family: SocketAddress.Family,
        kinds: Socket.ICMPKinds,
        send: @escaping ICMPSend,
        now: @escaping () -> ContinuousClock.Instant
    ) throws(SocketError) {
        let (socket, isRaw) = try Socket.openICMP(family: family, kinds: kinds)
        self.family = family
        self.socket = socket
        self.isRaw = isRaw
        self.send = send
        self.now = now
        identifier = isRaw ? UInt16.random(in: 0...UInt16.max) : nil
        table = ICMPPendingTable(firstSequence: UInt16.random(in: 0...UInt16.max))
        if !isRaw {
            socket.enableErrorQueue()
        } else {
            // Echo replies, destination unreachable, time exceeded (and for ICMPv6 packet too big).
            if family == .v4 {
                socket.setICMPFilter(passing: [0, 3, 11])
            } else {
                socket.setICMPv6Filter(passing: [129, 1, 2, 3])
            }
        }
        if !socket.setOption(level: SOL_SOCKET, name: 33, value: Self.receiveBufferBytes) {  // SO_RCVBUFFORCE
            socket.setOption(level: SOL_SOCKET, name: SO_RCVBUF, value: Self.receiveBufferBytes)
        }
    }

    /// The real send: `sendto`.
    static func systemSend(_ socket: Socket, _ bytes: [UInt8], to address: SocketAddress) throws(SocketError) -> Bool {
        try socket.send(bytes, to: address)
    }

    /// The ICMP family of the channel.
    var icmpFamily: ICMPFamily { family == .v4 ? .v4 : .v6 }

    /// What the socket returns: raw IPv4 sockets include the IP header.
    var layout: ICMPParser.Layout { isRaw && family == .v4 ? .ipv4Header : .icmpOnly }

    /// Sends `packet` (its sequence already assigned) to `address`; returns an outcome when the packet is
    /// finished at once (the send failed), nil when it is on its way.
    func transmit(
        _ request: ICMPEchoRequest,
        to address: SocketAddress,
        packet: ICMPPendingPacket
    ) -> PingPacketOutcome? {
        receiveLimit = max(receiveLimit, request.payloadSize + 256)
        let bytes = request.encoded()
        packet.sentAt = now()
        do {
            return try send(socket, bytes, address) ? nil : .error("send buffer full")
        } catch {
            return .error(error.reason)
        }
    }

    /// Reads the error queue of a datagram socket: ICMP errors about our requests fail their packets.
    func readErrorQueue() {
        for _ in 0..<Self.readsPerEvent {
            guard socket.fd >= 0, !isRaw else { return }
            let entry: (data: [UInt8], control: [UInt8])?
            do {
                entry = try socket.receiveQueuedError(limit: receiveLimit)
            } catch {
                return
            }
            guard let (data, control) = entry else { return }
            guard let report = ICMPErrorQueue.report(inControl: control),
                let message = ICMPErrorQueue.message(quoted: data, report: report, family: icmpFamily),
                case .error(let problem, _, _, _) = message,
                let (_, packet) = table.take(matching: message, identifier: nil)
            else { continue }
            packet.timer?.cancel()
            packet.operation.record(packet.index, .error(problem.message(from: report.offender?.ip)))
        }
    }

    /// Reads what is ready every ``sendsPerRead`` calls; called before each send.
    func readDuringBurst() {
        sendsSinceRead += 1
        if sendsSinceRead >= Self.sendsPerRead { readReady() }
    }

    /// Reads what is ready and hands every matched reply or error to its operation.
    func readReady() {
        sendsSinceRead = 0
        for _ in 0..<Self.readsPerEvent {
            guard socket.fd >= 0 else { return }
            let received: (bytes: [UInt8], sender: SocketAddress?)?
            do {
                received = try socket.receiveFrom(limit: receiveLimit)
            } catch {
                // An asynchronous error reported on the socket; clear it and go on reading.
                _ = socket.pendingError()
                continue
            }
            guard let (bytes, sender) = received else { return }
            guard let message = ICMPParser.parse(bytes, family: icmpFamily, layout: layout),
                let (_, packet) = table.take(matching: message, identifier: identifier)
            else { continue }
            packet.timer?.cancel()
            switch message {
            case .echoReply:
                packet.operation.record(packet.index, .reply(packet.sentAt.duration(to: now())))
            case .error(let problem, _, _, _):
                packet.operation.record(packet.index, .error(problem.message(from: sender?.ip)))
            }
        }
    }
}

/// The ICMP sockets of one ``PingChecker``: one channel per family, opened on first use and closed when no check
/// uses it. Loop-thread only.
final class ICMPTransport: @unchecked Sendable {
    // @unchecked: every method runs on the SocketLoop thread (from operations, watches and timers).
    let loop: SocketLoop
    let kinds: Socket.ICMPKinds
    let send: ICMPSend
    private var channels: [SocketAddress.Family: ICMPChannel] = [:]

    init(loop: SocketLoop, kinds: Socket.ICMPKinds, send: @escaping ICMPSend) {
        self.loop = loop
        self.kinds = kinds
        self.send = send
    }

    /// Sockets open now (for tests).
    var openChannels: Int { channels.count }

    /// The channel of `family`, opened and watched if needed, for one more check; hand it back with
    /// ``release(_:)``.
    func acquire(_ family: SocketAddress.Family) throws(SocketError) -> ICMPChannel {
        if let channel = channels[family] {
            channel.users += 1
            return channel
        }
        let channel = try ICMPChannel(family: family, kinds: kinds, send: send) { [loop] in loop.now }
        guard
            loop.watch(
                channel.socket.fd,
                for: .readable,
                { [weak channel] events in
                    channel?.readReady()
                    if events.contains(.error) { channel?.readErrorQueue() }
                }
            )
        else {
            throw SocketError("epoll_ctl", code: knocker_errno())
        }
        channels[family] = channel
        channel.users = 1
        return channel
    }

    /// Hands back a channel from ``acquire(_:)``; the last check using it closes it.
    func release(_ channel: ICMPChannel) {
        channel.users -= 1
        guard channel.users <= 0, channels[channel.family] === channel else { return }
        channels[channel.family] = nil
        loop.unwatch(channel.socket.fd)
        channel.socket.close()
    }
}
