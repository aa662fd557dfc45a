/// The queues a worker serves with their weights, and the order in which it polls them (asynq §3.5).
///
/// Weights are divided by their greatest common divisor. In strict mode the order is fixed: highest weight first,
/// ties by name. Otherwise each poll builds a list with every queue repeated `weight` times, shuffles it and keeps
/// the first occurrence of each queue, so a queue comes first with probability weight / total weight and every
/// queue is still tried.
public struct QueuePriorities: Sendable, Equatable {
    /// Why a queue configuration was rejected.
    public enum ValidationError: Error, Equatable, Sendable, CustomStringConvertible {
        /// No queues were given.
        case empty
        /// A queue name was empty or only whitespace.
        case blankName
        /// A weight was below 1 or above Int32.max (weights are stored as int32 in ServerInfo).
        case weightOutOfRange(queue: String, weight: Int)

        /// A one-line explanation.
        public var description: String {
            switch self {
            case .empty: "no queues configured"
            case .blankName: "a queue name is empty or blank"
            case .weightOutOfRange(let queue, let weight):
                "queue \"\(queue)\" has weight \(weight); weights must be between 1 and \(Int32.max)"
            }
        }
    }

    /// Above this total weight the repeated list would be large, so `order(using:)` draws the identical
    /// distribution directly: the next queue is picked with probability proportional to its weight among those
    /// not yet picked, which is exactly how first occurrences in a shuffled list are distributed.
    static let expansionLimit = 4096

    /// Queue name → weight after division by the GCD.
    public let weights: [String: Int]
    /// Whether the order is fixed by weight.
    public let isStrict: Bool
    /// Queue names sorted by weight (highest first), ties by name: the strict order.
    public let strictOrder: [String]

    /// Validates and normalises `weights`.
    public init(_ weights: [String: Int], strict: Bool = false) throws(ValidationError) {
        guard !weights.isEmpty else { throw .empty }
        for (name, weight) in weights.sorted(by: { $0.key < $1.key }) {
            guard !name.allSatisfy(\.isWhitespace) else { throw .blankName }
            guard weight >= 1, weight <= Int(Int32.max) else { throw .weightOutOfRange(queue: name, weight: weight) }
        }
        let divisor = weights.values.reduce(0, Self.gcd)
        let normalised = weights.mapValues { $0 / divisor }
        self.weights = normalised
        self.isStrict = strict
        self.strictOrder = normalised.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map(\.key)
    }

    /// The weights as ServerInfo stores them.
    public var serverInfoQueues: [String: Int32] { weights.mapValues { Int32(truncatingIfNeeded: $0) } }

    /// The order for one poll, drawing randomness from `generator`.
    public func order(using generator: inout some RandomNumberGenerator) -> [String] {
        guard !isStrict, strictOrder.count > 1 else { return strictOrder }
        let names = weights.keys.sorted()
        let total = weights.values.reduce(0, +)
        guard total <= Self.expansionLimit else { return sampledOrder(names, total: total, using: &generator) }
        var list: [String] = []
        list.reserveCapacity(total)
        for name in names {
            list.append(contentsOf: repeatElement(name, count: weights[name] ?? 0))
        }
        list.shuffle(using: &generator)
        var seen = Set<String>()
        return list.filter { seen.insert($0).inserted }
    }

    /// The order for one poll, using the system random number generator.
    public func order() -> [String] {
        var generator = SystemRandomNumberGenerator()
        return order(using: &generator)
    }

    private func sampledOrder(
        _ names: [String],
        total: Int,
        using generator: inout some RandomNumberGenerator
    ) -> [String] {
        var remaining = names
        var remainingTotal = total
        var result: [String] = []
        while !remaining.isEmpty {
            var draw = Int.random(in: 0..<remainingTotal, using: &generator)
            var index = 0
            while index < remaining.count - 1 {
                let weight = weights[remaining[index]] ?? 0
                if draw < weight { break }
                draw -= weight
                index += 1
            }
            let name = remaining.remove(at: index)
            remainingTotal -= weights[name] ?? 0
            result.append(name)
        }
        return result
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}
