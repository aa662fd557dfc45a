import CSystem
import Foundation

/// Why a host name gave no usable address.
public enum ResolveError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name does not resolve (NXDOMAIN, no records, or the resolver failed).
    case lookupFailed(host: String, detail: String)
    /// The lookup took longer than the check's timeout.
    case timedOut(host: String, seconds: Int)
    /// The name resolves, but not to the family asked for.
    case noAddress(host: String, family: SocketAddress.Family)
    /// The resolver pool is shut down or the lookup was cancelled.
    case cancelled

    /// A short human message: "DNS lookup failed for host x (Name or service not known)".
    public var description: String {
        switch self {
        case .lookupFailed(let host, let detail): "DNS lookup failed for host \(host) (\(detail))"
        case .noAddress(let host, let family): "no IPv\(family == .v4 ? 4 : 6) address for host \(host)"
        case .timedOut(let host, let seconds): "DNS lookup for host \(host) timed out after \(seconds) s"
        case .cancelled: "check cancelled"
        }
    }
}

/// Resolves host names with the system resolver (`getaddrinfo`: /etc/hosts, then DNS, per nsswitch) on threads of
/// its own, so lookups never block the cooperative pool or the socket loop. IP literals are parsed in place.
public final class HostResolver: Sendable {
    private let pool: BlockingThreadPool

    /// A resolver with `threads` lookup threads (named `knocker-resolve`).
    public init(threads: Int = 4) {
        pool = BlockingThreadPool(name: "knocker-resolve", threads: threads)
    }

    /// Every address of `host` for `ipVersion`, in the system's preferred order (RFC 6724 via getaddrinfo),
    /// duplicates removed, each with `port`.
    public func resolve(
        _ host: String,
        ipVersion: IPVersion = .auto,
        port: UInt16 = 0
    )
        async throws(ResolveError) -> [SocketAddress]
    {
        let wanted: SocketAddress.Family? =
            switch ipVersion {
            case .auto: nil
            case .v4: .v4
            case .v6: .v6
            }
        let literalText = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if let literal = SocketAddress(ip: literalText, port: port) {
            if let wanted, literal.family != wanted { throw .noAddress(host: host, family: wanted) }
            return [literal]
        }
        let outcome: Result<[SocketAddress], ResolveError>
        do {
            outcome = try await pool.run { Self.lookup(host, family: wanted, port: port) }
        } catch {
            throw .cancelled
        }
        return try outcome.get()
    }

    /// ``resolve(_:ipVersion:port:)`` bounded by `timeout`: a lookup still running then fails as
    /// ``ResolveError/timedOut(host:seconds:)`` (its thread finishes the call in the background).
    public func resolve(
        _ host: String,
        ipVersion: IPVersion = .auto,
        port: UInt16 = 0,
        timeout: Duration
    )
        async throws(ResolveError) -> [SocketAddress]
    {
        let outcome = await withTaskGroup(of: Result<[SocketAddress], ResolveError>?.self) { group in
            group.addTask {
                do throws(ResolveError) {
                    return .success(try await self.resolve(host, ipVersion: ipVersion, port: port))
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return Task.isCancelled
                    ? nil : .failure(.timedOut(host: host, seconds: Int(timeout.components.seconds)))
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure(.cancelled)
        }
        return try outcome.get()
    }

    /// Stops the lookup threads; lookups after this fail as cancelled.
    public func shutdown() {
        pool.shutdown()
    }

    /// The blocking `getaddrinfo` call.
    private static func lookup(
        _ host: String,
        family: SocketAddress.Family?,
        port: UInt16
    )
        -> Result<[SocketAddress], ResolveError>
    {
        var hints = addrinfo()
        hints.ai_family =
            switch family {
            case .v4: AF_INET
            case .v6: AF_INET6
            case nil: AF_UNSPEC
            }
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        defer { if let list { freeaddrinfo(list) } }
        guard status == 0 else {
            if let family {
                // Some resolvers answer "no such name" for a family the name lacks; ask for any family to tell.
                if status == knocker_eai_nodata || status == knocker_eai_addrfamily
                    || (try? lookup(host, family: nil, port: port).get()) != nil
                {
                    return .failure(.noAddress(host: host, family: family))
                }
            }
            let detail = gai_strerror(status).map { String(cString: $0) } ?? "error \(status)"
            return .failure(.lookupFailed(host: host, detail: detail))
        }
        var addresses: [SocketAddress] = []
        var cursor = list
        while let entry = cursor {
            if let raw = entry.pointee.ai_addr {
                var storage = sockaddr_storage()
                let length = min(Int(entry.pointee.ai_addrlen), MemoryLayout<sockaddr_storage>.size)
                withUnsafeMutableBytes(of: &storage) {
                    $0.copyMemory(from: UnsafeRawBufferPointer(start: raw, count: length))
                }
                if var address = SocketAddress(storage: storage) {
                    address.port = port
                    if !addresses.contains(address) { addresses.append(address) }
                }
            }
            cursor = entry.pointee.ai_next
        }
        if addresses.isEmpty {
            return .failure(
                family.map { .noAddress(host: host, family: $0) } ?? .lookupFailed(host: host, detail: "no addresses")
            )
        }
        return .success(addresses)
    }
}
