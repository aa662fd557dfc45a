import Foundation

@testable import KnockerKit

/// SplitMix64: a tiny seeded generator so shuffles and fuzz inputs are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum QueueFixtures {
    /// The reference's 77-byte TaskMessage test vector.
    static let vectorHex =
        "0a156d6f6e69746f723a70696e673a7b726567696f6e7d12077b2278223a317d1a2430623763326634652d316432612d"
        + "346335392d396135372d33663064326536623863313122013128194078"

    static let vectorMessage = TaskMessage(
        type: "monitor:ping:{region}",
        payload: Array(#"{"x":1}"#.utf8),
        id: "0b7c2f4e-1d2a-4c59-9a57-3f0d2e6b8c11",
        queue: "1",
        retry: 25,
        timeout: 120
    )

    static func bytes(hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            result.append(UInt8(nibble(high) << 4 | nibble(low)))
        }
        return result
    }

    private static func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: 0
        }
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
