import Testing

@testable import KnockerKit

extension WorkTests {
    @Suite("Monitor config cache")
    struct MonitorConfigCacheTests {
        @Test func decodesOnceGivesTheSameConfigAndKeepsNoInvalidOne() throws {
            let cache = MonitorConfigCache(capacity: 2)
            let json = #"{"url": "http://127.0.0.1:8080/health"}"#
            let direct = try MonitorConfig.decodeAndValidate(type: .http, json: Array(json.utf8))
            #expect(try cache.config(type: .http, json: json) == direct)
            #expect(try cache.config(type: .http, json: json) == direct)
            #expect(cache.count == 1)

            // The same text for another type is another config (here: invalid, and not kept).
            #expect(throws: MonitorConfigError.self) { try cache.config(type: .ping, json: json) }
            #expect(cache.count == 1)

            // Bounded: the third config starts the cache over.
            _ = try cache.config(type: .http, json: #"{"url": "http://127.0.0.1:8080/a"}"#)
            #expect(cache.count == 2)
            _ = try cache.config(type: .http, json: #"{"url": "http://127.0.0.1:8080/b"}"#)
            #expect(cache.count == 1)
            #expect(try cache.config(type: .http, json: json) == direct)
        }
    }
}
