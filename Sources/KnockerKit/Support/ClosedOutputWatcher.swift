import Foundation

/// Notices when the reader of a pipe or socket the process writes to goes away (`knocker tail-pings --follow |
/// head -1`), without writing to it: a command that waits for something to print would otherwise learn of it only at
/// its next write, which may never come. The wait (`poll` for POLLERR/POLLHUP) runs on a thread of its own.
enum ClosedOutputWatcher {
    /// Calls `onClose` once, from the watcher's thread, when `fd`'s reader has gone. Does nothing for a file or a
    /// terminal (they have no reader that can go away).
    static func watch(_ fd: Int32, onClose: @escaping @Sendable () -> Void) {
        var status = stat()
        guard fstat(fd, &status) == 0 else { return }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFIFO || kind == S_IFSOCK else { return }
        let thread = Thread {
            ThreadName.setCurrent("knocker-output")
            var watched = pollfd(fd: fd, events: 0, revents: 0)
            while true {
                let ready = poll(&watched, 1, -1)
                if ready < 0 {
                    if errno == EINTR { continue }
                    return
                }
                if watched.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 {
                    onClose()
                    return
                }
            }
        }
        thread.stackSize = 1 << 16
        thread.start()
    }
}
