import Foundation
import LoaAudio
import LoaCore
import Logging
import Synchronization

/// Plays a broadcast everywhere at once: it announces a signed session to the target receivers, streams its
/// Opus audio once per channel (whatever the number of receivers), and hands the same `play` command and audio
/// messages to the gateway's own output, an in-process receiver, which presents them at the same instants.
/// Cancelling it (preemption, `loa stop`) sends a signed stop, and cuts the local output the same way.
///
/// Everything it touches is a port (renderer, command publisher, bus, local playout, clock), so its session,
/// abort and repeat logic is tested against an in-memory bus and a manual clock.
final class BroadcastStreamer: BroadcastPlaying, Sendable {
    /// An announcement ready to go: its Opus packets, 20 ms each. The receivers get them, and the gateway's
    /// output decodes the very same packets, so both lag the source by the encoder's pre-skip and sound alike; holding packets rather than PCM keeps a broadcast's memory at its bit rate (3 KB/s).
    struct Prepared: Sendable {
        let packets: [[UInt8]]

        /// Audio messages of `packetsPerMessage` packets each, the last one possibly shorter.
        var messageCount: Int { (packets.count + StreamFormat.packetsPerMessage - 1) / StreamFormat.packetsPerMessage }

        /// The packets carried by message `index`.
        func packets(inMessage index: Int) -> ArraySlice<[UInt8]> {
            let perMessage = StreamFormat.packetsPerMessage
            return packets[(index * perMessage)..<min((index + 1) * perMessage, packets.count)]
        }

        /// The packets from `offset` on (whole packets, so the rest stays on the 20 ms grid).
        func dropping(_ offset: Duration) -> Prepared {
            let skipped = Int(max(0, offset.microseconds) / StreamFormat.packetMicroseconds)
            return skipped == 0 ? self : Prepared(packets: Array(packets.dropFirst(skipped)))
        }
    }

    /// How much of the lead a prepared item may lose to the scheduler waking late before its start moves.
    static let leadSlackMicroseconds: Int64 = 50_000

    let renderer: any AnnouncementRendering
    let commands: CommandPublisher
    let output: any LocalPlayout
    /// Who each broadcast targets, and what they report.
    let audiences: BroadcastAudienceTracker
    /// How far ahead of presentation audio is sent: covers the slowest receiver's buffer and the link.
    let lead: Duration
    /// How soon after its audio is ready a broadcast that is due already starts: its first `lead` of audio is
    /// sent at once, so receivers' buffers are full within that first lead.
    let onDemandStartDelay: Duration
    let logger: Logger
    /// Where emergency and priority broadcasts are recorded while they air, so a crash cannot lose them.
    let onAir: (any OnAirRecording)?
    /// Where live and relayed sessions get their audio; nil: such broadcasts fail with a clear detail.
    let sources: StreamedSources?
    /// Live and relayed broadcasts on air: how to end them, and what their source did.
    let streamed = StreamedSessions()
    let cache = Mutex<[Announcement: Prepared]>([:])

    var bus: any MessageBus { commands.bus }
    var topics: TopicTree { commands.topics }
    var signer: any MessageSigning { commands.signer }
    var clock: any WallClock { commands.clock }

    init(
        renderer: any AnnouncementRendering,
        commands: CommandPublisher,
        output: any LocalPlayout,
        audiences: BroadcastAudienceTracker,
        lead: Duration,
        onDemandStart: Duration,
        logger: Logger,
        onAir: (any OnAirRecording)? = nil,
        sources: StreamedSources? = nil
    ) {
        self.onAir = onAir
        self.sources = sources
        self.renderer = renderer
        self.commands = commands
        self.output = output
        self.audiences = audiences
        self.lead = lead
        self.onDemandStartDelay = min(onDemandStart, lead)
        self.logger = logger
    }

    // MARK: BroadcastPlaying

    func prepare(_ schedule: Schedule) async throws {
        guard !schedule.announcement.content.isStreamed else { return }
        _ = try await prepared(schedule.announcement)
    }

    /// How long one airing of `schedule` lasts in milliseconds, repeats included, rendering it (and caching the
    /// result for its airing); nil for a session of unknown length, a relay's slot length for a relay.
    func airingLength(of schedule: Schedule) async throws -> Int? {
        switch schedule.announcement.content {
        case .live, .relay(_, nil): return nil
        case .relay(_, let seconds?): return seconds * 1000
        case .audio, .tts:
            let packets = try await prepared(schedule.announcement).packets.count
            let repeats = max(1, schedule.repeatCount)
            let packetMilliseconds = Int(StreamFormat.packetMicroseconds / 1000)
            return packets * repeats * packetMilliseconds + (repeats - 1) * schedule.repeatGapSeconds * 1000
        }
    }

    func finish(broadcast: Int64) -> Bool { streamed.finish(broadcast) }

    func sourceReport(broadcast: Int64) -> SourceReport? { streamed.report(for: broadcast) }

    var startLead: TimeInterval { Double(lead.microseconds) / 1_000_000 }
    var onDemandStart: TimeInterval { Double(onDemandStartDelay.microseconds) / 1_000_000 }

    func play(
        _ schedule: Schedule,
        broadcast: Int64,
        presentAt: Date,
        from offset: Duration
    ) async throws
        -> PlayoutTimes
    {
        switch schedule.announcement.content {
        case .live:
            return try await playLive(schedule, broadcast: broadcast)
        case .relay(let url, let seconds):
            return try await playRelay(url, seconds: seconds, schedule, broadcast: broadcast, presentAt: presentAt)
        case .audio, .tts:
            return try await playRendered(schedule, broadcast: broadcast, presentAt: presentAt, from: offset)
        }
    }

    /// Plays content rendered beforehand (a file, text read aloud), paced from the clock.
    func playRendered(
        _ schedule: Schedule,
        broadcast: Int64,
        presentAt: Date,
        from offset: Duration
    ) async throws
        -> PlayoutTimes
    {
        let item = try await prepared(schedule.announcement)
        let whole = Self.repeated(item, count: schedule.repeatCount, gapSeconds: schedule.repeatGapSeconds)
        let repeated = whole.dropping(offset)
        // Never earlier than the on-demand start after the audio is ready: an item rendered just now (`loa
        // announce`) starts that long after its render, its first lead of audio sent at once; one prepared ahead
        // is played on time, since the scheduler calls this a whole lead before it.
        let start = startInstant(presentAt)
        let (play, channels) = beginSession(
            schedule,
            broadcast: broadcast,
            start: start,
            durationMs: repeated.packets.count * Int(StreamFormat.packetMicroseconds / 1_000)
        )
        let session = play.session
        if let onAir, schedule.priority.resumesAfterCrash {
            let packet = StreamFormat.packetMicroseconds
            onAir.began(
                OnAirRecord(
                    broadcast: broadcast,
                    schedule: schedule,
                    offsetMicroseconds: Int64(whole.packets.count - repeated.packets.count) * packet,
                    startMicroseconds: start,
                    durationMicroseconds: Int64(whole.packets.count) * packet,
                    aliveMicroseconds: clock.nowMicroseconds()
                )
            )
        }
        defer { onAir?.ended(broadcast: broadcast) }
        logger.info(
            "stream.start",
            metadata: ["session": "\(session)", "channels": "\(channels.map(\.tail))", "broadcast.id": "\(broadcast)"]
        )
        do {
            try announce(play, on: channels, broadcast: broadcast, local: true)
            try await stream(repeated, of: play, channels: channels)
            // The local output plays the last message a lead after it was sent: the broadcast ends with it.
            try await clock.sleep(
                untilMicroseconds: start + Int64(repeated.messageCount) * StreamFormat.messageMicroseconds
            )
            let started = output.presentationStart(of: session) ?? start
            return PlayoutTimes(
                startedAt: Date(timeIntervalSince1970: Double(started) / 1_000_000),
                endedAt: clock.now()
            )
        } catch {
            abort(session, channels: channels, priority: schedule.priority)
            throw error
        }
    }

    /// When a broadcast due at `presentAt` really starts: never earlier than the on-demand start after now, so
    /// an item started just now (`loa announce`) has its first lead of audio sent at once; one prepared ahead is
    /// played on time, since the scheduler calls `play` a whole lead before it.
    func startInstant(_ presentAt: Date) -> Int64 {
        let earliest = clock.nowMicroseconds() + max(onDemandStartDelay.microseconds - Self.leadSlackMicroseconds, 0)
        return max(Int64((presentAt.timeIntervalSince1970 * 1_000_000).rounded()), earliest)
    }

    /// A new session of `schedule`'s broadcast, starting at `start` (µs): the channels it is streamed on, and the
    /// `play` that announces it (no `durationMs` for one of unknown length). Its targets are told to the
    /// audience tracker, which follows their reports from here on.
    func beginSession(
        _ schedule: Schedule,
        broadcast: Int64,
        start: Int64,
        durationMs: Int?
    ) -> (play: ControlCommand.Play, channels: [TopicTree.Channel]) {
        let session = SessionID.random()
        let channels = Self.channels(for: schedule.targets)
        audiences.begin(
            broadcast: broadcast,
            session: session,
            title: schedule.announcement.title,
            targets: schedule.targets,
            startMicroseconds: start
        )
        let play = ControlCommand.Play(
            session: session,
            channel: (channels.first ?? .all).tail,
            start: start,
            priority: schedule.priority,
            title: schedule.announcement.title,
            volume: schedule.volume,
            durationMs: durationMs
        )
        return (play, channels)
    }

    /// Audio message `sequence` of `play`'s session, its first packet presented at `time`.
    func audioMessage(
        of play: ControlCommand.Play,
        sequence: Int,
        at time: Int64,
        isLast: Bool,
        packets: [[UInt8]]
    ) -> AudioMessage {
        AudioMessage(
            session: play.session,
            site: topics.site,
            channel: play.channel,
            sequence: UInt32(sequence),
            presentationTime: time,
            priority: play.priority,
            isLast: isLast,
            packets: packets
        )
    }

    /// Sends a session's signed `play` on each channel, tells the audience tracker, and hands it to the gateway's
    /// own output when `local`.
    func announce(_ play: ControlCommand.Play, on channels: [TopicTree.Channel], broadcast: Int64, local: Bool) throws {
        var play = play
        for channel in channels {
            play.channel = channel.tail
            try commands.play(play, to: channel) { seq in audiences.sent(play: seq, for: broadcast) }
        }
        audiences.starts?.began(broadcast)
        guard local else { return }
        // The station's own amplifier has its own volume knob: a schedule's volume is the receivers'. It hears
        // the first channel, as a receiver there would.
        var gateway = play
        gateway.volume = nil
        gateway.channel = (channels.first ?? .all).tail
        output.announce(gateway)
    }

    /// Publishes one audio message on every channel (signed once per channel: each copy names the channel it is
    /// published on, protocol v1 draft 7), and to the gateway's own output when `local`. Returns the bytes sent.
    @discardableResult
    func publish(_ message: AudioMessage, on channels: [TopicTree.Channel], local: Bool) throws -> WireBytes {
        if local { output.receive(message) }
        var sent = WireBytes()
        for channel in channels {
            let topic = topics.audio(channel)
            let bytes = try message.on(channel: channel.tail).encoded(signer: signer)
            try? bus.publish(BusMessage(topic: topic, payload: bytes, delivery: .atMostOnce))
            sent.payload += bytes.count
            sent.wire += Self.mqttPublishSize(topic: topic, payload: bytes.count)
        }
        return sent
    }

    /// Logs what a session sent: per channel per second on the wire is what a receiver's link carries.
    func logSent(_ session: SessionID, messages: Int, seconds: Double, bytes: WireBytes, channels: Int) {
        logger.info(
            "stream.sent",
            metadata: [
                "session": "\(session)", "messages": "\(messages)", "seconds": "\(seconds)",
                "payload.bytes": "\(bytes.payload)", "wire.bytes": "\(bytes.wire)",
                "wire.bytes.per.second.per.channel":
                    "\(seconds > 0 ? Int(Double(bytes.wire) / seconds / Double(max(channels, 1))) : 0)",
            ]
        )
    }

    // MARK: Streaming

    /// Sends the audio messages, each `lead` ahead of its presentation time, to the receivers and the local
    /// output. When the start is nearer than a lead (a broadcast aired now), the messages already due to be sent
    /// go at once: receivers' buffers fill to the whole lead within the first moments, not over the broadcast.
    func stream(_ item: Prepared, of play: ControlCommand.Play, channels: [TopicTree.Channel]) async throws {
        let leadMicros = lead.microseconds
        let messageCount = item.messageCount
        var sent = WireBytes()
        for index in 0..<messageCount {
            let due = play.start + Int64(index) * StreamFormat.messageMicroseconds
            try await clock.sleep(untilMicroseconds: due - leadMicros)
            let message = audioMessage(
                of: play,
                sequence: index,
                at: due,
                isLast: index == messageCount - 1,
                packets: Array(item.packets(inMessage: index))
            )
            sent += try publish(message, on: channels, local: true)
        }
        let seconds = Double(messageCount) * Double(StreamFormat.messageMicroseconds) / 1_000_000
        logSent(play.session, messages: messageCount, seconds: seconds, bytes: sent, channels: channels.count)
    }

    /// Bytes of an MQTT v5 QoS 0 PUBLISH on the wire (fixed header, remaining length, topic, empty
    /// properties, payload), as a receiver's link carries it.
    static func mqttPublishSize(topic: String, payload: Int) -> Int {
        let remaining = 2 + topic.utf8.count + 1 + payload
        let lengthBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4
        return 1 + lengthBytes + remaining
    }

    /// Tells receivers and the local output to cut the session at once: a signed stop, and an aborted final
    /// message.
    func abort(_ session: SessionID, channels: [TopicTree.Channel], priority: Priority) {
        output.stop(session)
        for channel in channels {
            do {
                try commands.stop(ControlCommand.Stop(session: session.description), to: channel)
            } catch {
                logger.error("stream.stop-not-sent", metadata: ["session": "\(session)", "error": "\(error)"])
            }
            let last = AudioMessage(
                session: session,
                site: topics.site,
                channel: channel.tail,
                sequence: UInt32.max,
                presentationTime: clock.nowMicroseconds(),
                priority: priority,
                isLast: true,
                isAborted: true,
                packets: [[0xF8]]
            )
            if let bytes = try? last.encoded(signer: signer) {
                try? bus.publish(BusMessage(topic: topics.audio(channel), payload: bytes, delivery: .atLeastOnce))
            }
        }
        logger.notice("stream.aborted", metadata: ["session": "\(session)"])
    }

    // MARK: Preparation

    func prepared(_ announcement: Announcement) async throws -> Prepared {
        if let cached = cache.withLock({ $0[announcement] }) { return cached }
        let clip = try await renderer.render(announcement)
        // Encoding a long programme takes a while: on a thread of its own, not the broadcasts' own thread.
        let prepared = try await BlockingCall.run {
            Prepared(packets: try OpusEncoder.encode(clip, profile: .speech).packets.map(\.data))
        }
        cache.withLock { cache in
            if cache.count >= 16 { cache.removeAll() }
            cache[announcement] = prepared
        }
        return prepared
    }

    /// The item played `count` times with `gapSeconds` of silence between.
    static func repeated(_ item: Prepared, count: Int, gapSeconds: Int) -> Prepared {
        guard count > 1 else { return item }
        // Whole packets of silence keep every repeat on the 20 ms grid; an Opus packet of digital silence.
        let gap = [[UInt8]](repeating: [0xF8, 0xFF, 0xFE], count: gapSeconds * 50)
        return Prepared(packets: (1..<count).reduce(item.packets) { packets, _ in packets + gap + item.packets })
    }

    /// The channels a target set is streamed on: one per zone or receiver, or the site-wide one.
    static func channels(for targets: Targets) -> [TopicTree.Channel] {
        switch targets {
        case .all: [.all]
        case .zones(let zones): zones.map { .zone($0) }
        case .receivers(let ids): ids.map { .receiver($0) }
        }
    }
}

extension Duration {
    var microseconds: Int64 { components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000 }
}
