import Foundation
import Synchronization

@testable import KnockerKit

#if canImport(Glibc)
import Glibc
#endif

/// A tiny DNS server for the DNS check tests: UDP and TCP on one ephemeral port of 127.0.0.1 (and of ::1 when
/// the machine has IPv6), plain blocking sockets, one thread per socket and one per TCP connection.
///
/// Answers from ``records`` (a CNAME at the asked name is followed, as a recursive resolver does), NOERROR without
/// answers for a known name asked for another type, NXDOMAIN for unknown names, and special names:
/// `servfail.test` gets SERVFAIL, names starting with `silent` no answer at all, `garbage.test` a 2-byte datagram, `big.test` a truncated UDP answer (TC=1) and
/// its full TXT records over TCP, `noisy.test` a stray answer with the wrong id and a garbage datagram before the
/// real answer. ``arrival(of:)`` waits until a query for a name has arrived.
final class TestDNSServer: Sendable {
    /// The server shared by all DNS tests; nil when it could not listen.
    static let shared: TestDNSServer? = TestDNSServer()

    /// The answer table: lower-cased name → records.
    static let records: [String: [DNSTestPacket.Record]] = {
        let big = (0..<12).map { String(repeating: Character(String($0 % 10)), count: 200) }
        let list: [DNSTestPacket.Record] = [
            .a("a.test", "192.0.2.1"), .a("a.test", "192.0.2.2"),
            .aaaa("v6.test", "2001:db8::1"),
            .cname("www.test", "alias.test"), .cname("alias.test", "a.test"),
            .mx("mail.test", 10, "mx1.test"), .mx("mail.test", 20, "mx2.test"),
            .txt("txt.test", ["v=spf1 ", "-all"]),
            .txt("big.test", big),
            .a("noisy.test", "192.0.2.9"),
        ]
        return Dictionary(grouping: list) { $0.name.lowercased() }
    }()

    /// The UDP and TCP port (the same on both addresses).
    let port: UInt16
    /// Whether the server also listens on ::1.
    let hasIPv6: Bool
    private let arrivals = Mutex<(arrived: Set<String>, waiters: [String: [CheckedContinuation<Void, Never>]])>(
        ([], [:])
    )

    private init?() {
        var found: (fds: [(Int32, Int32)], port: UInt16, v6: Bool)?
        for _ in 0..<20 {
            guard let (udp, port) = Self.bind(family: AF_INET, type: SOCK_DGRAM, port: 0) else { return nil }
            guard let (tcp, _) = Self.bind(family: AF_INET, type: SOCK_STREAM, port: port) else {
                close(udp)
                continue
            }
            var fds = [(udp, SOCK_DGRAM), (tcp, SOCK_STREAM)].map { ($0.0, Int32($0.1.rawValue)) }
            var v6 = false
            if let (udp6, _) = Self.bind(family: AF_INET6, type: SOCK_DGRAM, port: port) {
                if let (tcp6, _) = Self.bind(family: AF_INET6, type: SOCK_STREAM, port: port) {
                    fds += [(udp6, Int32(SOCK_DGRAM.rawValue)), (tcp6, Int32(SOCK_STREAM.rawValue))]
                    v6 = true
                } else {
                    close(udp6)
                }
            }
            found = (fds, port, v6)
            break
        }
        guard let found else { return nil }
        port = found.port
        hasIPv6 = found.v6
        for (fd, type) in found.fds {
            let thread = Thread { [self] in
                if type == Int32(SOCK_DGRAM.rawValue) { udpLoop(fd) } else { acceptLoop(fd) }
            }
            thread.name = "test-dns"
            thread.start()
        }
    }

    /// `127.0.0.1:<port>`, or `[::1]:<port>`.
    func server(ipv6: Bool = false) -> String {
        ipv6 ? "[::1]:\(port)" : "127.0.0.1:\(port)"
    }

    /// Returns once a query for `name` has arrived.
    func arrival(of name: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let arrived = arrivals.withLock { state -> Bool in
                if state.arrived.contains(name) { return true }
                state.waiters[name, default: []].append(continuation)
                return false
            }
            if arrived { continuation.resume() }
        }
    }

    /// A UDP port on 127.0.0.1 that nobody listens on (bound, then closed).
    static func closedPort() -> UInt16? {
        guard let (fd, port) = bind(family: AF_INET, type: SOCK_DGRAM, port: 0) else { return nil }
        close(fd)
        return port
    }

    // MARK: Answers

    /// What to send for `query`: responses in order (empty: stay silent).
    static func responses(to query: [UInt8], overTCP: Bool) -> [[UInt8]] {
        guard let message = try? DNSMessage.decode(query), let question = message.questions.first else { return [] }
        let name = DNSText.canonical(question.name)
        let id = message.id
        func answer(rcode: UInt16 = 0, _ records: [DNSTestPacket.Record] = [], truncated: Bool = false) -> [UInt8] {
            DNSTestPacket.response(
                id: id,
                name: question.name,
                type: question.type,
                rcode: rcode,
                answers: records,
                truncated: truncated
            )
        }
        switch name {
        case "servfail.test": return [answer(rcode: 2)]
        case _ where name.hasPrefix("silent"): return []
        case "garbage.test": return [[0xDE, 0xAD]]
        case "big.test" where !overTCP: return [answer(truncated: true)]
        case "noisy.test":
            let stray = DNSTestPacket.response(
                id: id &+ 1,
                name: question.name,
                type: question.type,
                answers: [.a(name, "203.0.113.66")]
            )
            return [stray, [0xDE, 0xAD], answer(lookup(name, type: question.type))]
        default:
            guard records[name] != nil else { return [answer(rcode: 3)] }
            return [answer(lookup(name, type: question.type))]
        }
    }

    /// The records answering `name`/`type`, CNAMEs followed for other types.
    static func lookup(_ name: String, type: UInt16) -> [DNSTestPacket.Record] {
        var result: [DNSTestPacket.Record] = []
        var current = name
        for _ in 0..<8 {
            let here = records[current] ?? []
            let matching = here.filter { $0.type == type }
            if !matching.isEmpty || type == 5 { return result + matching }
            guard let alias = here.first(where: { $0.type == 5 }) else { return result }
            var reader = DNSReader(bytes: alias.data)
            guard let target = try? reader.name("test") else { return result }
            result.append(alias)
            current = target.lowercased()
        }
        return result
    }

    // MARK: Sockets

    private func noteArrival(_ query: [UInt8]) {
        guard let name = (try? DNSMessage.decode(query))?.questions.first.map({ DNSText.canonical($0.name) }) else {
            return
        }
        let waiters = arrivals.withLock { state in
            state.arrived.insert(name)
            return state.waiters.removeValue(forKey: name) ?? []
        }
        for waiter in waiters { waiter.resume() }
    }

    private func udpLoop(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let count = buffer.withUnsafeMutableBytes { raw in
                withUnsafeMutablePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        recvfrom(fd, raw.baseAddress, raw.count, 0, $0, &length)
                    }
                }
            }
            if count < 0 {
                if errno == EINTR { continue }
                return
            }
            let query = Array(buffer.prefix(count))
            noteArrival(query)
            for response in Self.responses(to: query, overTCP: false) {
                _ = response.withUnsafeBytes { raw in
                    withUnsafePointer(to: &storage) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            sendto(fd, raw.baseAddress, raw.count, 0, $0, length)
                        }
                    }
                }
            }
        }
    }

    private func acceptLoop(_ listener: Int32) {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            let thread = Thread { [self] in serveTCP(fd) }
            thread.stackSize = 1 << 18
            thread.start()
        }
    }

    /// Answers length-prefixed queries until the client closes.
    private func serveTCP(_ fd: Int32) {
        defer { close(fd) }
        while let prefix = Self.read(fd, count: 2) {
            let length = Int(prefix[0]) << 8 | Int(prefix[1])
            guard let query = Self.read(fd, count: length) else { return }
            noteArrival(query)
            for response in Self.responses(to: query, overTCP: true) {
                var framed: [UInt8] = []
                framed.appendUInt16(UInt16(response.count))
                Self.write(fd, framed + response)
            }
        }
    }

    private static func read(_ fd: Int32, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes[done...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard got > 0 else { return nil }
            done += got
        }
        return bytes
    }

    private static func write(_ fd: Int32, _ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return }
            sent += count
        }
    }

    /// A socket bound to the loopback address of `family` and `port` (0: any free), listening when a stream.
    private static func bind(family: Int32, type: __socket_type, port: UInt16) -> (Int32, UInt16)? {
        let fd = socket(family, Int32(type.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var one: Int32 = 1
        if family == AF_INET6 {
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        var storage = sockaddr_storage()
        var length: socklen_t
        if family == AF_INET {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = port.bigEndian
            withUnsafeBytes(of: &address) { raw in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: raw) } }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        } else {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_addr = in6addr_loopback
            address.sin6_port = port.bigEndian
            withUnsafeBytes(of: &address) { raw in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: raw) } }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        }
        let bound = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                Glibc.bind(fd, address, length) == 0 && (type != SOCK_STREAM || listen(fd, 128) == 0)
                    && getsockname(fd, address, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            return nil
        }
        let boundPort = withUnsafeBytes(of: &storage) { raw -> UInt16 in
            family == AF_INET
                ? UInt16(bigEndian: raw.loadUnaligned(as: sockaddr_in.self).sin_port)
                : UInt16(bigEndian: raw.loadUnaligned(as: sockaddr_in6.self).sin6_port)
        }
        return (fd, boundPort)
    }
}
