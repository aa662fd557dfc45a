import Foundation

/// Runs the incident engine over a batch of pings inside the flush transaction: loads and locks the monitors'
/// state, applies every ping in time order, writes incidents, events, status and state, and returns the
/// notifications to send once the transaction has committed.
enum IncidentEvaluation {
    /// What an evaluation leaves to do once its transaction has committed.
    struct Outcome {
        /// Notifications to enqueue.
        var notifications: [NotificationTask] = []
        /// Pairs found settled: remember them in the ``SettledPairs`` (only once committed; a rolled-back history
        /// shift must not be trusted).
        var settled: [MonitorRegion] = []
    }

    /// ``evaluate(_:pings:ids:settled:)``, remembering the settled pairs at once (for callers without a cache or
    /// that commit themselves).
    static func run(
        _ connection: PostgresConnection,
        pings: [RecordedPing],
        ids: IDGenerator,
        settled: SettledPairs? = nil
    ) throws -> [NotificationTask] {
        let outcome = try evaluate(connection, pings: pings, ids: ids, settled: settled)
        settled?.remember(outcome.settled)
        return outcome.notifications
    }

    /// Evaluates `pings`; `settled` is read (and failing pairs dropped from it), not added to: see ``Outcome``.
    static func evaluate(
        _ connection: PostgresConnection,
        pings: [RecordedPing],
        ids: IDGenerator,
        settled: SettledPairs? = nil
    ) throws -> Outcome {
        var outcome = Outcome()
        guard !pings.isEmpty else { return outcome }
        let pings = try withoutHealthySuccesses(connection, pings, settled: settled, newlySettled: &outcome.settled)
        guard !pings.isEmpty else { return outcome }
        var contexts = try IncidentStore.loadForEvaluation(
            connection,
            pairs: pings.map { (monitorID: $0.monitorID, regionID: $0.regionID) }
        )
        guard !contexts.isEmpty else { return outcome }
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
        outcome.notifications = notifications
        return outcome
    }

    /// True when the engine has nothing to do for `pings`: every one a success of a pair `settled` trusts (see
    /// ``SettledPairs``). The flush then needs no transaction: the insert alone.
    static func needsNothing(_ pings: [RecordedPing], settled: SettledPairs) -> Bool {
        guard pings.allSatisfy(\.status.isUp) else { return false }
        return settled.allFresh(pings.lazy.map { MonitorRegion(monitorID: $0.monitorID, regionID: $0.regionID) })
    }

    /// Applies the fast path (``IncidentStore/applyHealthySuccesses(_:_:)``) to every (monitor, region) whose pings in
    /// the batch all succeeded, and returns the pings the engine still has to see. Most checks of a healthy fleet end
    /// here, with one statement for the whole batch.
    static func withoutHealthySuccesses(
        _ connection: PostgresConnection,
        _ pings: [RecordedPing],
        settled: SettledPairs? = nil,
        newlySettled: inout [MonitorRegion]
    ) throws -> [RecordedPing] {
        // Every ping of a batch is looked at here, so the hashing is kept to about two lookups a ping.
        var slots: [MonitorRegion: Int] = [:]
        slots.reserveCapacity(pings.count)
        var entries: [(pair: MonitorRegion, successes: Int, allUp: Bool, last: Date)] = []
        entries.reserveCapacity(pings.count)
        for ping in pings {
            let key = MonitorRegion(monitorID: ping.monitorID, regionID: ping.regionID)
            if let slot = slots.updateValue(entries.count, forKey: key) {
                slots[key] = slot
                entries[slot].successes += 1
                entries[slot].allUp = entries[slot].allUp && ping.status.isUp
                entries[slot].last = max(entries[slot].last, ping.time)
            } else {
                entries.append((key, 1, ping.status.isUp, ping.time))
            }
        }
        var done = [Bool](repeating: false, count: entries.count)
        let up = entries.indices.filter { entries[$0].allUp }
        if let settled {
            settled.forget(entries.filter { !$0.allUp }.map(\.pair))
            for (slot, fresh) in zip(up, settled.freshFlags(up.map { entries[$0].pair })) where fresh {
                done[slot] = true
            }
        }
        let candidates = up.filter { !done[$0] }.map { slot in
            (
                monitorID: entries[slot].pair.monitorID,
                regionID: entries[slot].pair.regionID,
                successes: entries[slot].successes,
                lastTime: entries[slot].last
            )
        }
        let handled = try IncidentStore.applyHealthySuccesses(connection, candidates)
        for (pair, isSettled) in handled {
            if let slot = slots[pair] { done[slot] = true }
            if isSettled { newlySettled.append(pair) }
        }
        if !done.contains(false) { return [] }
        if !done.contains(true) { return pings }
        return pings.filter { ping in
            slots[MonitorRegion(monitorID: ping.monitorID, regionID: ping.regionID)].map { !done[$0] } ?? true
        }
    }
}
