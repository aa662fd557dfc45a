import Foundation

/// A Postgres server of the test's own (initdb into a temp dir, trust auth, 127.0.0.1 on a free port), for tests
/// that stop or restart the server. Runs the server binaries as `postgres` via `su` when the tests run as root.
final class TemporaryPostgresCluster: @unchecked Sendable {
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
    static func start() async throws -> TemporaryPostgresCluster {
        try await offPool { try startNow() }
    }

    private static func startNow() throws -> TemporaryPostgresCluster {
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
            try cluster.startAgainNow()
        } catch {
            cluster.destroy()
            throw error
        }
        return cluster
    }

    /// Starts the (stopped) server again on the same port.
    func startAgain() async throws {
        try await offPool { try self.startAgainNow() }
    }

    func startAgainNow() throws {
        let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off"
        try asPostgres(
            "\(Self.binaries)/pg_ctl -D \(directory)/data -o '\(options)' -l \(directory)/server.log -w start"
        )
    }

    /// Stops the server (fast shutdown: clients are disconnected).
    func stop() async throws {
        try await offPool { try self.stopNow() }
    }

    func stopNow() throws {
        try asPostgres("\(Self.binaries)/pg_ctl -D \(directory)/data -m fast -w stop")
    }

    /// Stops and starts the server.
    func restart() async throws {
        try await offPool { try self.restartNow() }
    }

    func restartNow() throws {
        try stopNow()
        try startAgainNow()
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

    /// Runs a program with posix_spawn and waitpid (Foundation's `Process.waitUntilExit` can miss the exit of
    /// `pg_ctl start`, whose daemonised server keeps running), writing its output to `log`.
    private static func run(_ executable: String, _ arguments: [String], log: String?) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let output = log ?? "/dev/null"
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o666)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw CommandFailed(command: executable, output: String(cString: strerror(spawned)))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw CommandFailed(command: executable, output: "waitpid failed") }
        }
        if let log { _ = chmod(log, 0o666) }
        let exited = (status & 0x7f) == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let text = log.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
            throw CommandFailed(command: ([executable] + arguments).joined(separator: " "), output: text)
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
