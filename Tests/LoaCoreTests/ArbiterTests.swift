import Foundation
import LoaCore
import Testing

@Suite("Arbiter: what plays where")
struct ArbiterTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func item(_ key: String, _ priority: Priority, _ zones: Set<String>, late: TimeInterval = 0) -> Arbiter.Item {
        Arbiter.Item(
            key: key,
            priority: priority,
            zones: zones,
            plannedAt: now.addingTimeInterval(-late),
            latenessLimit: 300
        )
    }

    @Test func disjointZonesPlayTogether() {
        let plan = Arbiter.decide(
            now: now,
            candidates: [item("b", .normal, ["tay"])],
            playing: [item("a", .normal, ["dong"])],
            policy: .init()
        )
        #expect(plan.start == ["b"] && plan.preempt.isEmpty && plan.wait.isEmpty)
    }

    @Test(arguments: Priority.allCases)
    func emergencyPreemptsEverythingBelowIt(_ active: Priority) {
        let plan = Arbiter.decide(
            now: now,
            candidates: [item("e", .emergency, ["dong"])],
            playing: [item("a", active, ["dong", "tay"])],
            policy: .init()
        )
        if active == .emergency {
            #expect(plan.wait == [.init(key: "e", behind: "a")])
        } else {
            #expect(plan.preempt == [.init(victim: "a", by: "e")])
            #expect(plan.start == ["e"])
        }
    }

    @Test func higherPriorityCandidatesAreServedFirst() {
        let plan = Arbiter.decide(
            now: now,
            candidates: [item("n", .normal, ["dong"]), item("p", .priority, ["dong"])],
            playing: [],
            policy: .init()
        )
        #expect(plan.start == ["p"])
        #expect(plan.wait == [.init(key: "n", behind: "p")])
    }

    @Test func itemsPastTheirLatenessLimitAreMissed() {
        let plan = Arbiter.decide(
            now: now,
            candidates: [item("old", .normal, ["dong"], late: 301), item("ok", .normal, ["tay"], late: 299)],
            playing: [],
            policy: .init()
        )
        #expect(plan.missed == ["old"])
        #expect(plan.start == ["ok"])
    }
}
