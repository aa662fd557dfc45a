/// An error from the Redis layer. ``description`` is safe to show users: it never contains the password.
public struct RedisError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: Sendable, Equatable {
        /// A new connection could not be opened, authenticated or switched to the configured database (or the
        /// client is backing off after such a failure).
        case connectionFailed
        /// An open connection broke while in use (I/O error, the server closed it).
        case connectionLost
        /// The server did not answer within the command timeout; the connection was discarded.
        case timeout
        /// The server answered with an error reply; ``RedisError/message`` holds its text.
        case server
        /// hiredis or the server did something this layer did not expect.
        case protocolViolation
        /// No pooled connection became free within the acquire timeout.
        case poolTimeout
        /// The client is shut down.
        case poolClosed
        /// The calling task was cancelled while it waited for a connection.
        case cancelled
    }

    /// What kind of failure this is.
    public var code: Code
    /// For ``Code/server``, the server's error text, e.g. `NOSCRIPT No matching script…` or `WRONGTYPE …`;
    /// otherwise our own description.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// Whether the connection, not the command, failed: ``Code/connectionFailed``, ``Code/connectionLost`` or
    /// ``Code/timeout``.
    public var isConnectionError: Bool {
        switch code {
        case .connectionFailed, .connectionLost, .timeout: true
        default: false
        }
    }

    /// The message; server errors are prefixed with "Redis error: ".
    public var description: String {
        code == .server ? "Redis error: \(message)" : message
    }
}
