import Foundation

/// Runs the incident engine over a batch of pings inside the flush transaction: loads and locks the monitors'
/// state, applies every ping in time order, writes incidents, events, status and state, and returns the
/// notifications to send once the transaction has committed.
enum IncidentEvaluation {
    static func run(
        _ connection: PostgresConnection,
        pings: [RecordedPing],
        ids: IDGenerator,
        settled: SettledPairs? = nil
    ) throws -> [NotificationTask] {
        guard !pings.isEmpty else { return [] }
        let pings = try withoutHealthySuccesses(connection, pings, settled: settled)
        guard !pings.isEmpty else { return [] }
        var contexts = try IncidentStore.loadForEvaluation(
            connection,
            pairs: pings.map { (monitorID: $0.monitorID, regionID: $0.regionID) }
        )
        guard !contexts.isEmpty else { return [] }
        let regionNames = try RegionStore.names(connection)
        var notifications: [NotificationTask] = []
        let ordered = pings.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
        for ping in ordered.map(\.element) {
            guard var context = contexts[ping.monitorID], context.rules.regionIDs.contains(ping.regionID) else {
                continue
            }
            let observation = CheckObservation(
                regionID: ping.regionID,
                regionName: regionNames[ping.regionID] ?? String(ping.regionID),
                time: ping.time,
                status: ping.status,
                message: ping.message
            )
            let actions = try IncidentEngine.observe(observation, rules: context.rules, state: &context.state) {
                try ids.next()
            }
            for action in actions {
                try IncidentStore.apply(action, monitorID: ping.monitorID, connection) { try ids.next() }
                // The message's Region line names the region; the detail is the check's own (none for a success),
                // as the original sends it.
                let opened: (id: Int64, kind: NotificationTask.Kind, detail: String)? =
                    switch action {
                    case .open(let id, _, _): (id, .down, ping.message ?? ping.status.rawValue)
                    case .resolve(let id, _, _): (id, .up, ping.message ?? "")
                    case .update, .setStatus: nil
                    }
                guard let opened else { continue }
                for notificationID in context.notificationIDs {
                    notifications.append(
                        NotificationTask(
                            teamID: context.teamID,
                            monitorID: ping.monitorID,
                            notificationID: notificationID,
                            regionID: ping.regionID,
                            incidentID: opened.id,
                            kind: opened.kind,
                            ping: ping,
                            detail: opened.detail
                        )
                    )
                }
            }
            contexts[ping.monitorID] = context
        }
        try IncidentStore.saveStates(connection, Array(contexts.values))
        return notifications
    }

    /// Applies the fast path (``IncidentStore/applyHealthySuccesses(_:_:)``) to every (monitor, region) whose pings in
    /// the batch all succeeded, and returns the pings the engine still has to see. Most checks of a healthy fleet end
    /// here, with one statement for the whole batch.
    static func withoutHealthySuccesses(
        _ connection: PostgresConnection,
        _ pings: [RecordedPing],
        settled: SettledPairs? = nil
    ) throws -> [RecordedPing] {
        var pairs: [MonitorRegion: (successes: Int, allUp: Bool, last: Date)] = [:]
        for ping in pings {
            let key = MonitorRegion(monitorID: ping.monitorID, regionID: ping.regionID)
            var entry = pairs[key] ?? (0, true, ping.time)
            entry.successes += 1
            entry.allUp = entry.allUp && ping.status.isUp
            entry.last = max(entry.last, ping.time)
            pairs[key] = entry
        }
        settled?.forget(pairs.filter { !$0.value.allUp }.map(\.key))
        let known = settled?.fresh(pairs.filter(\.value.allUp).map(\.key)) ?? []
        let candidates = pairs.filter { $0.value.allUp && !known.contains($0.key) }.map { pair in
            (
                monitorID: pair.key.monitorID,
                regionID: pair.key.regionID,
                successes: pair.value.successes,
                lastTime: pair.value.last
            )
        }
        let handled = try IncidentStore.applyHealthySuccesses(connection, candidates)
        settled?.remember(handled.filter(\.value).map(\.key))
        guard !handled.isEmpty || !known.isEmpty else { return pings }
        return pings.filter {
            let pair = MonitorRegion(monitorID: $0.monitorID, regionID: $0.regionID)
            return handled[pair] == nil && !known.contains(pair)
        }
    }
}
