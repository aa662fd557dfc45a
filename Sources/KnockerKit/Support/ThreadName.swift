import CSystem

/// The operating-system name of the calling thread (what `top -H` and debuggers show).
public enum ThreadName {
    /// Names the calling thread; only the first 15 bytes are kept.
    public static func setCurrent(_ name: String) {
        _ = knocker_set_current_thread_name(name)
    }

    /// The calling thread's name.
    public static var current: String {
        var buffer = [CChar](repeating: 0, count: 32)
        guard knocker_get_current_thread_name(&buffer, buffer.count) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
