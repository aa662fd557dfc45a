import Foundation

@testable import KnockerKit

/// A redis-server of the test's own (127.0.0.1 on a free port, a temp dir, no persistence, DEBUG enabled), for
/// tests that stop, restart or flush the server. The server runs as a direct child (not daemonised), spawned with
/// posix_spawn and reaped with waitpid.
final class TemporaryRedisServer: @unchecked Sendable {
    struct Failed: Error, CustomStringConvertible {
        let action: String
        let output: String
        var description: String { "\(action) failed:\n\(output)" }
    }

    static let executable = "/usr/bin/redis-server"

    let directory: String
    let port: Int
    let password: String?
    private var processID: pid_t?

    /// A configuration for this server, with the given timeouts.
    var configuration: RedisConfiguration {
        RedisConfiguration(host: "127.0.0.1", port: port, password: password)
    }

    private init(directory: String, port: Int, password: String?) {
        self.directory = directory
        self.port = port
        self.password = password
    }

    deinit { destroy() }

    /// Creates and starts a new server; with `password`, clients must `AUTH`. Tries another port when the free port
    /// it picked was taken in the meantime.
    static func start(password: String? = nil) async throws -> TemporaryRedisServer {
        try await offPool { try startNow(password: password) }
    }

    private static func startNow(password: String?) throws -> TemporaryRedisServer {
        var attempt = 0
        while true {
            attempt += 1
            var template = Array("/tmp/knocker-redis-XXXXXX".utf8CString)
            guard let created = mkdtemp(&template) else {
                throw Failed(action: "mkdtemp", output: String(cString: strerror(errno)))
            }
            let server = TemporaryRedisServer(
                directory: String(cString: created),
                port: try freePort(),
                password: password
            )
            do {
                try server.startAgainNow()
                return server
            } catch let error as Failed where attempt < 5 && error.output.contains("Address already in use") {
                server.destroy()
            } catch {
                server.destroy()
                throw error
            }
        }
    }

    /// Starts the (stopped) server again on the same port, and waits until it accepts connections.
    func startAgain() async throws {
        try await offPool { try self.startAgainNow() }
    }

    func startAgainNow() throws {
        guard processID == nil else { return }
        var arguments = [
            "--port", "\(port)", "--bind", "127.0.0.1", "--dir", directory, "--save", "", "--appendonly", "no",
            "--enable-debug-command", "yes", "--daemonize", "no", "--logfile", "",
        ]
        if let password { arguments += ["--requirepass", password] }
        processID = try Self.spawn(Self.executable, arguments, log: "\(directory)/server.log")
        let deadline = Date().addingTimeInterval(10)
        while !Self.accepts(port: port) {
            guard Date() < deadline, isRunning() else {
                let log = (try? String(contentsOfFile: "\(directory)/server.log", encoding: .utf8)) ?? ""
                destroy()
                throw Failed(action: "starting redis-server on port \(port)", output: log)
            }
            usleep(20_000)
        }
    }

    /// Stops the server (SIGTERM; clients are disconnected) and waits for it to exit.
    func stop() async throws {
        try await offPool { try self.stopNow() }
    }

    func stopNow() throws {
        guard let pid = processID else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while isRunning() {
            guard Date() < deadline else {
                destroy()
                throw Failed(action: "stopping redis-server on port \(port)", output: "it ignored SIGTERM for 10 s")
            }
            usleep(10_000)
        }
    }

    /// Stops and starts the server.
    func restart() async throws {
        try await offPool { try self.restartNow() }
    }

    func restartNow() throws {
        try stopNow()
        try startAgainNow()
    }

    /// Kills the server if it runs and deletes its directory.
    func destroy() {
        if let pid = processID {
            kill(pid, SIGKILL)
            _ = try? Self.reap(pid)
            processID = nil
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func isRunning() -> Bool {
        guard let pid = processID else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            processID = nil
            return false
        }
        return true
    }

    private static func reap(_ pid: pid_t) throws {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw Failed(action: "waitpid", output: String(cString: strerror(errno))) }
        }
    }

    private static func spawn(_ executable: String, _ arguments: [String], log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o666)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Don't let the server inherit the test process's descriptors (a client socket held open by a server that
        // outlives its test keeps that connection, and its subscriptions, alive on the other server). The Glibc
        // module doesn't import posix_spawn_file_actions_addclosefrom_np, so mark them close-on-exec.
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in descriptors.compactMap({ Int32($0) }) where descriptor > 2 {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        // The test process's threads block most signals, and a spawned child inherits that mask: without this the
        // server would ignore SIGTERM.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw Failed(action: executable, output: String(cString: strerror(spawned))) }
        return pid
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failed(action: "socket", output: String(cString: strerror(errno))) }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                guard bind(fd, socketAddress, length) == 0 else { return false }
                return getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw Failed(action: "bind", output: String(cString: strerror(errno))) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
