/// Decides what plays where: a pure function of the time, the items that want to play, and what plays in
/// each zone now.
///
/// - An emergency preempts anything at once; a live reading preempts normal and priority items.
/// - A priority item waits for the current normal item to end, unless the site cuts.
/// - Anything else waits for its zones to be free.
/// - An item that cannot start within its lateness limit is missed.
public enum Arbiter {
    /// Something that plays, or wants to, on a set of zones.
    public struct Item: Sendable, Hashable {
        public var key: String
        public var priority: Priority
        public var zones: Set<String>
        /// When it should have started; lateness is measured from here.
        public var plannedAt: Date
        public var latenessLimit: TimeInterval

        public init(key: String, priority: Priority, zones: Set<String>, plannedAt: Date, latenessLimit: TimeInterval) {
            self.key = key
            self.priority = priority
            self.zones = zones
            self.plannedAt = plannedAt
            self.latenessLimit = latenessLimit
        }
    }

    /// A playing item to cut, and the item that cuts it.
    public struct Preemption: Sendable, Hashable {
        public var victim: String
        public var by: String

        public init(victim: String, by: String) {
            self.victim = victim
            self.by = by
        }
    }

    /// An item that keeps waiting, and one item it waits behind.
    public struct Wait: Sendable, Hashable {
        public var key: String
        public var behind: String

        public init(key: String, behind: String) {
            self.key = key
            self.behind = behind
        }
    }

    /// What to do now.
    public struct Plan: Sendable, Hashable {
        /// Items to start, in order.
        public var start: [String] = []
        public var preempt: [Preemption] = []
        public var wait: [Wait] = []
        /// Items past their lateness limit.
        public var missed: [String] = []

        public init() {}
    }

    /// Whether `candidate` may cut an item of priority `active`.
    public static func preempts(_ candidate: Priority, _ active: Priority, policy: ArbitrationPolicy) -> Bool {
        switch candidate {
        case .emergency: active < .emergency
        case .live: active < .live
        case .priority: active == .normal && policy.priorityCutsNormal
        case .normal: false
        }
    }

    /// Plans the next step. `candidates` are the items that want to play (newly due and waiting);
    /// `playing` are the items on air.
    public static func decide(
        now: Date,
        candidates: [Item],
        playing: [Item],
        policy: ArbitrationPolicy
    ) -> Plan {
        var plan = Plan()
        var onAir = playing
        // Highest priority first; among equals, the earliest planned; then by key for a stable order.
        let ordered = candidates.sorted {
            if $0.priority != $1.priority { return $0.priority > $1.priority }
            if $0.plannedAt != $1.plannedAt { return $0.plannedAt < $1.plannedAt }
            return $0.key < $1.key
        }
        for candidate in ordered {
            if now.timeIntervalSince(candidate.plannedAt) > candidate.latenessLimit {
                plan.missed.append(candidate.key)
                continue
            }
            let clashing = onAir.filter { !$0.zones.isDisjoint(with: candidate.zones) }
            if let blocker = clashing.first(where: { !preempts(candidate.priority, $0.priority, policy: policy) }) {
                plan.wait.append(Wait(key: candidate.key, behind: blocker.key))
                continue
            }
            for victim in clashing {
                plan.preempt.append(Preemption(victim: victim.key, by: candidate.key))
            }
            onAir.removeAll { victim in clashing.contains { $0.key == victim.key } }
            onAir.append(candidate)
            plan.start.append(candidate.key)
        }
        return plan
    }
}
