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

        @Test func textsEqualAsStringsButNotAsBytesAreDifferentConfigs() throws {
            let cache = MonitorConfigCache()
            // A body with "é" composed (U+00E9) and decomposed (e + U+0301): equal Strings, different bytes sent.
            func json(_ body: String) -> String {
                #"{"url": "http://127.0.0.1:8080/", "method": "POST", "body": "\#(body)"}"#
            }
            let composed = json("caf\u{E9}")
            let decomposed = json("cafe\u{301}")
            #expect(composed == decomposed)
            func body(_ config: MonitorConfig) -> [UInt8] {
                guard case .http(let http) = config else { return [] }
                return Array((http.body ?? "").utf8)
            }
            #expect(body(try cache.config(type: .http, json: composed)) == Array("caf\u{E9}".utf8))
            #expect(body(try cache.config(type: .http, json: decomposed)) == Array("cafe\u{301}".utf8))
            #expect(cache.count == 2)
        }

        @Test func boundedByBytesAndLargeConfigsAreNotKept() throws {
            let cache = MonitorConfigCache(byteLimit: 100, largestKept: 60)
            let short = #"{"url": "http://127.0.0.1:8080/a"}"#  // 35 bytes
            let other = #"{"url": "http://127.0.0.1:8080/b"}"#
            let long = #"{"url": "http://127.0.0.1:8080/\#(String(repeating: "x", count: 40))"}"#
            _ = try cache.config(type: .http, json: long)
            #expect(cache.count == 0, "over largestKept: decoded, not kept")
            _ = try cache.config(type: .http, json: short)
            _ = try cache.config(type: .http, json: other)
            #expect(cache.count == 2)  // 70 bytes
            _ = try cache.config(type: .http, json: #"{"url": "http://127.0.0.1:8080/c"}"#)
            #expect(cache.count == 1, "a third would pass 100 bytes: the cache started over")
        }
    }
}
