/// One argument of a Redis command: bytes sent with an explicit length, so any byte (including NUL) is allowed.
///
/// String and integer literals and interpolations convert implicitly: `["SET", "key:\(id)", 42]`.
public struct RedisArgument: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringInterpolation
{
    /// The bytes sent to the server.
    public var bytes: [UInt8]

    /// An argument of raw bytes.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The UTF-8 bytes of `string`.
    public init(_ string: String) { self.bytes = Array(string.utf8) }

    /// The decimal text of `value`.
    public init(_ value: Int64) { self.bytes = Array(String(value).utf8) }

    /// The decimal text of `value`.
    public init(_ value: Int) { self.bytes = Array(String(value).utf8) }

    /// The UTF-8 bytes of a string literal.
    public init(stringLiteral value: String) { self.init(value) }

    /// The decimal text of an integer literal.
    public init(integerLiteral value: Int) { self.init(value) }

    /// The UTF-8 bytes of an interpolated string.
    public init(stringInterpolation: DefaultStringInterpolation) {
        self.init(String(stringInterpolation: stringInterpolation))
    }
}
