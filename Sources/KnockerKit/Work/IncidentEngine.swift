/// The incident rules as a pure state machine: no I/O, unit-tested on its own.
///
/// Per region: the region goes down when at least `failure_threshold` of its latest ceil(1.5 × failure_threshold)
/// checks failed (with at least `failure_threshold` known), and back up when its latest `recovery_threshold` checks
/// all succeeded. The monitor is down when at least `region_quorum` of its regions are down. Going down with no
/// incident open opens one, and names in update events the other regions already down then (a quorum above 1); while
/// one is open, a region that goes down, or whose failure message changes, adds an update event, so every down
/// region is named once and regions failing with their own steady messages do not add one per check; coming back up
/// resolves an auto-resolving incident. Successful and degraded checks count as successes.
public enum IncidentEngine {
    /// Applies one check to `state` and returns what to write, in order. `newIncidentID` gives the id of an
    /// incident the check opens.
    public static func observe(
        _ observation: CheckObservation,
        rules: IncidentRules,
        state: inout MonitorIncidentState,
        newIncidentID: () throws -> Int64
    ) rethrows -> [IncidentAction] {
        let failed = !observation.status.isUp
        var region = state.regions[observation.regionID] ?? RegionIncidentState()
        let previousRegionMessage = region.lastMessage
        let wasDown = region.isDown
        region.history.record(failed: failed)
        region.lastTime = observation.time
        if failed { region.lastMessage = observation.eventMessage }
        let threshold = rules.effectiveFailureThreshold
        if !region.isDown, region.history.samples >= threshold,
            region.history.failures(inLatest: rules.window) >= threshold
        {
            region.isDown = true
        } else if region.isDown, region.history.latestSucceeded(rules.recoveryThreshold) {
            region.isDown = false
        }
        state.regions[observation.regionID] = region
        let becameDown = !wasDown && region.isDown

        let downRegions = rules.regionIDs.filter { state.regions[$0]?.isDown == true }.count
        let monitorDown = downRegions >= rules.effectiveQuorum
        var actions: [IncidentAction] = []
        if monitorDown {
            if let incident = state.openIncident {
                if failed, becameDown || previousRegionMessage != observation.eventMessage,
                    incident.lastMessage != observation.eventMessage
                {
                    actions.append(.update(incidentID: incident.id, message: observation.eventMessage))
                    state.openIncident?.lastMessage = observation.eventMessage
                }
            } else {
                // Opened by a success elsewhere (after a manual resolve): say why a down region is down.
                let regions = state.regions
                let downMessage = rules.regionIDs.compactMap { regions[$0] }
                    .first { $0.isDown && $0.lastMessage != nil }?.lastMessage
                let message = failed ? observation.eventMessage : (downMessage ?? observation.eventMessage)
                let id = try newIncidentID()
                actions.append(.open(incidentID: id, startedAt: observation.time, message: message))
                var lastMessage = message
                for other in rules.regionIDs where other != observation.regionID {
                    guard let down = regions[other], down.isDown, let downMessage = down.lastMessage,
                        downMessage != message
                    else { continue }
                    actions.append(.update(incidentID: id, message: downMessage))
                    lastMessage = downMessage
                }
                state.openIncident = OpenIncident(id: id, autoResolve: true, lastMessage: lastMessage)
            }
        } else if let incident = state.openIncident, incident.autoResolve {
            actions.append(
                .resolve(incidentID: incident.id, resolvedAt: observation.time, message: observation.eventMessage)
            )
            state.openIncident = nil
        }
        let status: MonitorStatus = monitorDown ? .down : .up
        if status != state.status {
            actions.append(.setStatus(status))
            state.status = status
        }
        return actions
    }
}
