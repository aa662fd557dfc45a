import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` (Foundation's `Process.run()` was seen to crash under load when many
/// tests start processes at once). The child gets an empty signal mask and default signal actions (the test
/// process's threads block signals, and a child would inherit that), `/dev/null` as stdin, and stdout and stderr in
/// the given files. Mirrors the parts of `Process` the tests use.
final class SpawnedProcess: Sendable {
    /// Why a process could not be started.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let processIdentifier: pid_t
    private let exitStatus = Mutex<Int32?>(nil)

    /// Starts `executable arguments…` in `directory` with exactly `environment`.
    init(
        executable: String,
        arguments: [String],
        environment: [String: String],
        directory: String,
        standardOutput: String,
        standardError: String
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // Keep the test process's sockets and files out of the child (a child holding a test's connection open
        // changes what that test sees). Glibc's posix_spawn_file_actions_addclosefrom_np is not imported into
        // Swift, so mark every descriptor close-on-exec.
        for descriptor in ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [])
            .compactMap({ Int32($0) }) where descriptor > 2
        {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
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
        // `env -C` changes to the directory (posix_spawn_file_actions_addchdir_np is not imported into Swift).
        let argv = (["/usr/bin/env", "-C", directory, executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        processIdentifier = pid
    }

    /// Whether the child has not exited yet (reaps it when it has).
    var isRunning: Bool {
        exitStatus.withLock { status in
            if status != nil { return false }
            var raw: Int32 = 0
            let result = waitpid(processIdentifier, &raw, WNOHANG)
            guard result == processIdentifier else { return result == 0 }
            status = Self.decode(raw)
            return false
        }
    }

    /// Sends SIGTERM.
    func terminate() {
        kill(processIdentifier, SIGTERM)
    }

    /// Blocks until the child exits (call off the cooperative pool).
    func waitUntilExit() {
        if exitStatus.withLock({ $0 }) != nil { return }
        var raw: Int32 = 0
        while true {
            let result = waitpid(processIdentifier, &raw, 0)
            if result == processIdentifier {
                exitStatus.withLock { $0 = Self.decode(raw) }
                return
            }
            if result < 0 && errno != EINTR {
                // Reaped elsewhere (isRunning raced us): the status is recorded there.
                return
            }
        }
    }

    /// The exit status, or 128 + the signal number when a signal ended it; -1 before it exited.
    var terminationStatus: Int32 { exitStatus.withLock { $0 } ?? -1 }

    private static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }
}
