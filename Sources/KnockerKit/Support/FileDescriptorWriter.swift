import Foundation

/// Writes whole byte strings to a file descriptor, retrying short writes and EINTR.
enum FileDescriptorWriter {
    /// The outcome of a write.
    enum Outcome: Equatable {
        case written
        /// The reader went away (EPIPE).
        case brokenPipe
        case failed(Int32)
    }

    /// Writes all of `bytes` to `fd`.
    @discardableResult
    static func write(_ bytes: [UInt8], to fd: Int32) -> Outcome {
        bytes.withUnsafeBytes { buffer -> Outcome in
            guard let base = buffer.baseAddress else { return .written }
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(fd, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno == EPIPE ? .brokenPipe : .failed(errno)
                }
                offset += written
            }
            return .written
        }
    }
}
