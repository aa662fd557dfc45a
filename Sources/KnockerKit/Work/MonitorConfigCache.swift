import Synchronization

/// Validated monitor configs by their JSON text, so a worker decodes each monitor's config once rather than for
/// every check (the JSON decoder is a good part of a ping task's cost). A config that fails validation is not kept:
/// its error is worked out again, rarely. Bounded: once ``capacity`` configs are kept, the cache starts over.
final class MonitorConfigCache: Sendable {
    private struct Key: Hashable {
        var type: MonitorType
        var json: String
    }

    /// Most configs kept.
    let capacity: Int
    private let entries = Mutex<[Key: MonitorConfig]>([:])

    init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
    }

    /// The validated config of `json` for a monitor of `type`; throws what ``MonitorConfig/decodeAndValidate(type:json:)``
    /// throws.
    func config(type: MonitorType, json: String) throws(MonitorConfigError) -> MonitorConfig {
        let key = Key(type: type, json: json)
        if let cached = entries.withLock({ $0[key] }) { return cached }
        let config = try MonitorConfig.decodeAndValidate(type: type, json: Array(json.utf8))
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = config
        }
        return config
    }

    /// Configs kept now.
    var count: Int { entries.withLock { $0.count } }
}
