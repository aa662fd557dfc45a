import Foundation

/// A monitor's up/down status, the `monitor_status` column.
public enum MonitorStatus: String, Sendable, Equatable, Codable {
    /// Not failing.
    case up
    /// Failing in at least the quorum of its regions.
    case down
}

/// The incident engine's state of one monitor in one region (a `monitor_region_states` row).
public struct RegionIncidentState: Sendable, Equatable {
    /// Recent results.
    public var history: CheckHistory
    /// The region's hysteresis state: set when the failure rule fires, cleared when the recovery rule does.
    public var isDown: Bool
    /// The message of the latest failing check.
    public var lastMessage: String?
    /// When the latest check ran.
    public var lastTime: Date?

    /// A state with every field given.
    public init(
        history: CheckHistory = CheckHistory(),
        isDown: Bool = false,
        lastMessage: String? = nil,
        lastTime: Date? = nil
    ) {
        self.history = history
        self.isDown = isDown
        self.lastMessage = lastMessage
        self.lastTime = lastTime
    }
}

/// The monitor's open incident, as far as the engine needs it.
public struct OpenIncident: Sendable, Equatable {
    /// Its id.
    public var id: Int64
    /// Whether the engine may resolve it (true for the incidents it opens).
    public var autoResolve: Bool
    /// The message of its latest detected/update event.
    public var lastMessage: String?

    /// An open incident.
    public init(id: Int64, autoResolve: Bool, lastMessage: String?) {
        self.id = id
        self.autoResolve = autoResolve
        self.lastMessage = lastMessage
    }
}

/// Everything the engine knows of one monitor.
public struct MonitorIncidentState: Sendable, Equatable {
    /// State per region id.
    public var regions: [Int64: RegionIncidentState]
    /// The open incident, if any.
    public var openIncident: OpenIncident?
    /// The monitor's stored status.
    public var status: MonitorStatus

    /// A state with every field given.
    public init(
        regions: [Int64: RegionIncidentState] = [:],
        openIncident: OpenIncident? = nil,
        status: MonitorStatus = .up
    ) {
        self.regions = regions
        self.openIncident = openIncident
        self.status = status
    }
}

/// The monitor settings the rules use.
public struct IncidentRules: Sendable, Equatable {
    /// Failures that open an incident, counted within ``window``.
    public var failureThreshold: Int
    /// Consecutive successes that recover a region.
    public var recoveryThreshold: Int
    /// Regions that must be failing before the monitor is down.
    public var regionQuorum: Int
    /// The monitor's regions now (state of other regions is ignored).
    public var regionIDs: [Int64]

    /// Rules with every field given.
    public init(failureThreshold: Int, recoveryThreshold: Int, regionQuorum: Int = 1, regionIDs: [Int64]) {
        self.failureThreshold = failureThreshold
        self.recoveryThreshold = recoveryThreshold
        self.regionQuorum = regionQuorum
        self.regionIDs = regionIDs
    }

    /// The failure window, ceil(1.5 × failure_threshold), at most the history's capacity.
    public var window: Int { min((3 * max(failureThreshold, 1) + 1) / 2, CheckHistory.capacity) }

    /// The failure threshold as the history can hold it.
    var effectiveFailureThreshold: Int { min(max(failureThreshold, 1), window) }

    /// The quorum clamped to 1…number of regions.
    public var effectiveQuorum: Int { min(max(regionQuorum, 1), max(regionIDs.count, 1)) }
}

/// One check result as the engine sees it.
public struct CheckObservation: Sendable, Equatable {
    /// The region that ran it.
    public var regionID: Int64
    /// Its name, for messages.
    public var regionName: String
    /// When it ran.
    public var time: Date
    /// The verdict.
    public var status: CheckStatus
    /// Why it failed, if it did.
    public var message: String?

    /// An observation with every field given.
    public init(regionID: Int64, regionName: String, time: Date, status: CheckStatus, message: String? = nil) {
        self.regionID = regionID
        self.regionName = regionName
        self.time = time
        self.status = status
        self.message = message
    }

    /// "<region>: <detail or status>", the original's event message.
    public var eventMessage: String { "\(regionName): \(message ?? status.rawValue)" }
}

/// What the engine decided; the caller writes it to the database and sends the notifications.
public enum IncidentAction: Sendable, Equatable {
    /// Open an incident (detected, major, auto_resolve) with a `detected` event; notify "down".
    case open(incidentID: Int64, startedAt: Date, message: String)
    /// Add an `update` event to the open incident (no notification).
    case update(incidentID: Int64, message: String)
    /// Resolve the open incident with an `auto_resolved` event; notify "up".
    case resolve(incidentID: Int64, resolvedAt: Date, message: String)
    /// Store the monitor's new status.
    case setStatus(MonitorStatus)
}
