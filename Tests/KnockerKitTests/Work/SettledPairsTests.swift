import Foundation
import Synchronization
import Testing

@testable import KnockerKit

extension WorkTests {
    @Suite("Settled pairs: successes that need no evaluation")
    struct SettledPairsTests {
        @Test func entriesExpireAndFailuresDropThem() {
            let clock = Mutex(ContinuousClock.now)
            let cache = SettledPairs(lifetime: .seconds(60), capacity: 3) { clock.withLock { $0 } }
            let a = MonitorRegion(monitorID: 1, regionID: 1)
            let b = MonitorRegion(monitorID: 2, regionID: 1)
            #expect(cache.fresh([a, b]).isEmpty)
            cache.remember([a, b])
            #expect(cache.fresh([a, b]) == [a, b])
            cache.forget([b])
            #expect(cache.fresh([a, b]) == [a])
            clock.withLock { $0 += .seconds(61) }
            #expect(cache.fresh([a]).isEmpty)
            // Over capacity: expired entries go first, then everything.
            cache.remember([MonitorRegion(monitorID: 3, regionID: 1), MonitorRegion(monitorID: 4, regionID: 1)])
            #expect(cache.count == 3)
            cache.remember([MonitorRegion(monitorID: 5, regionID: 1), MonitorRegion(monitorID: 6, regionID: 1)])
            #expect(cache.count == 2)
        }
    }
}
