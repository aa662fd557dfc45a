import Foundation
import Testing

@testable import KnockerKit

@Suite("Queue retry backoff")
struct QueueBackoffTests {
    @Test(arguments: [(0, 15, 44), (1, 16, 74), (2, 31, 118), (3, 96, 212), (5, 640, 814), (10, 10_015, 10_334)])
    func table(n: Int, low: Int, high: Int) {
        #expect(RetryBackoff.delay(retried: n, random: { _ in 0 }) == low)
        #expect(RetryBackoff.delay(retried: n, random: { _ in 29 }) == high)
    }

    @Test func randomIsAskedForThirty() {
        var asked: [Int] = []
        _ = RetryBackoff.delay(
            retried: 4,
            random: {
                asked.append($0)
                return 0
            }
        )
        #expect(asked == [30])
    }

    @Test func defaultRandomStaysInRange() {
        for _ in 0..<200 {
            #expect((15...44).contains(RetryBackoff.delay(retried: 0)))
        }
    }

    @Test func extremesAreCapped() {
        #expect(RetryBackoff.delay(retried: -3, random: { _ in 0 }) == 15)
        #expect(RetryBackoff.delay(retried: 0, random: { _ in 1000 }) == 44)
        #expect(RetryBackoff.delay(retried: 74, random: { _ in 29 }) <= RetryBackoff.maximumDelay)
        #expect(RetryBackoff.delay(retried: 75, random: { _ in 0 }) == RetryBackoff.maximumDelay)
        #expect(RetryBackoff.delay(retried: Int.max, random: { _ in 29 }) == RetryBackoff.maximumDelay)
    }
}

@Suite("Queue priorities")
struct QueuePrioritiesTests {
    @Test func gcdNormalisation() throws {
        let priorities = try QueuePriorities(["critical": 2, "1": 12, "default": 6])
        #expect(priorities.weights == ["critical": 1, "1": 6, "default": 3])
        #expect(priorities.serverInfoQueues == ["critical": 1, "1": 6, "default": 3])
        #expect(try QueuePriorities(["a": 5]).weights == ["a": 1])
    }

    @Test func strictOrder() throws {
        let priorities = try QueuePriorities(["low": 1, "b": 5, "a": 5, "high": 9], strict: true)
        #expect(priorities.strictOrder == ["high", "a", "b", "low"])
        var generator = SeededGenerator(seed: 1)
        #expect(priorities.order(using: &generator) == ["high", "a", "b", "low"])
    }

    @Test func singleQueue() throws {
        #expect(try QueuePriorities(["only": 7]).order() == ["only"])
    }

    @Test func validation() {
        #expect(throws: QueuePriorities.ValidationError.empty) { try QueuePriorities([:]) }
        #expect(throws: QueuePriorities.ValidationError.blankName) { try QueuePriorities(["  ": 1]) }
        #expect(throws: QueuePriorities.ValidationError.blankName) { try QueuePriorities(["": 1]) }
        #expect(throws: QueuePriorities.ValidationError.weightOutOfRange(queue: "q", weight: 0)) {
            try QueuePriorities(["q": 0, "r": 1])
        }
        #expect(throws: QueuePriorities.ValidationError.weightOutOfRange(queue: "q", weight: -2)) {
            try QueuePriorities(["q": -2])
        }
        #expect(throws: QueuePriorities.ValidationError.weightOutOfRange(queue: "q", weight: Int(Int32.max) + 1)) {
            try QueuePriorities(["q": Int(Int32.max) + 1])
        }
    }

    @Test func weightedFirstPositionDistribution() throws {
        let priorities = try QueuePriorities(["critical": 1, "r": 6, "default": 3])
        var generator = SeededGenerator(seed: 20_250_101)
        var first: [String: Int] = [:]
        let draws = 60_000
        for _ in 0..<draws {
            let order = priorities.order(using: &generator)
            #expect(order.count == 3)
            #expect(Set(order) == ["critical", "r", "default"])
            first[order[0], default: 0] += 1
        }
        let expected = ["critical": 0.10, "r": 0.60, "default": 0.30]
        for (name, share) in expected {
            let observed = Double(first[name] ?? 0) / Double(draws)
            #expect(abs(observed - share) < 0.02, "\(name): \(observed)")
        }
    }

    @Test func largeWeightsUseTheEquivalentDraw() throws {
        let priorities = try QueuePriorities(["a": 7001, "b": 2999])
        var generator = SeededGenerator(seed: 99)
        var firstA = 0
        for _ in 0..<20_000 {
            let order = priorities.order(using: &generator)
            #expect(order.count == 2)
            if order[0] == "a" { firstA += 1 }
        }
        #expect(abs(Double(firstA) / 20_000 - 0.7001) < 0.02)
    }

    @Test func sameSeedSameOrder() throws {
        let priorities = try QueuePriorities(["a": 1, "b": 2, "c": 3, "d": 4])
        var one = SeededGenerator(seed: 7)
        var two = SeededGenerator(seed: 7)
        for _ in 0..<20 {
            #expect(priorities.order(using: &one) == priorities.order(using: &two))
        }
    }
}

@Suite("Queue task deadline")
struct QueueDeadlineTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000.9)

    @Test func bothTakesTheEarlier() {
        #expect(TaskDeadline.compute(timeout: 120, deadline: 1_700_000_060, now: now).unixSeconds == 1_700_000_060)
        #expect(TaskDeadline.compute(timeout: 120, deadline: 1_800_000_000, now: now).unixSeconds == 1_700_000_120)
    }

    @Test func onlyTimeout() {
        let deadline = TaskDeadline.compute(timeout: 120, deadline: 0, now: now)
        #expect(deadline == TaskDeadline(unixSeconds: 1_700_000_120, isInternalFallback: false))
    }

    @Test func onlyDeadline() {
        #expect(TaskDeadline.compute(timeout: 0, deadline: 1_600_000_000, now: now).unixSeconds == 1_600_000_000)
    }

    @Test func neitherFallsBackToThirtyMinutes() {
        let deadline = TaskDeadline.compute(for: TaskMessage(), now: now)
        #expect(deadline == TaskDeadline(unixSeconds: 1_700_001_800, isInternalFallback: true))
        #expect(deadline.date == Date(timeIntervalSince1970: 1_700_001_800))
    }

    @Test func hugeTimeoutSaturates() {
        #expect(TaskDeadline.compute(timeout: .max, deadline: 0, now: now).unixSeconds == .max)
    }
}
