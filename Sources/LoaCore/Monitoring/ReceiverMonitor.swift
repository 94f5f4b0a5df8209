/// The receiver status monitor: availability, telemetry and events in, states, transitions and alerts out.
///
/// Pure: the caller passes every message and the time, calls `tick` about once a second, and carries out
/// the `MonitorOutput` (store the transitions, send the alerts, log the notices). Network input can only
/// change the state of the receiver its topic names, and input that cannot be used changes nothing but
/// counters.
public struct ReceiverMonitor: Sendable {
    struct Tracked: Sendable {
        let id: String
        var known: Bool
        var name: String?
        var zone: String?
        /// The last availability heard; nil when none yet. Telemetry implies `online`.
        var availability: AvailabilityStatus.State?
        var version: String?
        var state: ReceiverState = .unknown
        var since: Date?
        var downSince: Date?
        var lastSeen: Date?
        var lastTelemetryAt: Date?
        /// Where the silence timeout counts from: the last telemetry, birth or reconnection.
        var silenceFrom: Date?
        var silent = false
        var telemetry: Telemetry?
        var newUnderruns = 0
        var reasons: [DegradedReason] = []
        /// Restored as degraded after a restart: stays so until its first telemetry says otherwise.
        var awaitingTelemetry = false
        var session: SessionID?
        var badMessages = 0
        var rejectedCommands = 0
        var lastRejectedCommand: ReceiverStatus.RejectedCommand?
        /// Its clock minus ours (µs) from the `at` of its latest telemetry, newest last.
        var skewSamples: [Int64] = []
        /// When it refused a command as stale, until it shows its clock is right.
        var staleRefusalAt: Date?
        /// The instance its latest status named, and when each earlier one was replaced (within a flap window).
        var instance: String?
        var replaced: [String: Date] = [:]
        var duplicate: ReceiverStatus.Duplicate?
    }

    public let topics: TopicTree
    public private(set) var configuration: MonitorConfiguration
    public private(set) var inventory: SiteInventory
    public private(set) var counters = MonitorCounters()
    var receivers: [String: Tracked] = [:]
    /// Inventory order, for listing.
    var order: [String] = []
    var strangers = 0
    var tally: [ReceiverState: Int] = [:]
    /// The inventory's receivers offline or lost, kept as they change so counting is cheap.
    var downIDs: Set<String> = []
    var noticed: Set<String> = []
    var policy: AlertPolicy
    var busConnected = true
    /// Receivers whose id two devices seem to share, kept so `tick` need not look at every receiver.
    var duplicated: Set<String> = []

    /// How many telemetry samples of a receiver's clock the skew estimate keeps.
    static let skewSamples = 3
    /// How many replaced instances of a receiver are remembered.
    static let instanceMemory = 8

    /// How many (source, problem) pairs are remembered for log-once; beyond it, problems are only counted.
    static let noticeMemory = 10_000

    public init(
        topics: TopicTree,
        inventory: SiteInventory,
        configuration: MonitorConfiguration = MonitorConfiguration()
    ) {
        self.topics = topics
        self.configuration = configuration
        self.inventory = inventory
        self.policy = AlertPolicy(site: topics.site, settings: configuration.alerts)
        for receiver in inventory.receivers where receivers[receiver.id] == nil {
            receivers[receiver.id] = Tracked(id: receiver.id, known: true, name: receiver.name, zone: receiver.zone)
            order.append(receiver.id)
            tally[.unknown, default: 0] += 1
        }
    }

    // MARK: - Input

    /// Restores the states stored before a restart, so a restart neither repeats alerts nor loses `since`.
    /// Receivers so restored must report within the silence timeout from `now`, or they become lost.
    public mutating func restore(_ latest: [String: ReceiverTransition], at now: Date) {
        for (id, transition) in latest {
            guard var tracked = receivers[id], tracked.known, tracked.state == .unknown else { continue }
            let state = transition.to
            switch state {
            case .unknown: continue
            case .offline: tracked.availability = .offline
            case .lost:
                tracked.availability = .online
                tracked.silent = true
            case .degraded:
                tracked.availability = .online
                tracked.awaitingTelemetry = true
            case .online, .playing:
                tracked.availability = .online
            }
            tracked.silenceFrom = now
            tally[tracked.state, default: 0] -= 1
            tally[state, default: 0] += 1
            if state.isDown { downIDs.insert(id) }
            tracked.state = state
            tracked.since = transition.at
            tracked.downSince = state.isDown ? transition.at : nil
            receivers[id] = tracked
            policy.assume(id, state: state)
        }
    }

    /// Takes one message from the bus. Returns nil when the topic is not a receiver's (not for the monitor).
    public mutating func receive(_ message: BusMessage, at now: Date) -> MonitorOutput? {
        guard let (id, kind) = ReceiverMessageReader.route(message.topic, topics: topics) else { return nil }
        var output = MonitorOutput()
        guard ReceiverMessageReader.isValidID(id), !kind.contains("/") else {
            problem(.badTopic, source: String(message.topic.prefix(80)), detail: "not rx/{id}/{kind}", into: &output)
            return output
        }
        let input: ReceiverInput
        switch ReceiverMessageReader.read(kind: kind, payload: message.payload, retained: message.retain) {
        case .failure(let rejection):
            receivers[id]?.badMessages += 1
            problem(rejection.problem, source: id, detail: rejection.detail, into: &output)
            return output
        case .success(let (read, note)):
            if let note { problem(note, source: id, detail: "fields this controller does not know", into: &output) }
            input = read
        }
        if receivers[id] == nil {
            guard strangers < configuration.maxStrangers else {
                problem(.tooManyStrangers, source: id, detail: "limit \(configuration.maxStrangers)", into: &output)
                return output
            }
            receivers[id] = Tracked(id: id, known: false)
            strangers += 1
            problem(.stranger, source: id, detail: "not in the inventory", into: &output)
        }
        counters.messages[kind, default: 0] += 1
        var tracked = receivers[id]!
        let cause = apply(input, to: &tracked, at: now)
        if let transition = settle(&tracked, at: now, cause: cause) { output.transitions.append(transition) }
        receivers[id] = tracked
        return output
    }

    /// Applies one valid input; returns a few words on what it was, for the transition's detail.
    mutating func apply(_ input: ReceiverInput, to tracked: inout Tracked, at now: Date) -> String {
        tracked.lastSeen = now
        switch input {
        case .status(let status, let retained):
            if let version = status.version { tracked.version = version }
            switch status.state {
            case .offline:
                // The will of a connection the broker dropped for a newer one with this id (a restart, or
                // another device): the receiver is online in its newer instance.
                if let instance = status.instance, let current = tracked.instance, instance != current {
                    return "offline status of a replaced instance, ignored"
                }
                tracked.availability = .offline
                tracked.silent = false
                tracked.session = nil
                return retained ? "retained offline status" : "offline status (will or goodbye)"
            case .online:
                // A retained `online` is what the broker remembers, not news: it does not end a silence.
                if !retained || tracked.availability != .online {
                    tracked.silent = false
                    tracked.silenceFrom = now
                }
                if !retained {
                    // A new connection, perhaps a new process: its clock is judged afresh.
                    tracked.skewSamples = []
                    tracked.staleRefusalAt = nil
                    tracked.reasons = reasons(tracked)
                }
                if let instance = status.instance { noteInstance(instance, of: &tracked, at: now) }
                tracked.availability = .online
                return retained ? "retained online status" : "birth"
            }
        case .telemetry(let telemetry):
            var added = 0
            if let previous = tracked.telemetry?.underruns, let current = telemetry.underruns {
                let restarted = (telemetry.uptime ?? .max) < (tracked.telemetry?.uptime ?? 0)
                added = current >= previous && !restarted ? current - previous : current
            }
            counters.underruns += added
            tracked.newUnderruns = added
            tracked.telemetry = telemetry
            if let at = telemetry.at {
                tracked.skewSamples = Array(
                    (tracked.skewSamples + [at - now.microsecondsSince1970]).suffix(Self.skewSamples)
                )
                // A report whose time agrees with ours answers a stale refusal: that command came late, or the
                // clock has been put right since.
                if let skew = Self.skewMs(tracked), let limit = configuration.thresholds.clockSkewMs, abs(skew) <= limit
                {
                    tracked.staleRefusalAt = nil
                }
            } else {
                tracked.skewSamples = []
            }
            tracked.reasons = reasons(tracked)
            tracked.awaitingTelemetry = false
            tracked.lastTelemetryAt = now
            tracked.silenceFrom = now
            tracked.silent = false
            tracked.session = telemetry.playing
            tracked.availability = .online
            return tracked.reasons.isEmpty ? "telemetry" : tracked.reasons.map(\.rawValue).joined(separator: ", ")
        case .event(let event):
            switch event.kind {
            case .sessionStarted:
                if let session = event.session { tracked.session = session }
            case .sessionFinished, .sessionAborted:
                if tracked.session == nil || event.session == nil || event.session == tracked.session {
                    tracked.session = nil
                }
            case .underrun:
                counters.underruns += 1
            case .commandRejected:
                if event.reason == CommandRejection.stale.rawValue {
                    tracked.staleRefusalAt = now
                    tracked.reasons = reasons(tracked)
                }
                tracked.rejectedCommands += 1
                // When it came, by our clock: the receiver's `at` is its own clock's, which may be the very fault.
                tracked.lastRejectedCommand = ReceiverStatus.RejectedCommand(
                    at: now,
                    reason: String((event.reason ?? "unknown").prefix(64)),
                    seq: event.seq
                )
            case .commandAccepted:
                // A command within 30 s of its clock: whatever it refused as stale before is answered.
                if tracked.staleRefusalAt != nil {
                    tracked.staleRefusalAt = nil
                    tracked.reasons = reasons(tracked)
                }
            }
            return event.kind.rawValue
        }
    }

    /// The thresholds a receiver crosses: its last telemetry's, and the controller's view of its clock.
    func reasons(_ tracked: Tracked) -> [DegradedReason] {
        let thresholds = configuration.thresholds
        let reported = tracked.telemetry.map { thresholds.reasons(for: $0, newUnderruns: tracked.newUnderruns) } ?? []
        return reported
            + thresholds.clockReasons(skewMs: Self.skewMs(tracked), staleRefusal: tracked.staleRefusalAt != nil)
    }

    /// The controller's estimate of a receiver's clock minus its own (ms): the largest recent sample, the
    /// one its transit delayed least (a sample is the offset less the report's transit time).
    static func skewMs(_ tracked: Tracked) -> Double? {
        tracked.skewSamples.max().map { Double($0) / 1_000 }
    }

    /// Notes the instance a birth names. One replaced within the flap window coming back means two devices
    /// take turns on this id (each connection makes the broker drop the other's); a new one is a restart.
    mutating func noteInstance(_ instance: String, of tracked: inout Tracked, at now: Date) {
        let window = configuration.alerts.flapWindow
        tracked.replaced = tracked.replaced.filter { now.timeIntervalSince($0.value) < window }
        guard let current = tracked.instance, current != instance else {
            tracked.instance = instance
            return
        }
        tracked.replaced[current] = now
        tracked.instance = instance
        guard tracked.replaced.removeValue(forKey: instance) != nil else {
            if tracked.replaced.count > Self.instanceMemory,
                let oldest = tracked.replaced.min(by: { $0.value < $1.value })
            {
                tracked.replaced[oldest.key] = nil
            }
            return
        }
        var duplicate = tracked.duplicate ?? ReceiverStatus.Duplicate(since: now, last: now, switches: 0, instances: [])
        duplicate.last = now
        duplicate.switches += 1
        duplicate.instances = Array(
            ([instance, current] + duplicate.instances.filter { $0 != instance && $0 != current }).prefix(4)
        )
        tracked.duplicate = duplicate
        duplicated.insert(tracked.id)
        if tracked.known {
            policy.noteDuplicate(
                tracked.id,
                detail: "instances \(duplicate.instances.joined(separator: " and ")) keep replacing each other online",
                at: now
            )
        }
    }

    /// The state the facts say.
    func judge(_ tracked: Tracked) -> ReceiverState {
        switch tracked.availability {
        case nil: return .unknown
        case .offline: return .offline
        case .online:
            if tracked.silent { return .lost }
            if !tracked.reasons.isEmpty || tracked.awaitingTelemetry { return .degraded }
            if tracked.session != nil { return .playing }
            return .online
        }
    }

    /// Moves a receiver to the state its facts say; the transition, if it changed.
    mutating func settle(_ tracked: inout Tracked, at now: Date, cause: String?) -> ReceiverTransition? {
        let new = judge(tracked)
        let old = tracked.state
        guard new != old else { return nil }
        if tracked.known {
            tally[old, default: 0] -= 1
            tally[new, default: 0] += 1
            if new.isDown { downIDs.insert(tracked.id) } else { downIDs.remove(tracked.id) }
        }
        tracked.state = new
        tracked.since = now
        if new.isDown {
            if !old.isDown { tracked.downSince = now }
        } else {
            tracked.downSince = nil
        }
        counters.transitions[new.rawValue, default: 0] += 1
        let transition = ReceiverTransition(receiver: tracked.id, from: old, to: new, at: now, detail: cause)
        // Strangers are listed, never alerted: an unknown device going quiet is not a loudspeaker down.
        if tracked.known { policy.note(transition) }
        return transition
    }

    mutating func problem(_ problem: InputProblem, source: String, detail: String, into output: inout MonitorOutput) {
        counters.problems[problem.rawValue, default: 0] += 1
        guard noticed.count < Self.noticeMemory else { return }
        if noticed.insert("\(source)\u{0}\(problem.rawValue)").inserted {
            output.notices.append(InputNotice(source: source, problem: problem, detail: detail))
        }
    }

    // MARK: - Time

    /// Judges silent receivers lost and releases the alerts that are due. Call about once a second.
    public mutating func tick(at now: Date) -> MonitorOutput {
        var output = MonitorOutput()
        if busConnected {
            let thresholds = configuration.thresholds
            let due = receivers.values.compactMap { tracked -> String? in
                guard tracked.availability == .online, !tracked.silent, let from = tracked.silenceFrom else {
                    return nil
                }
                let timeout = thresholds.silenceTimeout(
                    interval: tracked.telemetry?.interval ?? thresholds.defaultInterval
                )
                return now.timeIntervalSince(from) >= timeout ? tracked.id : nil
            }
            for id in due.sorted() {
                var tracked = receivers[id]!
                tracked.silent = true
                let interval = tracked.telemetry?.interval ?? thresholds.defaultInterval
                let cause = "no telemetry for \(Int(thresholds.silenceTimeout(interval: interval))) s"
                if let transition = settle(&tracked, at: now, cause: cause) { output.transitions.append(transition) }
                receivers[id] = tracked
            }
        }
        let window = configuration.alerts.flapWindow
        for id in duplicated.sorted() {
            guard let last = receivers[id]?.duplicate?.last else {
                duplicated.remove(id)
                continue
            }
            guard now.timeIntervalSince(last) >= window else { continue }
            // No device took another's turn for a whole window: one of them is gone.
            receivers[id]?.duplicate = nil
            duplicated.remove(id)
            policy.endDuplicate(id, at: now)
        }
        let snapshot = receivers
        output.alerts = policy.flush(at: now) { id in Self.subject(snapshot[id]) }
        for alert in output.alerts { counters.alerts[alert.kind.rawValue, default: 0] += 1 }
        return output
    }

    /// The controller's own link to the broker. While it is down nobody is judged lost (the silence is
    /// ours); when it is back, every silence timeout starts again.
    public mutating func busConnectionChanged(connected: Bool, at now: Date) {
        if connected && !busConnected {
            for id in Array(receivers.keys) where receivers[id]?.availability == .online {
                receivers[id]!.silenceFrom = max(receivers[id]!.silenceFrom ?? now, now)
            }
        }
        busConnected = connected
    }

    public var isBusConnected: Bool { busConnected }

    // MARK: - Configuration

    /// Takes a new inventory and configuration (a reload): receivers added start unknown, strangers that
    /// joined the inventory keep what is known of them, receivers removed become strangers (or are
    /// forgotten if never seen), and new thresholds judge the last telemetry again.
    public mutating func reconfigure(
        inventory: SiteInventory,
        configuration: MonitorConfiguration,
        at now: Date
    ) -> MonitorOutput {
        var output = MonitorOutput()
        self.inventory = inventory
        self.configuration = configuration
        policy.settings = configuration.alerts
        let wanted = Dictionary(inventory.receivers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for id in Array(receivers.keys) where receivers[id]!.known && wanted[id] == nil {
            let tracked = receivers[id]!
            tally[tracked.state, default: 0] -= 1
            downIDs.remove(id)
            if tracked.state == .unknown {
                receivers[id] = nil
                policy.forget(id)
            } else {
                receivers[id]!.known = false
                policy.forget(id)
                receivers[id]!.name = nil
                receivers[id]!.zone = nil
                strangers += 1
            }
        }
        order = []
        var listed: Set<String> = []
        for receiver in inventory.receivers where listed.insert(receiver.id).inserted {
            order.append(receiver.id)
            var tracked = receivers[receiver.id] ?? Tracked(id: receiver.id, known: false)
            if !tracked.known {
                if receivers[receiver.id] != nil { strangers -= 1 }
                tracked.known = true
                tally[tracked.state, default: 0] += 1
                if tracked.state.isDown { downIDs.insert(receiver.id) }
            }
            tracked.name = receiver.name
            tracked.zone = receiver.zone
            receivers[receiver.id] = tracked
        }
        for id in Array(receivers.keys) {
            var tracked = receivers[id]!
            tracked.reasons = reasons(tracked)
            if let transition = settle(&tracked, at: now, cause: "new thresholds") {
                output.transitions.append(transition)
            }
            receivers[id] = tracked
        }
        return output
    }

    // MARK: - Reading

    /// Every receiver (inventory order, then strangers by id), optionally one zone's or matching `filter`.
    public func statuses(zone: String? = nil, filter: ReceiverFilter? = nil) -> [ReceiverStatus] {
        let strangerIDs = receivers.values.filter { !$0.known }.map(\.id).sorted()
        return (order + strangerIDs).compactMap { id in
            guard let tracked = receivers[id] else { return nil }
            if let zone, tracked.zone != zone { return nil }
            let status = Self.status(tracked)
            if let filter, !filter.matches(status) { return nil }
            return status
        }
    }

    public func status(of id: String) -> ReceiverStatus? {
        receivers[id].map(Self.status)
    }

    static func status(_ tracked: Tracked) -> ReceiverStatus {
        ReceiverStatus(
            id: tracked.id,
            name: tracked.name,
            zone: tracked.zone,
            stranger: !tracked.known,
            state: tracked.state,
            since: tracked.since,
            downSince: tracked.downSince,
            lastSeen: tracked.lastSeen,
            lastTelemetry: tracked.lastTelemetryAt,
            telemetry: tracked.telemetry,
            reasons: tracked.reasons,
            playing: tracked.state.isDown ? nil : tracked.session,
            version: tracked.version,
            badMessages: tracked.badMessages,
            rejectedCommands: tracked.rejectedCommands,
            lastRejectedCommand: tracked.lastRejectedCommand,
            clockSkewMs: skewMs(tracked),
            duplicate: tracked.duplicate
        )
    }

    static func subject(_ tracked: Tracked?) -> ReceiverAlert.Subject? {
        guard let tracked else { return nil }
        return ReceiverAlert.Subject(
            id: tracked.id,
            name: tracked.name,
            zone: tracked.zone,
            state: tracked.state,
            since: tracked.since?.microsecondsSince1970,
            reasons: tracked.reasons,
            stranger: !tracked.known,
            clockOffsetMs: tracked.reasons.contains(.clockOffset) ? tracked.telemetry?.clockOffsetMs : nil,
            clockSkewMs: tracked.reasons.contains(where: \.missesBroadcasts) ? skewMs(tracked) : nil
        )
    }

    /// The inventory's receivers by state, for `/healthz`, `loa health` and `/metrics`.
    public func counts() -> ReceiverCounts {
        let down = Array(downIDs.sorted().prefix(ReceiverCounts.downListLimit))
        let misclocked =
            tally[.degraded, default: 0] == 0
            ? []
            : Array(
                order.lazy.filter { id in
                    guard let tracked = self.receivers[id], tracked.state == .degraded else { return false }
                    return tracked.reasons.contains(where: \.missesBroadcasts)
                }.prefix(ReceiverCounts.downListLimit)
            )
        return ReceiverCounts(
            total: order.count,
            online: tally[.online, default: 0] + tally[.playing, default: 0] + tally[.degraded, default: 0],
            offline: tally[.offline, default: 0],
            lost: tally[.lost, default: 0],
            playing: tally[.playing, default: 0],
            degraded: tally[.degraded, default: 0],
            unknown: tally[.unknown, default: 0],
            strangers: strangers,
            down: down,
            misclocked: misclocked
        )
    }

    /// The number of receivers in each state, the inventory's and strangers together.
    public func states() -> [ReceiverState: Int] {
        var result: [ReceiverState: Int] = [:]
        for tracked in receivers.values { result[tracked.state, default: 0] += 1 }
        return result
    }
}
