import Foundation
import LoaCore
import LoaSecurity
import LoaTestSupport
import Synchronization
import Testing

@testable import LoaServer

/// The streamer's session, abort, repeat and preemption logic on its ports: an in-memory bus, a manual clock,
/// a tone for a renderer and a recording local output. What receivers get is checked as a receiver checks it.
@Suite("Broadcast streamer on an in-memory bus")
struct BroadcastStreamerTests {
    /// Renders every announcement as the same tone.
    struct ToneRenderer: AnnouncementRendering {
        let seconds: Double
        func render(_ announcement: Announcement) async throws -> AudioClip {
            let count = Int(seconds * Double(StreamFormat.sampleRate))
            return AudioClip(samples: (0..<count).map { Float(0.3 * sin(2 * Double.pi * 440 * Double($0) / 48_000)) })
        }
    }

    /// The gateway's output, an in-process receiver: records what it is handed, and presents every session on
    /// its announced start.
    final class RecordingPlayout: LocalPlayout {
        struct Handed {
            var plays: [ControlCommand.Play] = []
            var messages: [AudioMessage] = []
            var stops: [SessionID] = []
        }
        private let handed = Mutex(Handed())

        func announce(_ play: ControlCommand.Play) { handed.withLock { $0.plays.append(play) } }
        func receive(_ message: AudioMessage) { handed.withLock { $0.messages.append(message) } }
        func stop(_ session: SessionID) { handed.withLock { $0.stops.append(session) } }
        func presentationStart(of session: SessionID) -> Int64? {
            handed.withLock { $0.plays.last { $0.session == session }?.start }
        }

        var plays: [ControlCommand.Play] { handed.withLock { $0.plays } }
        var messages: [AudioMessage] { handed.withLock { $0.messages } }
        var stops: [SessionID] { handed.withLock { $0.stops } }
    }

    /// Set once a task has ended.
    final class Flag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }

    final class CountingSequence: CommandSequencing {
        private let last = Mutex<Int64>(0)
        func next() throws -> Int64 {
            last.withLock {
                $0 += 1
                return $0
            }
        }
    }

    struct Harness {
        static let start = Date(timeIntervalSince1970: 1_764_385_200)
        let bus = InMemoryBus()
        let clock = ManualClock(now: Harness.start)
        let output = RecordingPlayout()
        let topics: TopicTree
        let key: SigningKey
        let streamer: BroadcastStreamer
        let lead: Duration = .milliseconds(500)
        let onDemandStart: Duration = .milliseconds(200)

        init(seconds: Double = 1) throws {
            topics = try TopicTree(site: "xa-an-phu")
            key = try TestController.makeKey()
            let commands = CommandPublisher(
                bus: bus,
                topics: topics,
                signer: key,
                sequence: CountingSequence(),
                clock: clock
            )
            streamer = BroadcastStreamer(
                renderer: ToneRenderer(seconds: seconds),
                commands: commands,
                output: output,
                audiences: BroadcastAudienceTracker(),
                lead: lead,
                onDemandStart: onDemandStart,
                logger: quietLogger("loa.test.streamer")
            )
        }

        var startMicroseconds: Int64 { Int64(Self.start.timeIntervalSince1970 * 1_000_000) }

        /// The commands published on `channel`, each admitted by a receiver's own check.
        func commands(on channel: TopicTree.Channel) throws -> [ControlCommand] {
            let gate = CommandGate(site: topics.site, checker: try ControllerPublicKey(publicKey: key.publicKey))
            return try bus.published.filter { $0.topic == topics.commands(channel) }.map {
                try gate.admit($0.payload, channel: channel.tail, now: clock.nowMicroseconds(), lastSequence: 0).get()
            }
        }

        /// The audio messages published on `channel`, decoded and their signatures checked.
        func audio(on channel: TopicTree.Channel) throws -> [AudioMessage] {
            let checker = try ControllerPublicKey(publicKey: key.publicKey)
            return try bus.published.filter { $0.topic == topics.audio(channel) }.map {
                try AudioMessage(decoding: $0.payload, checker: checker)
            }
        }

        func schedule(
            _ id: String,
            targets: Targets = .all,
            priority: Priority = .normal,
            repeatCount: Int = 1,
            repeatGapSeconds: Int = 0
        ) -> Schedule {
            Schedule(
                id: id,
                announcement: Announcement(title: "Thông báo \(id)", content: .tts(text: "Xin chào", voice: "vi")),
                recurrence: .once(try! LocalDateTime(parsing: "2025-11-29 10:00")),
                targets: targets,
                priority: priority,
                repeatCount: repeatCount,
                repeatGapSeconds: repeatGapSeconds,
                approval: .approved
            )
        }

        /// Plays `schedule` to its end, driving the clock.
        func play(_ schedule: Schedule, broadcast: Int64) async throws -> PlayoutTimes {
            let ended = Flag()
            let playing = Task { [streamer] in
                defer { ended.set() }
                return try await streamer.play(schedule, broadcast: broadcast, presentAt: Self.start)
            }
            _ = await drive { ended.isSet }
            return try await playing.value
        }

        /// How many audio messages went out on `channel`.
        func audioCount(on channel: TopicTree.Channel) -> Int {
            bus.published.filter { $0.topic == topics.audio(channel) }.count
        }

        /// Moves the clock in 20 ms steps until `condition` holds. Before each step it waits (in real time,
        /// bounded) until one of the streamer's tasks is asleep on the clock, so rendering and every step are
        /// acted on; when nothing sleeps on the clock any more, nothing can change: it gives up.
        func drive(until condition: @escaping () -> Bool, limit: TimeInterval = 60) async -> Bool {
            let end = clock.now().addingTimeInterval(limit)
            while !condition() {
                let asleep = await eventually(timeout: .seconds(5), every: .milliseconds(1)) {
                    condition() || clock.sleeperCount > 0
                }
                if condition() { return true }
                guard asleep, clock.now() < end else { return false }
                clock.advance(by: 0.02)
            }
            return true
        }
    }

    @Test func aSessionIsAnnouncedSignedAndStreamedOncePerChannelOnTheGrid() async throws {
        let h = try Harness(seconds: 1)
        let schedule = h.schedule("tin", targets: .zones(["thon-dong", "thon-tay"]))
        let times = try await h.play(schedule, broadcast: 7)
        let item = try await h.streamer.prepared(schedule.announcement)
        let count = item.messageCount

        // Due already (presented "now"): the first sample is due the on-demand start after the audio is ready.
        let start = h.startMicroseconds + h.onDemandStart.microseconds - BroadcastStreamer.leadSlackMicroseconds
        for zone in ["thon-dong", "thon-tay"] {
            let plays = try h.commands(on: .zone(zone)).compactMap(\.play)
            #expect(plays.count == 1)
            #expect(plays.first?.start == start)
            #expect(plays.first?.durationMs == item.packets.count * 20)
            #expect(plays.first?.channel == "zone/\(zone)")
            let messages = try h.audio(on: .zone(zone))
            #expect(messages.map(\.sequence) == (0..<UInt32(count)).map { $0 })
            #expect(messages.map(\.presentationTime) == (0..<count).map { start + Int64($0) * 100_000 })
            #expect(messages.map(\.isLast) == (0..<count).map { $0 == count - 1 })
            #expect(Set(messages.map(\.session)) == [plays.first!.session])
            #expect(messages.flatMap(\.packets) == item.packets)
        }
        #expect(h.bus.published.filter { $0.topic == h.topics.audio(.all) }.isEmpty)
        // The gateway's own output, an in-process receiver, got the same session and the same messages.
        let local = try #require(h.output.plays.first)
        #expect(h.output.plays.count == 1)
        #expect(local.session == (try h.commands(on: .zone("thon-dong")).first?.play?.session))
        #expect(local.start == start && local.durationMs == item.packets.count * 20)
        #expect(h.output.messages == (try h.audio(on: .zone("thon-dong"))))
        #expect(h.output.stops.isEmpty)
        #expect(times.startedAt == Date(timeIntervalSince1970: Double(start) / 1_000_000))
    }

    @Test func anItemDueAlreadySendsItsFirstLeadOfAudioAtOnceAndTheRestALeadAhead() async throws {
        let h = try Harness(seconds: 3)
        let schedule = h.schedule("ngay", targets: .receivers(["rx-1"]))
        let playing = Task { try await h.streamer.play(schedule, broadcast: 3, presentAt: Harness.start) }
        let start = h.startMicroseconds + h.onDemandStart.microseconds - BroadcastStreamer.leadSlackMicroseconds
        // At each instant, every message due within a lead has gone out, and none later: a burst at first, so
        // the receivers hold a whole lead before the first sample plays, then one message every 100 ms.
        for instant in [start - 100_000, start, start + 1_000_000] {
            #expect(await h.drive { h.clock.nowMicroseconds() >= instant })
            #expect(await eventually(timeout: .seconds(5), every: .milliseconds(1)) { h.clock.sleeperCount > 0 })
            let now = h.clock.nowMicroseconds()
            let due = (0..<30).map { start + Int64($0) * StreamFormat.messageMicroseconds }
            let expected = due.filter { $0 - h.lead.microseconds <= now }.count
            #expect(h.audioCount(on: .receiver("rx-1")) == expected, "at \(now - start) µs from the start")
            #expect(expected >= 5, "at least the lead (5 messages) is buffered before the first sample is due")
        }
        playing.cancel()
        _ = try? await playing.value
    }

    @Test func cancellingMidStreamSendsASignedStopAndAnAbortedLastMessage() async throws {
        let h = try Harness(seconds: 3)
        let schedule = h.schedule("dai", targets: .receivers(["rx-1"]))
        let playing = Task { try await h.streamer.play(schedule, broadcast: 1, presentAt: Harness.start) }
        #expect(await h.drive { h.audioCount(on: .receiver("rx-1")) >= 5 })
        playing.cancel()
        await #expect(throws: CancellationError.self) { try await playing.value }

        let commands = try h.commands(on: .receiver("rx-1"))
        let session = try #require(commands.first?.play?.session)
        #expect(commands.map(\.cmd) == [.play, .stop])
        #expect(commands.last?.stop?.session == session.description)
        #expect(commands.map(\.seq) == [1, 2])
        let messages = try h.audio(on: .receiver("rx-1"))
        let last = try #require(messages.last)
        #expect(last.isAborted && last.isLast && last.session == session)
        let sent = messages.dropLast().count
        #expect(sent < (try await h.streamer.prepared(schedule.announcement)).messageCount, "it stopped streaming")
        // The local output was cut as a receiver is, after the same messages.
        #expect(h.output.stops == [session])
        #expect(h.output.messages.count == sent)
        // Nothing more goes out once it is cut: the stream's task has ended, so no clock step can wake it.
        h.clock.advance(by: 10)
        #expect(h.clock.sleeperCount == 0)
        #expect(h.audioCount(on: .receiver("rx-1")) == sent + 1)
    }

    @Test func repeatsAreOneSessionWithWholePacketsOfSilenceBetween() async throws {
        let h = try Harness(seconds: 1)
        let schedule = h.schedule("lap", repeatCount: 2, repeatGapSeconds: 1)
        let item = try await h.streamer.prepared(schedule.announcement)
        let repeated = BroadcastStreamer.repeated(item, count: 2, gapSeconds: 1)
        let packets = 2 * item.packets.count + 50
        #expect(repeated.packets.count == packets)
        _ = try await h.play(schedule, broadcast: 2)

        let play = try #require(try h.commands(on: .all).first?.play)
        #expect(play.durationMs == packets * 20)
        let messages = try h.audio(on: .all)
        #expect(messages.count == (packets + 4) / 5)
        #expect(Set(messages.map(\.session)) == [play.session])
        let streamed = messages.flatMap(\.packets)
        #expect(Array(streamed.prefix(item.packets.count)) == item.packets)
        #expect(Array(streamed.dropFirst(item.packets.count).prefix(50)).allSatisfy { $0 == [0xF8, 0xFF, 0xFE] })
        #expect(Array(streamed.suffix(item.packets.count)) == item.packets)
    }

    @Test func anEmergencyPreemptsANormalSessionThroughTheScheduler() async throws {
        let h = try Harness(seconds: 5)
        let log = InMemoryBroadcastLog()
        let inventory = SiteInventory(
            zones: [Zone(id: "thon-dong", name: "Thôn Đông")],
            receivers: [Receiver(id: "rx-1", name: "Cụm loa 1", zone: "thon-dong")]
        )
        let scheduler = Scheduler(
            clock: h.clock,
            log: log,
            player: h.streamer,
            zones: ZoneResolver(inventory: inventory)
        )
        let normal = await scheduler.announce(h.schedule("thuong", targets: .zones(["thon-dong"])))
        #expect(await h.drive { h.audioCount(on: .zone("thon-dong")) >= 10 })
        let normalSession = try #require(try h.commands(on: .zone("thon-dong")).first?.play?.session)

        let emergency = await scheduler.announce(h.schedule("khan", priority: .emergency))
        #expect(await h.drive { (try? h.commands(on: .all).first) != nil })
        let cut = try h.commands(on: .zone("thon-dong"))
        #expect(cut.map(\.cmd) == [.play, .stop])
        #expect(cut.last?.stop?.session == normalSession.description)
        #expect(h.output.stops.contains(normalSession))
        let emergencyPlay = try #require(try h.commands(on: .all).first?.play)
        #expect(emergencyPlay.priority == .emergency)
        #expect(emergencyPlay.session != normalSession)
        #expect(
            await eventually(timeout: .seconds(10)) { log.entries.first { $0.id == normal }?.outcome == .interrupted }
        )
        #expect(await h.drive { log.entries.first { $0.id == emergency }?.outcome == .completed })
        let emergencyAudio = try h.audio(on: .all)
        #expect(emergencyAudio.allSatisfy { $0.priority == .emergency && $0.session == emergencyPlay.session })
        #expect(emergencyAudio.last?.isLast == true)
    }
}
