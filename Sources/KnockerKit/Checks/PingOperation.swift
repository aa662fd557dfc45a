import Foundation

/// One `ping` check on the loop: sends `count` echo requests `interval` apart on its family's shared channel,
/// waits `timeout_seconds` for each reply, and completes with the evaluated result once every packet has an
/// outcome. Loop-thread only.
final class PingOperation {
    let config: PingMonitorConfig
    let address: SocketAddress
    let interval: Duration
    private let transport: ICMPTransport
    private let channel: ICMPChannel
    private let completion: SocketLoop.Completion<PingCheckResult>
    private var outcomes: [PingPacketOutcome?]
    private var packets: [ICMPPendingPacket?]
    private var sendTimers: [SocketLoop.Timer] = []
    private var finished = false

    private init(
        config: PingMonitorConfig,
        address: SocketAddress,
        interval: Duration,
        transport: ICMPTransport,
        channel: ICMPChannel,
        completion: SocketLoop.Completion<PingCheckResult>
    ) {
        self.config = config
        self.address = address
        self.interval = interval
        self.transport = transport
        self.channel = channel
        self.completion = completion
        let count = max(1, config.count)
        outcomes = Array(repeating: nil, count: count)
        packets = Array(repeating: nil, count: count)
    }

    /// Starts a check of `address` on `transport`; called on the loop thread by ``SocketLoop/run(_:cancelled:)``.
    static func start(
        config: PingMonitorConfig,
        address: SocketAddress,
        interval: Duration,
        transport: ICMPTransport,
        completion: SocketLoop.Completion<PingCheckResult>
    ) {
        let channel: ICMPChannel
        do {
            channel = try transport.acquire(address.family)
        } catch {
            let family: ICMPFamily = address.family == .v4 ? .v4 : .v6
            completion(.failed(PingCheck.socketMessage(family: family, error: error), address: address))
            return
        }
        let operation = PingOperation(
            config: config,
            address: address,
            interval: interval,
            transport: transport,
            channel: channel,
            completion: completion
        )
        completion.onCancel = { operation.cancel() }
        for index in 1..<operation.outcomes.count {
            operation.sendTimers.append(
                transport.loop.schedule(after: interval * index) { operation.sendPacket(index) }
            )
        }
        operation.sendPacket(0)
    }

    /// Sends packet `index` and arms its timeout.
    private func sendPacket(_ index: Int) {
        guard !finished else { return }
        // Before this packet is in the table, so the read cannot complete this check.
        channel.readDuringBurst()
        guard !finished else { return }
        let token = UInt64.random(in: 0...UInt64.max)
        let packet = ICMPPendingPacket(operation: self, index: index, sentAt: transport.loop.now)
        let prefix = ICMPEchoRequest.tokenPrefix(token, payloadSize: config.packetSize)
        guard let sequence = channel.table.insert(token: prefix, value: packet) else {
            record(index, .error("too many pings in flight"))
            return
        }
        packet.sequence = sequence
        packets[index] = packet
        let request = ICMPEchoRequest(
            family: channel.icmpFamily,
            identifier: channel.identifier ?? 0,
            sequence: sequence,
            token: token,
            sentNanoseconds: UInt64(max(0, Date().timeIntervalSince1970 * 1e9)),
            payloadSize: config.packetSize
        )
        if let outcome = channel.transmit(request, to: address, packet: packet) {
            _ = channel.table.remove(sequence)
            record(index, outcome)
            return
        }
        packet.timer = transport.loop.schedule(after: .seconds(max(1, config.timeoutSeconds))) {
            [channel, weak self] in
            guard let self, channel.table.value(for: sequence) === packet else { return }
            _ = channel.table.remove(sequence)
            self.record(index, .lost)
        }
    }

    /// Notes the outcome of packet `index`; completes the check when it was the last one.
    func record(_ index: Int, _ outcome: PingPacketOutcome) {
        guard !finished, outcomes.indices.contains(index), outcomes[index] == nil else { return }
        outcomes[index] = outcome
        packets[index] = nil
        guard outcomes.allSatisfy({ $0 != nil }) else { return }
        finished = true
        for timer in sendTimers { timer.cancel() }
        sendTimers = []
        transport.release(channel)
        completion(PingCheck.evaluate(outcomes.map { $0 ?? .lost }, config: config, address: address))
    }

    /// Stops early (the caller was cancelled or the loop shuts down): drops the packets in flight and the sends
    /// still due.
    private func cancel() {
        guard !finished else { return }
        finished = true
        for timer in sendTimers { timer.cancel() }
        sendTimers = []
        for case let packet? in packets {
            packet.timer?.cancel()
            if channel.table.value(for: packet.sequence) === packet { _ = channel.table.remove(packet.sequence) }
        }
        packets = []
        transport.release(channel)
    }
}
