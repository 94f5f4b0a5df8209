/// Turns receivers' state changes into alerts, debounced (docs/protocol.md, "Alert"):
/// - a change waits `groupWait` before it is alerted, so a blip gives no alert and changes that happen
///   together are alerted together;
/// - a receiver gives at most one alert per `flapWindow`; when the window ends, one more alert says where it
///   ended up if that differs from what was last alerted;
/// - `massOutage` receivers or more going down within `massOutageWindow` give one `outage` alert, and one
///   `outage-resolved` when fewer than that are still down;
/// - a receiver whose id two devices share gives one `duplicate-id` alert (at most one per `flapWindow`),
///   and its ups and downs are not alerted while they take turns.
///
/// Pure: the caller feeds transitions and the time, and asks for the alerts due.
public struct AlertPolicy: Sendable {
    /// What an alert says about a receiver: the states that matter to an operator.
    public enum Condition: String, Sendable, Hashable {
        case up
        case offline
        case lost
        case degraded

        var isDown: Bool { self == .offline || self == .lost }
    }

    struct Memory: Sendable {
        /// What the last alert (or the start-up state) told the operator.
        var alerted: Condition = .up
        var lastAlertAt: Date?
        /// Transitions since the last alert about it.
        var changes = 0
        /// The end of its flap window, when a change is waiting for it.
        var reconcileAt: Date?
        /// Its first change not yet decided.
        var pendingSince: Date?
        /// When its condition changed within the last flap window.
        var changeTimes: [Date] = []
        /// When it last went down, for the mass-outage window.
        var downAt: Date?
    }

    struct Outage: Sendable {
        var started: Date
        var members: Set<String>
    }

    public var settings: AlertSettings
    public let site: String
    var memory: [String: Memory] = [:]
    var pending: Set<String> = []
    var reconcile: Set<String> = []
    var outage: Outage?
    var sequence = 0
    /// Receivers whose id two devices share, now.
    var duplicated: Set<String> = []
    /// Their `duplicate-id` alerts due, with the alert's detail.
    var duplicatesDue: [String: String] = [:]
    var duplicateAlertedAt: [String: Date] = [:]

    public init(site: String, settings: AlertSettings = AlertSettings()) {
        self.site = site
        self.settings = settings
    }

    /// Whether an outage alert is open (its receivers are not alerted one by one).
    public var outageInProgress: Bool { outage != nil }

    public func condition(_ state: ReceiverState) -> Condition {
        switch state {
        case .online, .playing, .unknown: .up
        case .offline: .offline
        case .lost: .lost
        case .degraded: settings.alertOnDegraded ? .degraded : .up
        }
    }

    /// Records what the operator already knows (the state stored before a restart), with no alert.
    public mutating func assume(_ receiver: String, state: ReceiverState) {
        memory[receiver] = Memory(alerted: condition(state))
    }

    /// Forgets a receiver that is no longer tracked.
    public mutating func forget(_ receiver: String) {
        memory[receiver] = nil
        pending.remove(receiver)
        reconcile.remove(receiver)
        outage?.members.remove(receiver)
        duplicated.remove(receiver)
        duplicatesDue[receiver] = nil
        duplicateAlertedAt[receiver] = nil
    }

    /// Notes that two devices use `receiver`'s id (`detail` says what shows it). The next `flush` gives one
    /// `duplicate-id` alert unless one was given within the flap window; until ``endDuplicate(_:at:)``, its
    /// ups and downs are the devices taking turns, not news, and are not alerted.
    public mutating func noteDuplicate(_ receiver: String, detail: String, at now: Date) {
        if duplicated.insert(receiver).inserted,
            duplicateAlertedAt[receiver].map({ now.timeIntervalSince($0) >= settings.flapWindow }) ?? true
        {
            duplicatesDue[receiver] = detail
        }
        pending.remove(receiver)
        reconcile.remove(receiver)
        memory[receiver]?.changeTimes = []
        memory[receiver]?.changes = 0
        memory[receiver]?.pendingSince = nil
        memory[receiver]?.reconcileAt = nil
    }

    /// Notes that the devices sharing `receiver`'s id stopped taking turns: its state is alerted again (after
    /// the group wait) if it differs from what the operator last heard.
    public mutating func endDuplicate(_ receiver: String, at now: Date) {
        guard duplicated.remove(receiver) != nil else { return }
        var entry = memory[receiver] ?? Memory()
        entry.pendingSince = now
        memory[receiver] = entry
        pending.insert(receiver)
    }

    /// Notes a state change; its alert (if any) comes from a later `flush`. Changes an operator does not
    /// care about (online to playing, offline to lost) are ignored.
    public mutating func note(_ transition: ReceiverTransition) {
        guard !duplicated.contains(transition.receiver) else { return }
        let from = condition(transition.from)
        let to = condition(transition.to)
        guard from != to, !(from.isDown && to.isDown) else { return }
        var entry = memory[transition.receiver] ?? Memory()
        entry.changes += 1
        if to.isDown { entry.downAt = transition.at }
        let windowStart = transition.at.addingTimeInterval(-settings.flapWindow)
        entry.changeTimes.removeAll { $0 < windowStart }
        entry.changeTimes.append(transition.at)
        if entry.pendingSince == nil { entry.pendingSince = transition.at }
        memory[transition.receiver] = entry
        pending.insert(transition.receiver)
    }

    /// Whether a receiver changed often enough within the flap window to be called flapping.
    func isFlapping(_ entry: Memory, at now: Date) -> Bool {
        let windowStart = now.addingTimeInterval(-settings.flapWindow)
        return entry.changeTimes.filter { $0 >= windowStart }.count >= max(2, settings.flapChanges)
    }

    /// The alerts due at `now`. `subject` describes a tracked receiver as it is now (nil: no longer tracked).
    public mutating func flush(at now: Date, subject: (String) -> ReceiverAlert.Subject?) -> [ReceiverAlert] {
        var duplicates: [ReceiverAlert] = []
        for (id, detail) in duplicatesDue.sorted(by: { $0.key < $1.key }) {
            duplicatesDue[id] = nil
            guard let described = subject(id) else { continue }
            duplicateAlertedAt[id] = now
            let summary = "\(Self.label(described)): two devices use this id (\(detail))"
            duplicates.append(makeAlert(.duplicateID, at: now, subjects: [described], summary: summary))
        }
        return duplicates + flushChanges(at: now, subject: subject)
    }

    /// The state-change alerts due at `now`.
    mutating func flushChanges(at now: Date, subject: (String) -> ReceiverAlert.Subject?) -> [ReceiverAlert] {
        var ready: Set<String> = []
        for id in pending {
            guard let since = memory[id]?.pendingSince else {
                ready.insert(id)
                continue
            }
            if now.timeIntervalSince(since) >= settings.groupWait { ready.insert(id) }
        }
        pending.subtract(ready)
        for id in ready { memory[id]?.pendingSince = nil }
        if !reconcile.isEmpty {
            let due = reconcile.filter { id in memory[id]?.reconcileAt.map { $0 <= now } ?? true }
            for id in due {
                reconcile.remove(id)
                memory[id]?.reconcileAt = nil
                // A change still waiting for its group is decided with its group.
                if !pending.contains(id) { ready.insert(id) }
            }
        }
        guard !ready.isEmpty else { return [] }

        var alerts: [ReceiverAlert] = []
        var subjects: [String: ReceiverAlert.Subject] = [:]
        var downs: [String] = []
        var degraded: [String] = []
        var recovered: [String] = []
        var flapping: [String] = []
        var outageTouched = false
        for id in ready.sorted() {
            guard var entry = memory[id] else { continue }
            guard let described = subject(id) else {
                forget(id)
                continue
            }
            subjects[id] = described
            if let outage, outage.members.contains(id) {
                outageTouched = true
                continue
            }
            let current = condition(described.state)
            let inWindow = entry.lastAlertAt.map { now.timeIntervalSince($0) < settings.flapWindow } ?? false
            if current == entry.alerted || (current.isDown && entry.alerted.isDown) {
                // Back where the operator last heard it was (or down either way): nothing to say, unless it
                // keeps going down and coming back.
                if !inWindow, isFlapping(entry, at: now) {
                    flapping.append(id)
                    continue
                }
                entry.alerted = current
                // Within a window the changes add up, for the alert at its end.
                if !inWindow { entry.changes = 0 }
                memory[id] = entry
                continue
            }
            if inWindow, let last = entry.lastAlertAt {
                entry.reconcileAt = last.addingTimeInterval(settings.flapWindow)
                memory[id] = entry
                reconcile.insert(id)
                continue
            }
            switch current {
            case .offline, .lost: downs.append(id)
            case .degraded: degraded.append(id)
            case .up: recovered.append(id)
            }
        }

        if !downs.isEmpty {
            if outage != nil {
                for id in downs {
                    outage?.members.insert(id)
                    let folded = condition(subjects[id]!.state)
                    memory[id]?.alerted = folded
                    memory[id]?.changes = 0
                }
                downs = []
            } else {
                let windowStart = now.addingTimeInterval(-settings.massOutageWindow)
                var candidates = Set(downs)
                for (id, entry) in memory where entry.alerted.isDown && !candidates.contains(id) {
                    guard let downAt = entry.downAt, downAt >= windowStart, let current = subject(id),
                        condition(current.state).isDown
                    else { continue }
                    subjects[id] = current
                    candidates.insert(id)
                }
                if candidates.count >= max(1, settings.massOutage) {
                    outage = Outage(started: now, members: candidates)
                    let list = candidates.sorted().compactMap { subjects[$0] }
                    let suppressed = downs.reduce(0) { $0 + max(0, (memory[$1]?.changes ?? 1) - 1) }
                    for id in downs { markAlerted(id, condition(subjects[id]!.state), at: now) }
                    alerts.append(
                        makeAlert(
                            .outage,
                            at: now,
                            subjects: list,
                            summary: "\(list.count) receivers down (offline or lost): \(Self.names(list))",
                            suppressed: suppressed
                        )
                    )
                    downs = []
                }
            }
        }
        for id in downs {
            let subject = subjects[id]!
            let kind: ReceiverAlert.Kind = subject.state == .lost ? .lost : .offline
            alerts.append(
                individual(kind, id, subject, at: now, summary: "\(Self.label(subject)) is \(subject.state.rawValue)")
            )
        }
        alerts += grouped(.degraded, degraded, subjects, at: now) { subject in
            let reasons = subject.reasons.map {
                $0.described(clockOffsetMs: subject.clockOffsetMs, clockSkewMs: subject.clockSkewMs)
            }
            return "\(Self.label(subject)) is degraded: \(reasons.joined(separator: ", "))"
        }
        alerts += grouped(.recovered, recovered, subjects, at: now) { [memory] subject in
            let was = memory[subject.id]?.alerted.rawValue ?? "down"
            return "\(Self.label(subject)) is back: \(subject.state.rawValue) (was \(was))"
        }
        alerts += grouped(.flapping, flapping, subjects, at: now) { [memory, settings] subject in
            let changes = memory[subject.id]?.changeTimes.count ?? 0
            return
                "\(Self.label(subject)) is flapping: \(changes) changes in \(Int(settings.flapWindow)) s, now \(subject.state.rawValue)"
        }

        if outageTouched, let current = outage {
            let stillDown = current.members.filter { id in
                (subjects[id] ?? subject(id)).map { condition($0.state).isDown } ?? false
            }
            if stillDown.count < max(1, settings.massOutage) {
                outage = nil
                let back = current.members.count - stillDown.count
                for id in current.members {
                    guard let described = subjects[id] ?? subject(id) else { continue }
                    subjects[id] = described
                    markAlerted(id, stillDown.contains(id) ? condition(described.state) : .up, at: now)
                    // A member that came back degraded is alerted as such on its own, after the window.
                    if !stillDown.contains(id), condition(described.state) != .up {
                        memory[id]?.reconcileAt = now.addingTimeInterval(settings.flapWindow)
                        reconcile.insert(id)
                    }
                }
                let down = stillDown.sorted().compactMap { subjects[$0] }
                let up = current.members.subtracting(stillDown).sorted().compactMap { subjects[$0] }
                let tail = down.isEmpty ? "" : "; still down: \(Self.names(down))"
                alerts.append(
                    makeAlert(
                        .outageResolved,
                        at: now,
                        subjects: down + up,
                        summary: "outage over: \(back) of \(current.members.count) receivers back\(tail)"
                    )
                )
            }
        }
        return alerts
    }

    /// One alert per receiver, or one for all of them when there are `massOutage` or more.
    mutating func grouped(
        _ kind: ReceiverAlert.Kind,
        _ ids: [String],
        _ subjects: [String: ReceiverAlert.Subject],
        at now: Date,
        summary: (ReceiverAlert.Subject) -> String
    ) -> [ReceiverAlert] {
        guard !ids.isEmpty else { return [] }
        if ids.count >= max(2, settings.massOutage) {
            let list = ids.compactMap { subjects[$0] }
            let suppressed = ids.reduce(0) { $0 + max(0, (memory[$1]?.changes ?? 1) - 1) }
            for id in ids { markAlerted(id, condition(subjects[id]!.state), at: now) }
            return [
                makeAlert(
                    kind,
                    at: now,
                    subjects: list,
                    summary: "\(list.count) receivers \(kind.rawValue): \(Self.names(list))",
                    suppressed: suppressed
                )
            ]
        }
        return ids.map { individual(kind, $0, subjects[$0]!, at: now, summary: summary(subjects[$0]!)) }
    }

    mutating func individual(
        _ kind: ReceiverAlert.Kind,
        _ id: String,
        _ subject: ReceiverAlert.Subject,
        at now: Date,
        summary: String
    ) -> ReceiverAlert {
        let suppressed = max(0, (memory[id]?.changes ?? 1) - 1)
        markAlerted(id, condition(subject.state), at: now)
        return makeAlert(kind, at: now, subjects: [subject], summary: summary, suppressed: suppressed)
    }

    mutating func markAlerted(_ id: String, _ condition: Condition, at now: Date) {
        var entry = memory[id] ?? Memory()
        entry.alerted = condition
        entry.lastAlertAt = now
        entry.changes = 0
        memory[id] = entry
    }

    mutating func makeAlert(
        _ kind: ReceiverAlert.Kind,
        at now: Date,
        subjects: [ReceiverAlert.Subject],
        summary: String,
        suppressed: Int = 0
    ) -> ReceiverAlert {
        sequence += 1
        let at = now.microsecondsSince1970
        return ReceiverAlert(
            id: "\(site)-\(at)-\(sequence)",
            site: site,
            at: at,
            kind: kind,
            summary: summary,
            receivers: subjects,
            count: subjects.count,
            suppressed: suppressed
        )
    }

    /// `rx-dong-01 (Cụm loa đầu thôn Đông, thon-dong)`, or just the id for a stranger.
    static func label(_ subject: ReceiverAlert.Subject) -> String {
        let details = [subject.name, subject.zone].compactMap { $0 }
        let base = details.isEmpty ? subject.id : "\(subject.id) (\(details.joined(separator: ", ")))"
        return subject.stranger ? "\(base) [stranger]" : base
    }

    /// The first few ids, then how many more.
    static func names(_ subjects: [ReceiverAlert.Subject], limit: Int = 5) -> String {
        let shown = subjects.prefix(limit).map(\.id).joined(separator: ", ")
        return subjects.count > limit ? "\(shown) and \(subjects.count - limit) more" : shown
    }
}
