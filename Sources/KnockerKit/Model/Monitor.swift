import Foundation

/// A monitor row with its region and notification-channel links.
public struct Monitor: Sendable, Equatable {
    /// Its id.
    public var id: Int64
    /// The owning team.
    public var teamID: Int64
    /// Display name.
    public var name: String
    /// The check type.
    public var type: MonitorType
    /// Seconds between checks.
    public var interval: Int
    /// The type's config as stored (JSON object text).
    public var configJSON: String
    /// When it was last enqueued.
    public var lastChecked: Date?
    /// When it is due next.
    public var nextCheck: Date
    /// up or down, derived from all its regions.
    public var status: MonitorStatus
    /// Failures within ceil(1.5 × this) checks that take a region down.
    public var failureThreshold: Int
    /// Consecutive successes that bring a region back up.
    public var recoveryThreshold: Int
    /// Failing regions needed to open an incident.
    public var regionQuorum: Int
    /// Set while paused.
    public var pausedAt: Date?
    /// Region ids it is checked from.
    public var regionIDs: [Int64]
    /// Notification channel ids.
    public var notificationIDs: [Int64]
    /// Creation time.
    public var createdAt: Date
    /// Last change.
    public var updatedAt: Date

    /// A monitor with every field given.
    public init(
        id: Int64,
        teamID: Int64,
        name: String,
        type: MonitorType,
        interval: Int,
        configJSON: String,
        lastChecked: Date? = nil,
        nextCheck: Date,
        status: MonitorStatus = .up,
        failureThreshold: Int = 3,
        recoveryThreshold: Int = 1,
        regionQuorum: Int = 1,
        pausedAt: Date? = nil,
        regionIDs: [Int64] = [],
        notificationIDs: [Int64] = [],
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.teamID = teamID
        self.name = name
        self.type = type
        self.interval = interval
        self.configJSON = configJSON
        self.lastChecked = lastChecked
        self.nextCheck = nextCheck
        self.status = status
        self.failureThreshold = failureThreshold
        self.recoveryThreshold = recoveryThreshold
        self.regionQuorum = regionQuorum
        self.pausedAt = pausedAt
        self.regionIDs = regionIDs
        self.notificationIDs = notificationIDs
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The incident rules of this monitor.
    public var incidentRules: IncidentRules {
        IncidentRules(
            failureThreshold: failureThreshold,
            recoveryThreshold: recoveryThreshold,
            regionQuorum: regionQuorum,
            regionIDs: regionIDs
        )
    }
}

/// A region checks run from.
public struct Region: Sendable, Equatable, Codable {
    /// Its id; also the name of its queue, in decimal.
    public var id: Int64
    /// Short name (`eu-west`).
    public var name: String
    /// Human name.
    public var displayName: String

    /// A region with every field given.
    public init(id: Int64, name: String, displayName: String) {
        self.id = id
        self.name = name
        self.displayName = displayName
    }

    /// The queue its checks go to: the id in decimal, as the original.
    public var queueName: String { String(id) }
}
