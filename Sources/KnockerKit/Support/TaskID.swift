/// Random version-4 UUIDs as lower-case hyphenated text (asynq's task ID format), made without Foundation's
/// UUID → String → lowercased round trip, which costs more than the rest of an enqueue.
public enum TaskID {
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> String {
        var high = generator.next() as UInt64
        var low = generator.next() as UInt64
        high = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000  // version 4
        low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // RFC 4122 variant
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text = [UInt8](repeating: UInt8(ascii: "-"), count: 36)
        var position = 0
        func put(_ value: UInt64, nibbles: Int) {
            for shift in stride(from: (nibbles - 1) * 4, through: 0, by: -4) {
                if position == 8 || position == 13 || position == 18 || position == 23 { position += 1 }
                text[position] = digits[Int((value >> UInt64(shift)) & 0xF)]
                position += 1
            }
        }
        put(high, nibbles: 16)
        put(low, nibbles: 16)
        return String(decoding: text, as: UTF8.self)
    }

    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }
}
