import LoaCore

/// Every session a receiver knows, and which one the loudspeaker plays: the arbitration of docs/protocol.md
/// ("the higher priority one plays; the other is muted"), stop and abort, and the session events.
///
/// Pure and single-threaded: the paced ALSA thread and the simulated receivers drive it under their own lock,
/// passing the time, so its behaviour does not depend on which output is behind it.
struct PlayoutSchedule: Sendable {
    private(set) var sessions: [SessionID: SessionTimeline] = [:]
    /// Sessions stopped, aborted or finished: their late messages are ignored, not restarted.
    private var closed = RecentSessions(capacity: 512)
    /// The receiver's volume, 0–100.
    var volume: Int
    /// The session whose audio went out last.
    private(set) var onAir: SessionID?
    /// Counters of the sessions already removed; live sessions are added in ``counts``.
    private var removedCounts = SessionCounts()
    /// How long missing audio is concealed (Opus packet-loss concealment) before a session with no known end
    /// goes silent, µs.
    let maximumConcealment: Int64
    /// How long the audio of a session with no known end may be missing in all (concealed, then silent) before
    /// the session is given up as `stalled`, µs. Meanwhile it stays open and holds the output at its priority.
    let stallLimit: Int64
    /// The default of ``maximumConcealment``, µs: half a second.
    static let defaultMaximumConcealment: Int64 = 500_000
    /// The default of ``stallLimit``, µs: ten seconds.
    static let defaultStallLimit: Int64 = 10_000_000
    /// How long a session that never started is kept with no news.
    static let idleExpiry: Int64 = 60_000_000

    init(
        volume: Int,
        maximumConcealment: Int64 = defaultMaximumConcealment,
        stallLimit: Int64 = defaultStallLimit
    ) {
        self.volume = volume
        self.maximumConcealment = maximumConcealment
        self.stallLimit = max(stallLimit, maximumConcealment)
    }

    /// Every counter since the receiver started, for telemetry.
    var counts: SessionCounts {
        sessions.values.reduce(removedCounts) { $0 + $1.counts }
    }

    /// The session on the air: started and not over.
    var playing: SessionID? {
        guard let onAir, let timeline = sessions[onAir], timeline.hasPresented, timeline.phase != .ended else {
            return nil
        }
        return onAir
    }

    /// Whether `session` may still be output (not stopped meanwhile).
    func isLive(_ session: SessionID) -> Bool { sessions[session] != nil }

    // MARK: Input

    /// A `play` command: prepare the session's state before its audio arrives.
    mutating func announce(_ play: ControlCommand.Play, now: Int64) {
        guard !closed.contains(play.session) else { return }
        sessions[play.session, default: SessionTimeline(id: play.session, priority: play.priority, now: now)]
            .announce(play, now: now)
    }

    /// A verified audio message.
    ///
    /// Timelines are mutated in place in the dictionary: a copy would share, then duplicate, the jitter
    /// buffer on every message and every slot, which a thousand simulated receivers feel.
    mutating func receive(_ message: AudioMessage, now: Int64) -> (outcome: ReceiveOutcome, events: [ReceiverEvent]) {
        let id = message.session
        if closed.contains(id) { return (.closed, []) }
        if let channels = sessions[id]?.channels, !channels.isEmpty, !channels.contains(message.channel) {
            return (.wrongChannel, [])
        }
        if message.isAborted {
            return (.aborted, abort(id, reason: .aborted, now: now))
        }
        let inserted: InsertOutcome
        if sessions[id] == nil {
            var timeline = SessionTimeline(id: id, priority: message.priority, now: now)
            timeline.channels = [message.channel]
            inserted = timeline.insert(message, now: now)
            guard !timeline.buffer.isEmpty else {
                return (.beforeJoin, [])  // nothing left to play: a receiver that joined after these packets
            }
            sessions[id] = timeline
        } else {
            inserted = sessions[id]!.insert(message, now: now)
        }
        let events = sessions[id]?.phase == .ended ? finish(id, at: now) : []
        return (inserted.late ? .late : (inserted.accepted > 0 ? .buffered : .beforeJoin), events)
    }

    /// A `stop` command: `*` or one session id. Cuts at once; later messages of a stopped session are ignored.
    mutating func stop(_ target: String, now: Int64) -> [ReceiverEvent] {
        if target == "*" {
            return sessions.keys.sorted { $0.value < $1.value }.flatMap { abort($0, reason: .stop, now: now) }
        }
        guard let id = SessionID(text: target) else { return [] }
        closed.insert(id)
        return abort(id, reason: .stop, now: now)
    }

    /// Forgets sessions that never started and have had no news for a minute (announced, never streamed).
    mutating func expire(now: Int64) {
        for (id, timeline) in sessions
        where timeline.phase == .waiting && timeline.buffer.isEmpty
            && now - timeline.lastActivity > Self.idleExpiry
        {
            remove(id)
        }
    }

    // MARK: Output

    /// When the next slot is due: the earliest next slot of any session.
    var nextSlotTime: Int64? {
        var earliest: Int64?
        for timeline in sessions.values {
            if let next = timeline.nextSlotTime, next < earliest ?? .max { earliest = next }
        }
        return earliest
    }

    /// Takes the next slot and decides who is heard in it: the highest priority among the sessions due then
    /// (ties go to the session already on the air, then the earlier one). The others' overlapping slots pass
    /// muted. Returns nil (with events) when the due session ended instead (it stalled).
    mutating func takeSlot() -> (slot: PlayoutSlot?, events: [ReceiverEvent]) {
        guard let first = nextSlotTime else { return (nil, []) }
        var winner: SessionID?
        for (id, timeline) in sessions {
            guard let next = timeline.nextSlotTime, next < first + timeline.packetDuration / 2 else { continue }
            if let best = winner, let current = sessions[best], !isOutranked(current, by: timeline) { continue }
            winner = id
        }
        guard let winner else { return (nil, []) }
        let (time, step) = sessions[winner]!.takeSlot(maximumConcealment: maximumConcealment, stallLimit: stallLimit)
        var events: [ReceiverEvent] = []
        var packet: SessionTimeline.Packet?
        var isSilent = false
        switch step {
        case .stalled:
            return (nil, abort(winner, reason: .stalled, now: time))
        case .play(let played):
            packet = played
        case .conceal(let underrun), .silence(let underrun):
            if case .silence = step { isSilent = true }
            if underrun, sessions[winner]!.hasPresented {
                events.append(ReceiverEvent(kind: .underrun, at: time, session: winner))
            }
        }
        let timeline = sessions[winner]!
        // Mute whatever overlaps this slot in the other sessions.
        let slotEnd = time + timeline.packetDuration
        let overlapping = sessions.compactMap { id, other -> SessionID? in
            guard id != winner, let next = other.nextSlotTime, next < slotEnd - other.packetDuration / 2 else {
                return nil
            }
            return id
        }
        for id in overlapping {
            let before = slotEnd - sessions[id]!.packetDuration / 2
            switch sessions[id]!.mute(before: before, maximumConcealment: maximumConcealment, stallLimit: stallLimit) {
            case .finished?: events += finish(id, at: time, detail: "muted")
            case .stalled?: events += abort(id, reason: .stalled, now: time)
            case nil: break
            }
        }
        onAir = winner
        let slot = PlayoutSlot(
            session: winner,
            time: time,
            packet: packet?.data,
            mark: packet?.mark,
            isSilent: isSilent,
            gain: Float(timeline.volume ?? volume) / 100,
            samples: timeline.samplesPerPacket,
            packetDuration: timeline.packetDuration,
            isFirst: !timeline.hasPresented,
            isLast: timeline.phase == .ended
        )
        return (slot, events)
    }

    /// The slot's first sample went out at `presented`: report the start, and the end after the last slot.
    mutating func presented(_ slot: PlayoutSlot, at presented: Int64) -> [ReceiverEvent] {
        guard sessions[slot.session] != nil else { return [] }
        var events: [ReceiverEvent] = []
        if sessions[slot.session]?.hasPresented == false {
            sessions[slot.session]?.hasPresented = true
            events.append(ReceiverEvent(kind: .sessionStarted, at: presented, session: slot.session))
        }
        if slot.isLast {
            events += finish(slot.session, at: presented + slot.packetDuration)
        }
        return events
    }

    // MARK: Endings

    private mutating func finish(_ id: SessionID, at: Int64, detail: String? = nil) -> [ReceiverEvent] {
        guard let timeline = remove(id) else { return [] }
        let counts = timeline.counts
        return [
            ReceiverEvent(
                kind: .sessionFinished,
                at: at,
                session: id,
                underruns: counts.underruns,
                lateFrames: counts.lateFrames,
                concealed: counts.concealed,
                detail: detail
            )
        ]
    }

    private mutating func abort(_ id: SessionID, reason: AbortReason, now: Int64) -> [ReceiverEvent] {
        guard let timeline = remove(id) else { return [] }
        let counts = timeline.counts
        return [
            ReceiverEvent(
                kind: .sessionAborted,
                at: now,
                session: id,
                reason: reason.rawValue,
                underruns: counts.underruns,
                lateFrames: counts.lateFrames,
                concealed: counts.concealed
            )
        ]
    }

    @discardableResult
    private mutating func remove(_ id: SessionID) -> SessionTimeline? {
        closed.insert(id)
        guard let timeline = sessions.removeValue(forKey: id) else { return nil }
        removedCounts = removedCounts + timeline.counts
        if onAir == id { onAir = nil }
        return timeline
    }

    /// The arbitration order: priority, then the session already on the air, then the earlier start.
    private func isOutranked(_ a: SessionTimeline, by b: SessionTimeline) -> Bool {
        if a.priority != b.priority { return a.priority < b.priority }
        if (a.id == onAir) != (b.id == onAir) { return a.id == onAir ? false : true }
        let (aNext, bNext) = (a.nextSlotTime ?? .max, b.nextSlotTime ?? .max)
        if aNext != bNext { return aNext > bNext }
        return a.id.value > b.id.value
    }
}
