/// A reply from Redis (RESP2).
public enum RedisValue: Sendable, Equatable {
    /// A simple string reply, e.g. `+OK`.
    case status(String)
    /// An error reply, e.g. `-ERR …`. Only appears inside pipeline and script results; a single command whose reply
    /// is an error throws ``RedisError`` with code ``RedisError/Code/server`` instead.
    case error(String)
    /// An integer reply.
    case integer(Int64)
    /// A bulk string reply; binary safe.
    case bulk([UInt8])
    /// A nil reply (missing key, nil bulk string or nil array).
    case null
    /// An array reply.
    case array([RedisValue])

    /// The text of a bulk or status reply, decoded as UTF-8 (invalid bytes are replaced); nil for other replies.
    public var string: String? {
        switch self {
        case .bulk(let bytes): String(decoding: bytes, as: UTF8.self)
        case .status(let text): text
        default: nil
        }
    }

    /// The bytes of a bulk or status reply; nil for other replies.
    public var bytes: [UInt8]? {
        switch self {
        case .bulk(let bytes): bytes
        case .status(let text): Array(text.utf8)
        default: nil
        }
    }

    /// An integer reply, or a bulk or status reply whose text parses as `Int64`; nil otherwise.
    public var int: Int64? {
        switch self {
        case .integer(let value): value
        case .bulk, .status: string.flatMap { Int64($0) }
        default: nil
        }
    }

    /// The elements of an array reply; nil for other replies.
    public var array: [RedisValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// Whether this is a nil reply.
    public var isNull: Bool { self == .null }

    /// The text of an error reply; nil for other replies.
    public var errorMessage: String? {
        if case .error(let message) = self { return message }
        return nil
    }
}
