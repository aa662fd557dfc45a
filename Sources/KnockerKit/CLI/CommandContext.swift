import Foundation
import Synchronization

/// Everything a command's action gets: its parsed arguments, the environment and where to write.
public struct CommandContext: Sendable {
    public var arguments: ParsedArguments
    public var environment: [String: String]
    public var standardOutput: TextStream
    public var standardError: TextStream
    /// The working directory, for relative paths such as `.env` and `migrations/`.
    public var currentDirectory: String

    public init(
        arguments: ParsedArguments,
        environment: [String: String],
        standardOutput: TextStream,
        standardError: TextStream,
        currentDirectory: String
    ) {
        self.arguments = arguments
        self.environment = environment
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.currentDirectory = currentDirectory
    }
}

/// A place commands write text: a file descriptor, or a buffer in tests.
public final class TextStream: Sendable {
    private let sink: @Sendable (String) -> Void
    /// Whether the stream is a terminal (tables are aligned for terminals; colours only there).
    public let isTerminal: Bool
    /// Width in columns: `COLUMNS`, else the terminal's, else 80.
    public let columns: Int
    /// The file descriptor written to; nil for a buffer.
    public let fileDescriptor: Int32?

    public init(
        isTerminal: Bool,
        columns: Int,
        fileDescriptor: Int32? = nil,
        sink: @escaping @Sendable (String) -> Void
    ) {
        self.isTerminal = isTerminal
        self.columns = columns
        self.fileDescriptor = fileDescriptor
        self.sink = sink
    }

    public func write(_ text: String) { sink(text) }

    /// Writes `text` followed by a newline.
    public func line(_ text: String = "") { sink(text + "\n") }

    /// A stream over a file descriptor. Writes that fail with EPIPE end the process quietly with exit 0 for
    /// stdout (`knocker … | head`), as command-line tools are expected to.
    public static func fileDescriptor(_ fd: Int32, environment: [String: String]) -> TextStream {
        let terminal = isatty(fd) == 1
        var columns = 80
        if let text = environment["COLUMNS"], let value = Int(text), value > 0 {
            columns = value
        } else if terminal {
            var size = winsize()
            if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { columns = Int(size.ws_col) }
        }
        return TextStream(isTerminal: terminal, columns: columns, fileDescriptor: fd) { text in
            if FileDescriptorWriter.write(Array(text.utf8), to: fd) == .brokenPipe { exit(fd == 1 ? 0 : 1) }
        }
    }

    /// A stream that keeps what is written, for tests.
    public static func buffer(isTerminal: Bool = false, columns: Int = 80) -> (TextStream, @Sendable () -> String) {
        let storage = Mutex("")
        let stream = TextStream(isTerminal: isTerminal, columns: columns) { text in
            storage.withLock { $0 += text }
        }
        return (stream, { storage.withLock { $0 } })
    }
}
