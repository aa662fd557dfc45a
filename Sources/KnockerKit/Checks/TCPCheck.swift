import CSystem
import Foundation

/// Runs `tcp` monitor checks on a ``SocketLoop``: connect to `host:port`, then optionally send `send` and wait until
/// `expect` appears in what the peer sends.
///
/// A host name is resolved first (``HostResolver``); its addresses are tried in order while time is left, so a
/// refused IPv6 address falls back to IPv4. `timeout_seconds` bounds connect plus exchange.
public final class TCPChecker: Sendable {
    private let loop: SocketLoop
    private let resolver: HostResolver

    /// A checker on `loop`, resolving names with `resolver`.
    public init(loop: SocketLoop, resolver: HostResolver) {
        self.loop = loop
        self.resolver = resolver
    }

    /// Runs one check. Cancelling the calling task ends it as failed "check cancelled".
    public func perform(_ config: TCPMonitorConfig) async -> TCPCheckResult {
        let addresses: [SocketAddress]
        do {
            addresses = try await resolver.resolve(
                config.host,
                port: UInt16(clamping: config.port),
                timeout: .seconds(config.timeoutSeconds)
            )
        } catch {
            return TCPCheckResult(status: .failed, message: error.description)
        }
        let loop = self.loop
        return await loop.run(
            { completion in
                TCPExchange(loop: loop, config: config, addresses: addresses, completion: completion).start()
            },
            cancelled: { TCPCheckResult(status: .failed, message: $0) }
        )
    }
}

/// How much of the peer's reply a result shows, and how much is read while waiting for `expect`.
enum TCPCheck {
    /// Bytes of the reply kept for display.
    static let shownReplyBytes = 200
    /// Bytes read at most while looking for `expect`, beyond its own length.
    static let maxReadBytes = 1 << 20

    /// The reply bytes as display text: valid UTF-8 with control characters escaped, cut at `shownReplyBytes`.
    static func displayText(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(shownReplyBytes), as: UTF8.self)
        var shown = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\r": shown += "\\r"
            case "\n": shown += "\\n"
            case "\t": shown += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                shown += String(format: "\\x%02x", scalar.value)
            default: shown.unicodeScalars.append(scalar)
            }
        }
        return bytes.count > shownReplyBytes ? shown + "…" : shown
    }
}

/// One check's state machine on the loop thread: connect (address by address), send, read until `expect`.
private final class TCPExchange {
    private let loop: SocketLoop
    private let config: TCPMonitorConfig
    private var addresses: ArraySlice<SocketAddress>
    private let completion: SocketLoop.Completion<TCPCheckResult>
    private let started = ContinuousClock.now
    private var socket: Socket?
    private var current: SocketAddress?
    private var deadline: SocketLoop.Timer?
    private var connectedAt: ContinuousClock.Instant?
    private var unsent: ArraySlice<UInt8> = []
    private var received: [UInt8] = []
    private var lastError: String?

    init(
        loop: SocketLoop,
        config: TCPMonitorConfig,
        addresses: [SocketAddress],
        completion: SocketLoop.Completion<TCPCheckResult>
    ) {
        self.loop = loop
        self.config = config
        self.addresses = addresses[...]
        self.completion = completion
    }

    func start() {
        completion.onCancel = { [self] in release() }
        deadline = loop.schedule(after: .seconds(config.timeoutSeconds)) { [self] in timedOut() }
        connectNext()
    }

    /// Tries the next address; fails with the last error when none is left.
    private func connectNext() {
        closeSocket()
        guard let address = addresses.popFirst() else {
            finish(.failed, lastError ?? "no address to connect to")
            return
        }
        current = address
        do {
            let socket = try Socket(family: address.family, kind: .stream)
            self.socket = socket
            socket.setOption(level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
            if try socket.connect(to: address) {
                connected()
            } else {
                loop.watch(socket.fd, for: .writable) { [self] _ in connectFinished() }
            }
        } catch {
            lastError = connectMessage(error.code, address: address)
            connectNext()
        }
    }

    private func connectFinished() {
        guard let socket, let address = current else { return }
        let code = socket.pendingError()
        if code != 0 {
            lastError = connectMessage(code, address: address)
            connectNext()
            return
        }
        connected()
    }

    private func connected() {
        connectedAt = .now
        guard let socket else { return }
        unsent = Array((config.send ?? "").utf8)[...]
        if unsent.isEmpty && config.expect == nil {
            finish(.successful, nil)
            return
        }
        let events: SocketEvents = unsent.isEmpty ? .readable : [.readable, .writable]
        loop.watch(socket.fd, for: events) { [self] events in ready(events) }
        if !unsent.isEmpty { ready(.writable) }
    }

    private func ready(_ events: SocketEvents) {
        guard let socket else { return }
        do {
            if !unsent.isEmpty, events.contains(.writable) || events.contains(.error) {
                while !unsent.isEmpty, let sent = try socket.send(unsent) {
                    unsent = unsent.dropFirst(sent)
                }
                if unsent.isEmpty {
                    guard config.expect != nil else {
                        finish(.successful, nil)
                        return
                    }
                    loop.watch(socket.fd, for: .readable) { [self] events in ready(events) }
                }
            }
            if events.contains(.readable) || events.contains(.hangup) || events.contains(.error) {
                try read(from: socket)
            }
        } catch {
            finish(.failed, "connection to \(describe(current)) failed: \(error.reason)")
        }
    }

    private func read(from socket: Socket) throws(SocketError) {
        while let chunk = try socket.receive(limit: 16_384) {
            if chunk.isEmpty {
                guard let expect = config.expect else { return }
                let got = received.isEmpty ? "nothing" : "\"\(TCPCheck.displayText(received))\""
                finish(
                    .failed,
                    "connection closed by \(describe(current)) before \"\(TCPCheck.displayText(Array(expect.utf8)))\" arrived (got \(got))"
                )
                return
            }
            received += chunk
            if let expect = config.expect, contains(received, Array(expect.utf8)) {
                finish(.successful, nil)
                return
            }
            if received.count > TCPCheck.maxReadBytes + (config.expect?.utf8.count ?? 0) {
                finish(.failed, "expected text not found in the first \(received.count) bytes")
                return
            }
        }
    }

    private func timedOut() {
        deadline = nil
        let seconds = config.timeoutSeconds
        guard connectedAt != nil else {
            finish(.timeout, "timed out after \(seconds) s connecting to \(describe(current))")
            return
        }
        if !unsent.isEmpty {
            finish(.timeout, "timed out after \(seconds) s sending to \(describe(current))")
            return
        }
        let expect = TCPCheck.displayText(Array((config.expect ?? "").utf8))
        let got = received.isEmpty ? "nothing" : "\"\(TCPCheck.displayText(received))\""
        finish(.timeout, "timed out after \(seconds) s waiting for \"\(expect)\" (got \(got))")
    }

    private func finish(_ status: CheckStatus, _ message: String?) {
        let end = ContinuousClock.now
        let result = TCPCheckResult(
            status: status,
            latencyMs: Int(started.duration(to: end).wholeMilliseconds),
            connectTime: connectedAt.map { started.duration(to: $0) },
            address: current,
            reply: received.isEmpty ? nil : TCPCheck.displayText(received),
            message: message
        )
        release()
        completion(result)
    }

    private func release() {
        deadline?.cancel()
        deadline = nil
        closeSocket()
    }

    private func closeSocket() {
        guard let socket else { return }
        loop.unwatch(socket.fd)
        socket.close()
        self.socket = nil
    }

    private func connectMessage(_ code: Int32, address: SocketAddress) -> String {
        code == ECONNREFUSED
            ? "connection refused by \(address)"
            : "connecting to \(address) failed: \(SocketError.reason(for: code))"
    }

    private func describe(_ address: SocketAddress?) -> String {
        address?.description ?? "\(config.host):\(config.port)"
    }

    private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        return (0...(haystack.count - needle.count)).contains { start in
            haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}
