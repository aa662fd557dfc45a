/// The echo requests in flight on one socket, by sequence number, and the matching of received messages to them.
///
/// Sequence numbers are handed out in turn from one 16-bit counter per socket, skipping those still in flight, so
/// up to 65 536 packets can be outstanding per socket. A message matches an entry when its sequence is in flight,
/// its identifier equals the socket's (when the socket has one: on datagram sockets the kernel owns the
/// identifier and delivers only the socket's own replies), and its payload starts with the entry's token prefix.
/// Errors quote only part of the request, so for them only the token bytes present are compared.
struct ICMPPendingTable<Value> {
    private struct Entry {
        var token: [UInt8]
        var value: Value
    }

    private var entries: [UInt16: Entry] = [:]
    private var nextSequence: UInt16

    /// An empty table whose first sequence number is `firstSequence`.
    init(firstSequence: UInt16 = 0) {
        nextSequence = firstSequence
    }

    /// Packets in flight.
    var count: Int { entries.count }

    /// True when no packet is in flight.
    var isEmpty: Bool { entries.isEmpty }

    /// Records a packet carrying `token` (its prefix as sent) and returns its sequence number; nil when all
    /// 65 536 sequence numbers are in flight.
    mutating func insert(token: [UInt8], value: Value) -> UInt16? {
        guard entries.count <= Int(UInt16.max) else { return nil }
        while entries[nextSequence] != nil { nextSequence &+= 1 }
        let sequence = nextSequence
        nextSequence &+= 1
        entries[sequence] = Entry(token: token, value: value)
        return sequence
    }

    /// Removes and returns the entry of `sequence`.
    mutating func remove(_ sequence: UInt16) -> Value? {
        entries.removeValue(forKey: sequence)?.value
    }

    /// The value of `sequence`, if in flight.
    func value(for sequence: UInt16) -> Value? {
        entries[sequence]?.value
    }

    /// Removes and returns the entry `message` answers; nil when it answers none. `identifier` is the socket's
    /// echo identifier, nil when the kernel chose it (datagram sockets).
    mutating func take(matching message: ICMPMessage, identifier: UInt16?) -> (sequence: UInt16, value: Value)? {
        let messageIdentifier: UInt16
        let sequence: UInt16
        let payload: [UInt8]
        let partialPayloadAllowed: Bool
        switch message {
        case .echoReply(let id, let seq, let bytes):
            (messageIdentifier, sequence, payload, partialPayloadAllowed) = (id, seq, bytes, false)
        case .error(_, let id, let seq, let bytes):
            (messageIdentifier, sequence, payload, partialPayloadAllowed) = (id, seq, bytes, true)
        }
        if let identifier, identifier != messageIdentifier { return nil }
        guard let entry = entries[sequence] else { return nil }
        let compared = partialPayloadAllowed ? min(entry.token.count, payload.count) : entry.token.count
        guard payload.count >= compared, payload.prefix(compared).elementsEqual(entry.token.prefix(compared)) else {
            return nil
        }
        entries[sequence] = nil
        return (sequence, entry.value)
    }

    /// Removes and returns every entry.
    mutating func removeAll() -> [Value] {
        let values = entries.values.map(\.value)
        entries.removeAll()
        return values
    }
}
