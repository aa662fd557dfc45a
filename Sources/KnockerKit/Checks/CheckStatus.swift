/// The verdict of one check of any monitor type; the `ping_status` of the ping it records.
public enum CheckStatus: String, Sendable, Equatable, CaseIterable, Codable {
    /// Every condition held.
    case successful
    /// A condition failed (the result's message says which).
    case failed
    /// No answer within the check's timeout.
    case timeout
    /// Successful, but slower than the monitor's `degraded_after_ms`.
    case degraded

    /// True for `successful` and `degraded` (the target is up).
    public var isUp: Bool { self == .successful || self == .degraded }
}
