import Foundation
import Synchronization

/// Generates 63-bit IDs in the sonyflake layout used by the Go Knocker:
/// 39 bits of time in 10 ms units since 2014-09-01T00:00:00Z, 8 bits of sequence, 16 bits of machine id.
///
/// IDs from one generator strictly increase. When more than 256 IDs are asked for within one 10 ms unit the
/// generator borrows the next unit instead of sleeping, so it never blocks and stays unique; it then runs ahead
/// of the clock only as long as the burst lasts. Generators with different machine ids never collide.
public final class IDGenerator: Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case clockBeforeEpoch
        case exhausted
        public var description: String {
            switch self {
            case .clockBeforeEpoch: "the system clock is before 2014-09-01; cannot generate IDs"
            case .exhausted: "the 39-bit ID time space is exhausted (year 2188)"
            }
        }
    }

    /// 2014-09-01T00:00:00Z in Unix seconds.
    public static let epoch: TimeInterval = 1_409_529_600
    static let sequenceBits: UInt64 = 8
    static let machineBits: UInt64 = 16
    static let timeBits: UInt64 = 39

    public let machineID: UInt16
    private let now: @Sendable () -> Date
    private let state = Mutex<(elapsed: UInt64, sequence: UInt64)>((0, 0))

    public init(machineID: UInt16, now: @escaping @Sendable () -> Date = { Date() }) {
        self.machineID = machineID
        self.now = now
    }

    /// The next ID.
    public func next() throws(Failure) -> Int64 {
        let seconds = now().timeIntervalSince1970 - Self.epoch
        guard seconds >= 0 else { throw .clockBeforeEpoch }
        let current = UInt64(seconds * 100)
        let (elapsed, sequence) = state.withLock { state -> (UInt64, UInt64) in
            if current > state.elapsed {
                state = (current, 0)
            } else {
                state.sequence = (state.sequence + 1) & 0xFF
                if state.sequence == 0 { state.elapsed += 1 }
            }
            return state
        }
        guard elapsed < (1 << Self.timeBits) else { throw .exhausted }
        let id = elapsed << (Self.sequenceBits + Self.machineBits) | sequence << Self.machineBits | UInt64(machineID)
        return Int64(bitPattern: id)
    }

    /// The parts of an ID, for display and tests.
    public static func decompose(_ id: Int64) -> (time: Date, sequence: UInt8, machineID: UInt16) {
        let value = UInt64(bitPattern: id)
        let elapsed = value >> (sequenceBits + machineBits)
        let sequence = UInt8((value >> machineBits) & 0xFF)
        let machine = UInt16(value & 0xFFFF)
        return (Date(timeIntervalSince1970: epoch + Double(elapsed) / 100), sequence, machine)
    }

    /// A machine id for processes that were given none: 16 bits mixed from the host name and process id.
    /// Set APP_MACHINE_ID explicitly when several processes write to one database.
    public static func derivedMachineID(hostName: String, processID: Int32) -> UInt16 {
        var hash: UInt32 = 2_166_136_261
        for byte in hostName.utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        hash ^= UInt32(bitPattern: processID) &* 2_654_435_761
        return UInt16(truncatingIfNeeded: hash ^ (hash >> 16))
    }
}
