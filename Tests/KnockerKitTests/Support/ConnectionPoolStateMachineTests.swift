import Testing

@testable import KnockerKit

@Suite("Connection pool state machine")
struct ConnectionPoolStateMachineTests {
    typealias Machine = ConnectionPoolStateMachine<String, String>

    @Test func opensUpToTheLimitThenQueues() {
        var machine = Machine(maximumConnections: 2)
        guard case .connect = machine.acquire(waiterID: 1, waiter: "a") else {
            Issue.record("expected connect")
            return
        }
        guard case .connect = machine.acquire(waiterID: 2, waiter: "b") else {
            Issue.record("expected connect")
            return
        }
        guard case .wait = machine.acquire(waiterID: 3, waiter: "c") else {
            Issue.record("expected wait")
            return
        }
        #expect(machine.statistics == ConnectionPoolCounts(open: 2, idle: 0, inUse: 2, waiting: 1))
    }

    @Test func releaseServesWaitersInFIFOOrder() {
        var machine = Machine(maximumConnections: 1)
        _ = machine.acquire(waiterID: 1, waiter: "first")
        _ = machine.acquire(waiterID: 2, waiter: "w2")
        _ = machine.acquire(waiterID: 3, waiter: "w3")
        guard case .lend(let waiter, let connection) = machine.release("conn") else {
            Issue.record("expected lend")
            return
        }
        #expect(waiter == "w2")
        #expect(connection == "conn")
        guard case .lend(let next, _) = machine.release("conn") else {
            Issue.record("expected lend")
            return
        }
        #expect(next == "w3")
        guard case .none = machine.release("conn") else {
            Issue.record("expected none")
            return
        }
        #expect(machine.statistics == ConnectionPoolCounts(open: 1, idle: 1, inUse: 0, waiting: 0))
    }

    @Test func idleConnectionsAreReusedBeforeOpeningNewOnes() {
        var machine = Machine(maximumConnections: 3)
        _ = machine.acquire(waiterID: 1, waiter: "a")
        _ = machine.release("c1")
        guard case .lend(let connection) = machine.acquire(waiterID: 2, waiter: "b") else {
            Issue.record("expected lend")
            return
        }
        #expect(connection == "c1")
        #expect(machine.statistics.open == 1)
    }

    @Test func discardedConnectionFreesItsSlotOrPassesItToAWaiter() {
        var machine = Machine(maximumConnections: 1)
        _ = machine.acquire(waiterID: 1, waiter: "a")
        _ = machine.acquire(waiterID: 2, waiter: "b")
        guard case .connect(let waiter) = machine.release(nil) else {
            Issue.record("expected connect")
            return
        }
        #expect(waiter == "b")
        #expect(machine.statistics == ConnectionPoolCounts(open: 1, idle: 0, inUse: 1, waiting: 0))
        guard case .none = machine.release(nil) else {
            Issue.record("expected none")
            return
        }
        #expect(machine.statistics == ConnectionPoolCounts(open: 0, idle: 0, inUse: 0, waiting: 0))
    }

    @Test func removedWaiterIsNotServed() {
        var machine = Machine(maximumConnections: 1)
        _ = machine.acquire(waiterID: 1, waiter: "a")
        _ = machine.acquire(waiterID: 2, waiter: "timed-out")
        _ = machine.acquire(waiterID: 3, waiter: "patient")
        #expect(machine.removeWaiter(id: 2) == "timed-out")
        #expect(machine.removeWaiter(id: 2) == nil)
        guard case .lend(let waiter, _) = machine.release("c") else {
            Issue.record("expected lend")
            return
        }
        #expect(waiter == "patient")
        #expect(machine.removeWaiter(id: 3) == nil)
    }

    @Test func shutdownFailsWaitersClosesIdleAndLateReleases() {
        var machine = Machine(maximumConnections: 2)
        _ = machine.acquire(waiterID: 1, waiter: "a")
        _ = machine.acquire(waiterID: 2, waiter: "b")
        _ = machine.release("idle")
        let action = machine.shutdown()
        #expect(action.waiters == [])
        #expect(action.connections == ["idle"])
        #expect(machine.statistics == ConnectionPoolCounts(open: 1, idle: 0, inUse: 1, waiting: 0))
        var machine2 = Machine(maximumConnections: 1)
        _ = machine2.acquire(waiterID: 1, waiter: "a")
        _ = machine2.acquire(waiterID: 2, waiter: "queued")
        let action2 = machine2.shutdown()
        #expect(action2.waiters == ["queued"])
        guard case .fail(.closed) = machine2.acquire(waiterID: 3, waiter: "new") else {
            Issue.record("expected fail(closed)")
            return
        }
        guard case .close(let connection) = machine2.release("held") else {
            Issue.record("expected close")
            return
        }
        #expect(connection == "held")
        #expect(machine2.statistics == ConnectionPoolCounts(open: 0, idle: 0, inUse: 0, waiting: 0))
    }
}
