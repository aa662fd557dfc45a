import Foundation

/// A Postgres server of the test's own (initdb into a temp dir, trust auth, 127.0.0.1 on a free port), for tests
/// that stop or restart the server. Runs the server binaries as `postgres` via `su` when the tests run as root.
final class TemporaryPostgresCluster {
    struct CommandFailed: Error, CustomStringConvertible {
        let command: String
        let output: String
        var description: String { "`\(command)` failed:\n\(output)" }
    }

    static let binaries = "/usr/lib/postgresql/15/bin"

    let directory: String
    let port: Int
    /// A superuser URL to the cluster's `postgres` database.
    var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    private init(directory: String, port: Int) {
        self.directory = directory
        self.port = port
    }

    /// Creates and starts a new cluster.
    static func start() throws -> TemporaryPostgresCluster {
        var template = Array("/tmp/knocker-pg-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw CommandFailed(command: "mkdtemp", output: String(cString: strerror(errno)))
        }
        let directory = String(cString: created)
        if getuid() == 0 {
            try run("/bin/chown", ["postgres", directory], log: nil)
        }
        let cluster = TemporaryPostgresCluster(directory: directory, port: try freePort())
        do {
            try cluster.asPostgres("\(binaries)/initdb -D \(directory)/data -A trust -U postgres --no-sync")
            try cluster.startAgain()
        } catch {
            cluster.destroy()
            throw error
        }
        return cluster
    }

    /// Starts the (stopped) server again on the same port.
    func startAgain() throws {
        let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off"
        try asPostgres("\(Self.binaries)/pg_ctl -D \(directory)/data -o '\(options)' -l \(directory)/server.log -w start")
    }

    /// Stops the server (fast shutdown: clients are disconnected).
    func stop() throws {
        try asPostgres("\(Self.binaries)/pg_ctl -D \(directory)/data -m fast -w stop")
    }

    /// Stops and starts the server.
    func restart() throws {
        try stop()
        try startAgain()
    }

    /// Stops the server if it runs and deletes its directory.
    func destroy() {
        _ = try? asPostgres("\(Self.binaries)/pg_ctl -D \(directory)/data -m immediate -w stop")
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func asPostgres(_ command: String) throws {
        let log = "\(directory)/command.log"
        if getuid() == 0 {
            try Self.run("/bin/su", ["postgres", "-c", command], log: log)
        } else {
            try Self.run("/bin/sh", ["-c", command], log: log)
        }
    }

    private static func run(_ executable: String, _ arguments: [String], log: String?) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var handle: FileHandle?
        if let log {
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            _ = chmod(log, 0o666)
            handle = FileHandle(forWritingAtPath: log)
            process.standardOutput = handle
            process.standardError = handle
        }
        try process.run()
        process.waitUntilExit()
        try? handle?.close()
        guard process.terminationStatus == 0 else {
            let output = log.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
            throw CommandFailed(command: ([executable] + arguments).joined(separator: " "), output: output)
        }
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CommandFailed(command: "socket", output: String(cString: strerror(errno))) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                guard bind(fd, socketAddress, length) == 0 else { return false }
                return getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw CommandFailed(command: "bind", output: String(cString: strerror(errno))) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
