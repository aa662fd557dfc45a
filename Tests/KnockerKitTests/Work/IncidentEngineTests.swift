import Foundation
import Testing

@testable import KnockerKit

/// Tests of the worker's pieces.
enum WorkTests {}

extension WorkTests {
    @Suite("Incident engine: the rules as a pure state machine")
    struct IncidentEngineTests {
        /// Runs `statuses` (true = up) of `region` through the engine; returns the actions of each check.
        final class Harness {
            var state = MonitorIncidentState()
            var rules: IncidentRules
            var nextID: Int64 = 100
            var clock = Date(timeIntervalSince1970: 1_800_000_000)

            init(_ rules: IncidentRules) { self.rules = rules }

            @discardableResult
            func run(
                _ region: Int64,
                _ results: [Bool],
                message: String = "unexpected status 503"
            ) -> [[IncidentAction]] {
                results.map { up in
                    clock += 60
                    let observation = CheckObservation(
                        regionID: region,
                        regionName: "r\(region)",
                        time: clock,
                        status: up ? .successful : .failed,
                        message: up ? nil : message
                    )
                    return IncidentEngine.observe(observation, rules: rules, state: &state) {
                        nextID += 1
                        return nextID
                    }
                }
            }
        }

        @Test func historyKeepsTheLatest63Results() {
            var history = CheckHistory()
            for index in 0..<70 { history.record(failed: index % 2 == 0) }
            #expect(history.samples == 63)
            #expect(history.failures(inLatest: 2) == 1)
            #expect(history.failures(inLatest: 63) == 31)
            #expect(history.latestSucceeded(1))
            #expect(!history.latestSucceeded(2))
            history.record(failed: true)
            #expect(!history.latestSucceeded(1))
            #expect(CheckHistory(bits: .max, samples: 3).bits == 0b111)
            #expect(CheckHistory(bits: 1, samples: 200).samples == 63)
        }

        @Test func opensAfterThresholdFailuresWithinTheWindow() {
            // failure_threshold 2 → window 3: F S F opens on the third check.
            let harness = Harness(IncidentRules(failureThreshold: 2, recoveryThreshold: 1, regionIDs: [1]))
            let actions = harness.run(1, [false, true, false])
            #expect(actions[0].isEmpty)
            #expect(actions[1].isEmpty)
            #expect(
                actions[2] == [
                    .open(incidentID: 101, startedAt: harness.clock, message: "r1: unexpected status 503"),
                    .setStatus(.down),
                ]
            )
        }

        @Test func needsThresholdSamplesAndRespectsTheWindow() {
            // failure_threshold 3 → window 5: F S S S F F never has 3 failures in the latest 5.
            let harness = Harness(IncidentRules(failureThreshold: 3, recoveryThreshold: 1, regionIDs: [1]))
            let quiet = harness.run(1, [false, true, true, true, false, false]).allSatisfy(\.isEmpty)
            #expect(quiet)
            #expect(harness.run(1, [false]).last?.first?.isOpen == true)
        }

        @Test func updatesWhenTheMessageChangesAndResolvesAfterRecovery() {
            let harness = Harness(IncidentRules(failureThreshold: 1, recoveryThreshold: 2, regionIDs: [1]))
            harness.run(1, [false])
            #expect(harness.run(1, [false]) == [[]])
            let changed = harness.run(1, [false], message: "connection refused")
            #expect(changed == [[.update(incidentID: 101, message: "r1: connection refused")]])
            #expect(harness.run(1, [true]) == [[]])
            let resolved = harness.run(1, [true])
            #expect(
                resolved == [
                    [.resolve(incidentID: 101, resolvedAt: harness.clock, message: "r1: successful"), .setStatus(.up)]
                ]
            )
            #expect(harness.state.openIncident == nil)
            // A new failure opens a new incident.
            #expect(harness.run(1, [false]).first?.first?.isOpen == true)
            #expect(harness.state.openIncident?.id == 102)
        }

        @Test func regionsFailingWithSteadyMessagesAddOneUpdateEach() {
            let harness = Harness(IncidentRules(failureThreshold: 1, recoveryThreshold: 1, regionIDs: [1, 2]))
            #expect(harness.run(1, [false]).first?.first?.isOpen == true)
            // Region 2 starts failing: one update naming it; then the two alternate with unchanged messages.
            #expect(harness.run(2, [false]) == [[.update(incidentID: 101, message: "r2: unexpected status 503")]])
            for _ in 0..<3 {
                #expect(harness.run(1, [false]) == [[]])
                #expect(harness.run(2, [false]) == [[]])
            }
            #expect(
                harness.run(1, [false], message: "timed out after 5 s")
                    == [[.update(incidentID: 101, message: "r1: timed out after 5 s")]]
            )
        }

        @Test func aRegionThatGoesDownWhileTheIncidentIsOpenIsNamedOnce() {
            // Threshold 2, both regions failing from the same moment: region 1 opens the incident; region 2, whose
            // message has not changed since its first failure, is named when it goes down, and only then.
            let harness = Harness(IncidentRules(failureThreshold: 2, recoveryThreshold: 1, regionIDs: [1, 2]))
            #expect(harness.run(1, [false]) == [[]])
            #expect(harness.run(2, [false]) == [[]])
            #expect(harness.run(1, [false]).first?.first?.isOpen == true)
            #expect(harness.run(2, [false]) == [[.update(incidentID: 101, message: "r2: unexpected status 503")]])
            #expect(harness.run(1, [false]) == [[]])
            #expect(harness.run(2, [false]) == [[]])
        }

        @Test func oneRegionDoesNotResolveWhileAnotherIsStillDown() {
            let harness = Harness(IncidentRules(failureThreshold: 1, recoveryThreshold: 1, regionIDs: [1, 2]))
            #expect(harness.run(1, [false]).first?.first?.isOpen == true)
            harness.run(2, [false])
            // Region 1 recovers, region 2 is still down: the incident stays open (the original resolved here).
            #expect(harness.run(1, [true]) == [[]])
            #expect(harness.state.status == .down)
            let resolved = harness.run(2, [true])
            #expect(resolved.first?.contains(.setStatus(.up)) == true)
            #expect(harness.state.openIncident == nil)
        }

        @Test func quorumNeedsEnoughFailingRegions() {
            let harness = Harness(
                IncidentRules(failureThreshold: 1, recoveryThreshold: 1, regionQuorum: 2, regionIDs: [1, 2, 3])
            )
            // One region's trouble pages nobody.
            let quiet = harness.run(1, [false, false, false]).allSatisfy(\.isEmpty)
            #expect(quiet)
            #expect(harness.state.status == .up)
            let second = harness.run(2, [false], message: "connection refused")
            #expect(
                second == [
                    [
                        .open(incidentID: 101, startedAt: harness.clock, message: "r2: connection refused"),
                        // Region 1, down before the quorum was reached, is named too.
                        .update(incidentID: 101, message: "r1: unexpected status 503"),
                        .setStatus(.down),
                    ]
                ]
            )
            // Its next failure, same message: nothing new.
            #expect(harness.run(1, [false]) == [[]])
            // Back below the quorum: resolved.
            #expect(harness.run(1, [true]).first?.first?.isResolve == true)
        }

        @Test func quorumIsClampedToTheRegionCountAndRemovedRegionsAreIgnored() {
            let harness = Harness(
                IncidentRules(failureThreshold: 1, recoveryThreshold: 1, regionQuorum: 5, regionIDs: [1])
            )
            #expect(harness.run(1, [false]).first?.first?.isOpen == true)
            // A region no longer on the monitor does not count.
            let other = Harness(IncidentRules(failureThreshold: 1, recoveryThreshold: 1, regionIDs: [1]))
            #expect(other.run(9, [false]) == [[]])
        }

        @Test func degradedChecksCountAsUp() {
            let harness = Harness(IncidentRules(failureThreshold: 1, recoveryThreshold: 1, regionIDs: [1]))
            let observation = CheckObservation(
                regionID: 1,
                regionName: "r1",
                time: harness.clock,
                status: .degraded,
                message: "slow"
            )
            var state = MonitorIncidentState()
            #expect(IncidentEngine.observe(observation, rules: harness.rules, state: &state) { 1 }.isEmpty)
        }

        @Test func reopenedAfterAManualResolveWithTheDownRegionsMessage() {
            let harness = Harness(IncidentRules(failureThreshold: 1, recoveryThreshold: 1, regionIDs: [1, 2]))
            harness.run(1, [false], message: "connection refused")
            // An operator resolved it by hand while region 1 is still down; region 2's next success re-opens it.
            harness.state.openIncident = nil
            let actions = harness.run(2, [true])
            #expect(actions == [[.open(incidentID: 102, startedAt: harness.clock, message: "r1: connection refused")]])
        }

        @Test func manualIncidentsAreNotResolvedButTheStatusFollows() {
            let harness = Harness(IncidentRules(failureThreshold: 1, recoveryThreshold: 1, regionIDs: [1]))
            harness.state.openIncident = OpenIncident(id: 7, autoResolve: false, lastMessage: "manual")
            #expect(
                harness.run(1, [false]) == [
                    [.update(incidentID: 7, message: "r1: unexpected status 503"), .setStatus(.down)]
                ]
            )
            #expect(harness.run(1, [true]) == [[.setStatus(.up)]])
            #expect(harness.state.openIncident?.id == 7)
        }
    }
}

extension IncidentAction {
    var isOpen: Bool {
        if case .open = self { return true }
        return false
    }

    var isResolve: Bool {
        if case .resolve = self { return true }
        return false
    }
}
