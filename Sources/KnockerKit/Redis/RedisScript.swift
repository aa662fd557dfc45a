/// A Lua script run with `EVALSHA`, falling back to `EVAL` when the server does not have it cached.
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// The lower-case hexadecimal SHA-1 of ``source``, as `SCRIPT LOAD` returns it.
    public let sha1: String

    /// A script with the given source.
    public init(_ source: String) {
        self.source = source
        self.sha1 = Digest.hex(Digest.sha1(Array(source.utf8)))
    }
}
