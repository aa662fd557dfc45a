import Foundation
import KnockerKit
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

// http-check-bench rate URL CONCURRENCY SECONDS
//   Keeps CONCURRENCY checks of URL in flight through one CurlMultiLoop for SECONDS (each a fresh connection).
//   Prints "rate <checks> <seconds> <checks/s> <failures> <first failure message>".
// http-check-bench rss COUNT
//   Starts a listener in this process that reads each request and never answers, puts COUNT checks in flight
//   against it, and reads VmRSS once all COUNT requests have arrived. Prints "rss <count> <KiB before> <KiB in
//   flight>".
let usage = "usage: http-check-bench rate URL CONCURRENCY SECONDS | http-check-bench rss COUNT\n"

func fail(_ message: String, code: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data(message.utf8))
    exit(code)
}

/// VmRSS of this process in KiB (0 when unreadable).
func residentKiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
    return 0
}

/// Raises the soft open-files limit to the hard limit (each check holds a socket, the rss listener another).
func allowAllOpenFiles() {
    var limit = rlimit()
    let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    guard getrlimit(resource, &limit) == 0 else { return }
    limit.rlim_cur = limit.rlim_max
    _ = setrlimit(resource, &limit)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func rate(url: String, concurrency: Int, duration: Duration) async {
    let loop = CurlMultiLoop()
    let config = HTTPMonitorConfig(url: url, requestTimeout: 10)
    let started = ContinuousClock.now
    let deadline = started + duration
    let (checks, failures, firstFailure) = await withTaskGroup(of: (Int, Int, String?).self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                var checks = 0
                var failures = 0
                var firstFailure: String?
                while ContinuousClock.now < deadline {
                    let result = await loop.perform(HTTPCheckRequest(config: config))
                    checks += 1
                    if result.status != .successful {
                        failures += 1
                        if firstFailure == nil { firstFailure = result.message ?? "\(result.status)" }
                    }
                }
                return (checks, failures, firstFailure)
            }
        }
        var total = (0, 0, String?.none)
        for await lane in group {
            total.0 += lane.0
            total.1 += lane.1
            total.2 = total.2 ?? lane.2
        }
        return total
    }
    let elapsed = seconds(ContinuousClock.now - started)
    await loop.shutdown()
    print(
        String(
            format: "rate %d %.3f %.0f %d %@",
            checks,
            elapsed,
            Double(checks) / elapsed,
            failures,
            firstFailure ?? "-"
        )
    )
}

/// Accepts connections on 127.0.0.1 on one thread, reads each request head and holds the connection unanswered.
final class SilentListener: Sendable {
    let port: UInt16
    private let arrived = Mutex<(count: Int, waiter: (Int, CheckedContinuation<Void, Never>)?)>((0, nil))

    init?() {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(fd, address, length) == 0 && listen(fd, 4096) == 0 && getsockname(fd, address, &length) == 0
            }
        }
        guard bound else { return nil }
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.start()
    }

    /// Returns once `count` requests have arrived.
    func arrivals(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = arrived.withLock { state -> Bool in
                if state.count >= count { return true }
                state.waiter = (count, continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func acceptLoop(_ listener: Int32) {
        var held: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { continue }
            held.append(fd)
            var seen: [UInt8] = []
            while seen.firstRange(of: Array("\r\n\r\n".utf8)) == nil {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { break }
                seen.append(contentsOf: buffer[..<count])
            }
            let ready = arrived.withLock { state -> CheckedContinuation<Void, Never>? in
                state.count += 1
                guard let (count, waiter) = state.waiter, state.count >= count else { return nil }
                state.waiter = nil
                return waiter
            }
            ready?.resume()
        }
    }
}

func rss(count: Int) async {
    guard let listener = SilentListener() else { fail("could not listen on 127.0.0.1\n") }
    let loop = CurlMultiLoop()
    let config = HTTPMonitorConfig(url: "http://127.0.0.1:\(listener.port)/", requestTimeout: 120)
    // One check first, so the loop thread and libcurl's global state exist in the baseline.
    _ = await loop.perform(HTTPCheckRequest(config: HTTPMonitorConfig(url: "http://127.0.0.1:1/", requestTimeout: 5)))
    let before = residentKiB()
    await withTaskGroup(of: Void.self) { group in
        for _ in 0..<count {
            group.addTask { _ = await loop.perform(HTTPCheckRequest(config: config)) }
        }
        await listener.arrivals(count)
        let inFlight = residentKiB()
        print("rss \(count) \(before) \(inFlight)")
        await loop.shutdown()  // fails every check in flight as "shutting down"
    }
}

let arguments = CommandLine.arguments
allowAllOpenFiles()
switch (arguments.count, arguments.count > 1 ? arguments[1] : "") {
case (5, "rate"):
    guard let concurrency = Int(arguments[3]), let time = Double(arguments[4]), concurrency > 0, time > 0 else {
        fail(usage, code: 64)
    }
    await rate(url: arguments[2], concurrency: concurrency, duration: .milliseconds(Int(time * 1000)))
case (3, "rss"):
    guard let count = Int(arguments[2]), count > 0 else { fail(usage, code: 64) }
    await rss(count: count)
default:
    fail(usage, code: 64)
}
