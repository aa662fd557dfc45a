import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Resource figures and limits of the test process itself.
enum ProcessResources {
    /// Why a limit could not be raised.
    struct LimitError: Error, CustomStringConvertible {
        /// What went wrong.
        var description: String
    }

    /// The number of threads of this process (entries of `/proc/self/task`); 0 when unreadable.
    static func threadCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
    }

    /// Raises the soft limit on open files (`RLIMIT_NOFILE`) to at least `count`, up to the hard limit; throws when
    /// the hard limit is lower.
    static func allowOpenFiles(_ count: Int) throws {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0 else { throw LimitError(description: "getrlimit failed: \(errno)") }
        guard limit.rlim_cur < rlim_t(count) else { return }
        guard limit.rlim_max >= rlim_t(count) else {
            throw LimitError(description: "open files limited to \(limit.rlim_max), need \(count) (ulimit -Hn)")
        }
        limit.rlim_cur = rlim_t(count)
        guard setrlimit(resource, &limit) == 0 else { throw LimitError(description: "setrlimit failed: \(errno)") }
    }
}
