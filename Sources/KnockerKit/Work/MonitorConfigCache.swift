import Synchronization

/// Validated monitor configs by their JSON text, so a worker decodes each monitor's config once rather than for
/// every check (the JSON decoder is a good part of a ping task's cost). A config that fails validation is not kept:
/// its error is worked out again, rarely. Keyed by the text's bytes (two texts Swift's `String` calls equal, such as
/// composed and decomposed accents, may still be different configs). Bounded: configs of more than
/// ``largestKept`` bytes are decoded every time, and once ``capacity`` configs or ``byteLimit`` bytes of JSON are
/// kept, the cache starts over.
final class MonitorConfigCache: Sendable {
    private struct Key: Hashable {
        var type: MonitorType
        var json: [UInt8]
    }

    private struct Entries {
        var configs: [Key: MonitorConfig] = [:]
        var bytes = 0
    }

    /// Most configs kept.
    let capacity: Int
    /// Most bytes of config JSON kept (each kept config also holds its decoded form, of about the same size).
    let byteLimit: Int
    /// Largest config JSON kept, in bytes.
    let largestKept: Int
    private let entries = Mutex(Entries())

    init(capacity: Int = 100_000, byteLimit: Int = 32 << 20, largestKept: Int = 64 << 10) {
        self.capacity = max(1, capacity)
        self.byteLimit = max(1, byteLimit)
        self.largestKept = max(0, largestKept)
    }

    /// The validated config of `json` for a monitor of `type`; throws what ``MonitorConfig/decodeAndValidate(type:json:)``
    /// throws.
    func config(type: MonitorType, json: String) throws(MonitorConfigError) -> MonitorConfig {
        let key = Key(type: type, json: Array(json.utf8))
        if let cached = entries.withLock({ $0.configs[key] }) { return cached }
        let config = try MonitorConfig.decodeAndValidate(type: type, json: key.json)
        let size = key.json.count
        guard size <= largestKept else { return config }
        entries.withLock { entries in
            if entries.configs.count >= capacity || entries.bytes + size > byteLimit {
                entries.configs.removeAll(keepingCapacity: true)
                entries.bytes = 0
            }
            if entries.configs.updateValue(config, forKey: key) == nil { entries.bytes += size }
        }
        return config
    }

    /// Configs kept now.
    var count: Int { entries.withLock { $0.configs.count } }
}
