import LoaCore

/// One session's jitter buffer and output timeline on one receiver.
///
/// Packets are kept by presentation time, not by sequence number: the timeline is the wall clock, so a lost
/// message is simply a stretch of time with no packet, filled by concealment, and a receiver that joins late
/// starts wherever the clock is. Pure: the caller passes the time, so the same logic runs behind the paced
/// ALSA thread and behind the simulated receivers, which play in virtual time.
struct SessionTimeline: Sendable {
    /// A packet waiting for its slot.
    struct Packet: Sendable {
        /// Presentation time of its first sample, wall-clock µs.
        var time: Int64
        var data: [UInt8]
        /// Set on the first packet of an audio message, for the playout journal.
        var mark: PlayoutMark?
    }

    enum Phase: Sendable, Hashable {
        /// Known (announced or buffered) but nothing has gone out yet.
        case waiting
        /// Its timeline is running: `cursor` is the next slot.
        case playing
        /// Nothing more will be output.
        case ended
    }

    /// What the next slot of this session holds.
    enum Step: Sendable {
        case play(Packet)
        /// No packet for the slot: conceal it. `underrun` on the first slot of a run with nothing later
        /// buffered either (the output ran dry) rather than a hole with later packets present (a lost message).
        case conceal(underrun: Bool)
        /// A session of unknown length whose audio has been missing for longer than the concealment: output
        /// silence, keeping the session open and the output at its priority. `underrun` as for `conceal`.
        case silence(underrun: Bool)
        /// A session of unknown length whose audio has been missing for longer than the stall limit: give up.
        case stalled
    }

    let id: SessionID
    var priority: Priority
    /// µs per packet, from the messages (20 ms for Loa's controller).
    var packetDuration: Int64 = StreamFormat.packetMicroseconds
    /// Samples per packet at 48 kHz.
    var samplesPerPacket = StreamFormat.samplesPerPacket
    /// From the `play` command: when the first sample is due, so a lost first message is concealed, not skipped.
    var announcedStart: Int64?
    /// Where the session ends (exclusive), once a `play` with `durationMs` or the last message says so.
    var knownEnd: Int64?
    /// A per-session volume from the `play` command, over the receiver's own.
    var volume: Int?
    /// The channels its audio may arrive on: those its `play` commands named, else that of its first message.
    /// Audio of the session on another channel is refused, so a stream cannot be re-aimed at this receiver.
    var channels: Set<String> = []

    private(set) var buffer: [Packet] = []
    /// The first slot, decided when the first packet arrives: the announced start when it is still ahead and
    /// on the packets' grid, else the first packet.
    private(set) var plannedStart: Int64?
    private(set) var cursor: Int64?
    private(set) var phase: Phase = .waiting
    /// `session.started` has been reported.
    var hasPresented = false
    private(set) var counts = SessionCounts()
    /// Slots in a row with no packet: how long the audio has been missing.
    private var missingInARow = 0
    /// The missing run went silent: it stays so until a packet plays, even if the end becomes known meanwhile.
    private var silentRun = false
    private var inUnderrun = false
    /// Wall-clock µs of the last message or slot, to expire sessions that never start.
    private(set) var lastActivity: Int64

    /// The most packets held: 30 s of audio. A controller further ahead than that is not followed.
    static let maximumBufferedPackets = 1_500

    init(id: SessionID, priority: Priority, now: Int64) {
        self.id = id
        self.priority = priority
        self.lastActivity = now
    }

    /// Applies a `play` command: start, end, priority, volume.
    mutating func announce(_ play: ControlCommand.Play, now: Int64) {
        announcedStart = play.start
        priority = play.priority
        volume = play.volume
        channels.insert(play.channel)
        if play.codec.rate > 0, play.codec.frameMs > 0 {
            packetDuration = Int64(play.codec.frameMs) * 1_000
            samplesPerPacket = play.codec.rate * play.codec.frameMs / 1_000
        }
        if let duration = play.durationMs, duration > 0 {
            // Whole packets: the controller pads the last one.
            let packets = (Int64(duration) * 1_000 + packetDuration - 1) / packetDuration
            knownEnd = play.start + packets * packetDuration
        }
        lastActivity = now
    }

    /// Buffers a verified message's packets.
    ///
    /// A packet whose slot has passed is dropped: before the timeline starts that is a receiver joining late
    /// (not counted, unless the session was announced), afterwards it is a late message (counted once).
    mutating func insert(_ message: AudioMessage, now: Int64) -> InsertOutcome {
        lastActivity = now
        priority = message.priority
        packetDuration = message.packetDuration
        samplesPerPacket = Int(message.samplesPerPacket)
        if message.isLast {
            let end = message.presentationTime(ofPacket: message.packets.count)
            knownEnd = min(knownEnd ?? end, end)
            // The end may already be behind the cursor, when the last packets were concealed.
            if phase == .playing, let cursor, cursor >= end - packetDuration / 2 { phase = .ended }
        }
        guard phase != .ended else { return InsertOutcome() }
        var outcome = InsertOutcome()
        let half = packetDuration / 2
        for (index, data) in message.packets.enumerated() {
            let time = message.presentationTime(ofPacket: index)
            let mark = index == 0 ? PlayoutMark(sequence: message.sequence, due: message.presentationTime) : nil
            if let cursor, time < cursor - half {
                outcome.late = true
                continue
            }
            if cursor == nil, time < now {
                if announcedStart != nil { outcome.late = true } else { outcome.beforeJoin += 1 }
                continue
            }
            if let end = knownEnd, time >= end - half { continue }
            guard buffer.count < Self.maximumBufferedPackets else { break }
            let position = insertionIndex(for: time)
            if position > 0, abs(buffer[position - 1].time - time) < half { continue }  // duplicate
            if position < buffer.count, abs(buffer[position].time - time) < half { continue }
            buffer.insert(Packet(time: time, data: data, mark: mark), at: position)
            outcome.accepted += 1
        }
        if outcome.late { counts.lateFrames += 1 }
        if plannedStart == nil, let first = buffer.first?.time {
            if let start = announcedStart, start < first, start >= now, (first - start) % packetDuration == 0 {
                plannedStart = start
            } else {
                plannedStart = first
            }
        }
        return outcome
    }

    /// The presentation time of this session's next slot, if it has one yet.
    var nextSlotTime: Int64? {
        switch phase {
        case .ended: nil
        case .playing: cursor
        case .waiting: plannedStart.map { start in min(start, buffer.first?.time ?? start) }
        }
    }

    /// Takes the next slot: the packet due then, or what fills its absence. Starts the timeline if it was
    /// waiting. A `muted` slot passes unheard and is counted as muted, not as played, concealed or silent.
    ///
    /// Missing audio (docs/protocol.md, "When the audio stops reaching a receiver") is concealed for
    /// `maximumConcealment`. A session whose end is known goes on concealing until that end. One with no known
    /// end then outputs silence, open and holding the output, until `stallLimit` in all: a packet that comes
    /// meanwhile plays at its time; after it, with nothing buffered, the session has stalled. A dry spell is
    /// one underrun however long it lasts, so `underruns` counts stalls, not slots.
    mutating func takeSlot(
        maximumConcealment: Int64,
        stallLimit: Int64,
        muted: Bool = false
    ) -> (time: Int64, step: Step) {
        let time = nextSlotTime ?? cursor ?? 0
        phase = .playing
        let half = packetDuration / 2
        while let first = buffer.first, first.time < time - half { buffer.removeFirst() }
        cursor = time + packetDuration
        lastActivity = max(lastActivity, time)
        let step: Step
        if let first = buffer.first, first.time < time + half {
            buffer.removeFirst()
            missingInARow = 0
            silentRun = false
            inUnderrun = false
            if muted { counts.muted += 1 } else { counts.played += 1 }
            step = .play(first)
        } else {
            missingInARow += 1
            let missing = Int64(missingInARow) * packetDuration
            let dry = buffer.isEmpty
            if knownEnd == nil, dry, missing > stallLimit {
                phase = .ended
                return (time, .stalled)
            }
            let ranDry = dry && !inUnderrun && !muted
            inUnderrun = dry
            if ranDry { counts.underruns += 1 }
            if silentRun || (knownEnd == nil && missing > maximumConcealment) {
                silentRun = true
                if muted { counts.muted += 1 } else { counts.silent += 1 }
                step = .silence(underrun: ranDry)
            } else {
                if muted { counts.muted += 1 } else { counts.concealed += 1 }
                step = .conceal(underrun: ranDry)
            }
        }
        if let end = knownEnd, time + packetDuration >= end - half { phase = .ended }
        return (time, step)
    }

    /// Lets the slots before `time` pass unheard, while a higher-priority session plays: the timeline keeps
    /// running, so the session resumes at the right offset if it outlasts the other. Returns how it ended
    /// meanwhile, if it did.
    mutating func mute(before time: Int64, maximumConcealment: Int64, stallLimit: Int64) -> MutedEnd? {
        while let next = nextSlotTime, next < time {
            let step = takeSlot(maximumConcealment: maximumConcealment, stallLimit: stallLimit, muted: true).step
            if case .stalled = step { return .stalled }
            if phase == .ended { return .finished }
        }
        return nil
    }

    enum MutedEnd: Sendable, Hashable {
        case finished, stalled
    }

    /// Ends the timeline now (stop, abort).
    mutating func end() {
        phase = .ended
        buffer.removeAll()
    }

    /// Where a packet at `time` goes to keep the buffer sorted; arrivals are nearly always at the end.
    private func insertionIndex(for time: Int64) -> Int {
        var index = buffer.count
        while index > 0, buffer[index - 1].time > time { index -= 1 }
        return index
    }
}
