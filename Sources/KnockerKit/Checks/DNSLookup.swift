import CSystem

/// The result of one lookup: how it ended and how long it took from the first query.
struct DNSLookupResult: Sendable {
    /// How it ended.
    var outcome: DNSLookupOutcome
    /// From the first query sent to the outcome.
    var elapsed: Duration
}

/// One DNS lookup in flight on a ``SocketLoop``: the plan's tries over connected non-blocking UDP sockets, then
/// TCP to the answering server when its answer is truncated.
///
/// Each try is a fresh socket (so a fresh source port) and a fresh random id; a try that has been sent keeps
/// listening until the lookup ends, so a late answer still counts. Datagrams that are not the response to that
/// try's query (another id, another question, not a response) are ignored; malformed ones too, but remembered
/// and reported when nothing better arrives. ICMP port unreachable shows as `ECONNREFUSED` on the connected
/// socket; the server is then skipped in later rounds and the next try starts at once. Over TCP the query and
/// answer carry a 2-byte length prefix (RFC 1035 §4.2.2).
///
/// Confined to the loop thread: every method runs there (it is created in the operation's `start` and reached
/// only through loop callbacks).
final class DNSLookup {
    /// Receive buffer for one UDP datagram (larger than the advertised EDNS size, for servers that ignore it).
    static let datagramLimit = 8192

    private final class UDPTry {
        let socket: Socket
        let query: DNSQuery
        let server: DNSServerAddress

        init(socket: Socket, query: DNSQuery, server: DNSServerAddress) {
            self.socket = socket
            self.query = query
            self.server = server
        }
    }

    private final class TCPExchange {
        let socket: Socket
        let query: DNSQuery
        let server: DNSServerAddress
        var output: [UInt8]
        var sent = 0
        var input: [UInt8] = []
        var connected = false

        init(socket: Socket, query: DNSQuery, server: DNSServerAddress, output: [UInt8]) {
            self.socket = socket
            self.query = query
            self.server = server
            self.output = output
        }
    }

    private let loop: SocketLoop
    private let plan: DNSCheck.Plan
    private let completion: SocketLoop.Completion<DNSLookupResult>
    private var started: ContinuousClock.Instant
    private var nextTry = 0
    private var active: [UDPTry] = []
    private var asked: [DNSServerAddress] = []
    private var problems: [DNSServerProblem] = []
    private var skipped: Set<DNSServerAddress> = []
    private var tcp: TCPExchange?
    private var tryTimer: SocketLoop.Timer?
    private var deadlineTimer: SocketLoop.Timer?

    private init(loop: SocketLoop, plan: DNSCheck.Plan, completion: SocketLoop.Completion<DNSLookupResult>) {
        self.loop = loop
        self.plan = plan
        self.completion = completion
        self.started = loop.now
    }

    /// Runs `plan` on `loop` and returns how it ended; a cancelled caller gets `.cancelled`.
    static func run(_ plan: DNSCheck.Plan, on loop: SocketLoop) async -> DNSLookupResult {
        await loop.run(
            { (completion: SocketLoop.Completion<DNSLookupResult>) in
                let lookup = DNSLookup(loop: loop, plan: plan, completion: completion)
                completion.onCancel = { lookup.release() }
                lookup.start()
            },
            cancelled: { DNSLookupResult(outcome: .failed(.cancelled($0)), elapsed: .zero) }
        )
    }

    // MARK: Flow

    private func start() {
        started = loop.now
        deadlineTimer = loop.schedule(after: plan.timeout) { [self] in deadlinePassed() }
        sendNextTry()
    }

    /// Sends the next try of the plan (skipping servers that refused), or ends the lookup when nothing is left
    /// to wait for.
    private func sendNextTry() {
        tryTimer?.cancel()
        tryTimer = nil
        guard tcp == nil, !completion.isFinished else { return }
        while nextTry < plan.tries.count {
            let server = plan.tries[nextTry]
            nextTry += 1
            if skipped.contains(server) { continue }
            if !asked.contains(server) { asked.append(server) }
            switch openTry(to: server) {
            case .success(let udpTry):
                active.append(udpTry)
                if nextTry < plan.tries.count {
                    tryTimer = loop.schedule(after: plan.tryInterval) { [self] in sendNextTry() }
                }
                return
            case .failure(let problem):
                note(problem)
            }
        }
        if active.isEmpty { finish(.failed(.unreachable(problems))) }
    }

    /// Opens a connected UDP socket to `server`, sends a fresh query and watches for the answer.
    private func openTry(to server: DNSServerAddress) -> Result<UDPTry, DNSServerProblem> {
        let query = DNSQuery(name: plan.name, type: plan.type)
        guard let bytes = query.encoded(), let address = SocketAddress(ip: server.host, port: server.port) else {
            return .failure(.network(server, "cannot encode the query"))
        }
        do {
            let socket = try Socket(family: address.family, kind: .datagram)
            _ = try socket.connect(to: address)
            guard try socket.send(bytes[...]) != nil else { return .failure(.network(server, "send would block")) }
            let udpTry = UDPTry(socket: socket, query: query, server: server)
            guard loop.watch(socket.fd, for: .readable, { [self] _ in readable(udpTry) }) else {
                return .failure(.network(server, "cannot watch the socket"))
            }
            return .success(udpTry)
        } catch {
            return .failure(problem(error, server: server))
        }
    }

    /// Reads every datagram waiting on `udpTry`'s socket.
    private func readable(_ udpTry: UDPTry) {
        while !completion.isFinished {
            let datagram: [UInt8]?
            do {
                datagram = try udpTry.socket.receive(limit: Self.datagramLimit)
            } catch {
                drop(udpTry)
                note(problem(error, server: udpTry.server))
                if active.isEmpty { sendNextTry() }
                return
            }
            guard let datagram else { return }
            let message: DNSMessage
            do {
                message = try DNSMessage.decode(datagram)
            } catch {
                note(.malformed(udpTry.server, error.description))
                continue
            }
            guard message.answers(udpTry.query) else { continue }
            if message.isTruncated {
                startTCP(to: udpTry.server)
            } else {
                finish(.answered(message, from: udpTry.server, overTCP: false))
            }
            return
        }
    }

    /// Drops every UDP try and asks `server` again over TCP.
    private func startTCP(to server: DNSServerAddress) {
        tryTimer?.cancel()
        tryTimer = nil
        for udpTry in active { drop(udpTry) }
        let query = DNSQuery(name: plan.name, type: plan.type)
        guard let bytes = query.encoded(), let address = SocketAddress(ip: server.host, port: server.port) else {
            finish(.failed(.unreachable([.network(server, "cannot encode the query")])))
            return
        }
        var framed: [UInt8] = []
        framed.appendUInt16(UInt16(bytes.count))
        framed += bytes
        do {
            let socket = try Socket(family: address.family, kind: .stream)
            let exchange = TCPExchange(socket: socket, query: query, server: server, output: framed)
            tcp = exchange
            exchange.connected = try socket.connect(to: address)
            guard loop.watch(socket.fd, for: .writable, { [self] events in tcpReady(exchange, events) }) else {
                failTCP(exchange, .network(server, "cannot watch the socket"))
                return
            }
        } catch {
            finish(.failed(.unreachable([problem(error, server: server)])))
        }
    }

    /// Drives the TCP exchange: finish connecting, write the query, read the framed answer.
    private func tcpReady(_ exchange: TCPExchange, _ events: SocketEvents) {
        do {
            if !exchange.connected {
                let code = exchange.socket.pendingError()
                guard code == 0 else { throw SocketError("connect", code: code) }
                guard events.contains(.writable) else { return }
                exchange.connected = true
            }
            while exchange.sent < exchange.output.count {
                guard let count = try exchange.socket.send(exchange.output[exchange.sent...]) else { return }
                exchange.sent += count
                if exchange.sent == exchange.output.count {
                    loop.watch(exchange.socket.fd, for: .readable) { [self] events in tcpReady(exchange, events) }
                    return
                }
            }
            while let chunk = try exchange.socket.receive(limit: 65_536) {
                if chunk.isEmpty {
                    failTCP(exchange, .malformed(exchange.server, "the TCP connection closed before the answer"))
                    return
                }
                exchange.input += chunk
                while exchange.input.count >= 2 {
                    let length = Int(exchange.input[0]) << 8 | Int(exchange.input[1])
                    guard exchange.input.count >= 2 + length else { break }
                    let bytes = Array(exchange.input[2..<2 + length])
                    exchange.input.removeFirst(2 + length)
                    let message: DNSMessage
                    do {
                        message = try DNSMessage.decode(bytes)
                    } catch {
                        failTCP(exchange, .malformed(exchange.server, error.description))
                        return
                    }
                    guard message.answers(exchange.query) else { continue }
                    if message.isTruncated {
                        failTCP(exchange, .truncated(exchange.server))
                    } else {
                        finish(.answered(message, from: exchange.server, overTCP: true))
                    }
                    return
                }
            }
        } catch {
            failTCP(exchange, problem(error, server: exchange.server))
        }
    }

    private func failTCP(_ exchange: TCPExchange, _ problem: DNSServerProblem) {
        finish(.failed(.unreachable([problem])))
    }

    private func deadlinePassed() {
        guard !completion.isFinished else { return }
        if let tcp {
            finish(.failed(.timeout(servers: [tcp.server])))
        } else if problems.contains(where: { if case .malformed = $0 { true } else { false } }) {
            finish(.failed(.unreachable(problems)))
        } else {
            let silent = asked.filter { server in !problems.contains { $0.server == server } }
            finish(.failed(.timeout(servers: silent.isEmpty ? asked : silent)))
        }
    }

    // MARK: Bookkeeping

    private func note(_ problem: DNSServerProblem) {
        if case .refused(let server) = problem { skipped.insert(server) }
        if !problems.contains(problem) { problems.append(problem) }
    }

    private func problem(_ error: any Error, server: DNSServerAddress) -> DNSServerProblem {
        guard let error = error as? SocketError else { return .network(server, "\(error)") }
        return error.code == ECONNREFUSED ? .refused(server) : .network(server, error.reason)
    }

    private func drop(_ udpTry: UDPTry) {
        loop.unwatch(udpTry.socket.fd)
        udpTry.socket.close()
        active.removeAll { $0 === udpTry }
    }

    private func finish(_ outcome: DNSLookupOutcome) {
        guard !completion.isFinished else { return }
        let elapsed = started.duration(to: loop.now)
        release()
        completion(DNSLookupResult(outcome: outcome, elapsed: elapsed))
    }

    /// Closes every socket and cancels the timers.
    private func release() {
        tryTimer?.cancel()
        deadlineTimer?.cancel()
        tryTimer = nil
        deadlineTimer = nil
        for udpTry in active { drop(udpTry) }
        if let tcp {
            loop.unwatch(tcp.socket.fd)
            tcp.socket.close()
            self.tcp = nil
        }
    }
}
