import Foundation
import LoaALSA
import LoaCore
import LoaReceiver
import LoaSecurity
import LoaTestSupport
import Testing

@testable import LoaServer

/// The gateway's own line is an in-process receiver: a broadcast through the streamer reaches the receivers'
/// paced output on a real ALSA `file` PCM, on the system wall clock, and is journaled as a receiver's is.
@Suite("The gateway's local line as an in-process receiver")
struct LocalPlayoutTests {
    @Test func aBroadcastThroughTheStreamerIsPlayedAndJournaledByThePacedOutput() async throws {
        let pcm = try FilePCM(label: "loa-local-playout")
        defer { pcm.removeDirectory() }
        let journalPath = pcm.directory.appendingPathComponent("journal.jsonl").path
        let health = DaemonHealth(
            site: "xa-an-phu",
            brokerDescription: "in memory",
            brokerURL: "mqtt://127.0.0.1:1883",
            storeCheck: { ComponentHealth(condition: .ok, summary: "ok") }
        )
        let audio = LocalAudioService(
            choice: .named(pcm.pcmName),
            stateDirectory: pcm.directory.path,
            health: health,
            journal: try PlayoutJournal(path: journalPath),
            logger: quietLogger("loa.test.audio")
        )
        let running = Task { try await audio.run() }
        #expect(await eventually(timeout: .seconds(10), every: .milliseconds(20)) { health.audioSettled })
        #expect(audio.isAlive())

        let bus = InMemoryBus()
        let topics = try TopicTree(site: "xa-an-phu")
        let key = try TestController.makeKey()
        let clock = SystemWallClock()
        let streamer = BroadcastStreamer(
            renderer: BroadcastStreamerTests.ToneRenderer(seconds: 1),
            commands: CommandPublisher(
                bus: bus,
                topics: topics,
                signer: key,
                sequence: BroadcastStreamerTests.CountingSequence(),
                clock: clock
            ),
            output: audio,
            audiences: BroadcastAudienceTracker(),
            lead: .milliseconds(300),
            onDemandStart: .milliseconds(300),
            logger: quietLogger("loa.test.streamer")
        )
        let announcement = Announcement(title: "Thông báo", content: .tts(text: "Xin chào", voice: "vi"))
        let schedule = Schedule(
            id: "tai-cho",
            announcement: announcement,
            recurrence: .once(try LocalDateTime(parsing: "2025-11-29 10:00")),
            targets: .all,
            approval: .approved
        )
        let times = try await streamer.play(schedule, broadcast: 1, presentAt: clock.now())
        // Ending the service shuts the output down and forwards its last journal lines.
        running.cancel()
        try await running.value

        let checker = try ControllerPublicKey(publicKey: key.publicKey)
        let sent = try bus.published.filter { $0.topic == topics.audio(.all) }.map {
            try AudioMessage(decoding: $0.payload, checker: checker)
        }
        let journal = try String(contentsOfFile: journalPath, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(PlayoutJournalEntry.self, from: Data($0.utf8))
        }
        // Every message the receivers were sent was presented locally, in order, as a receiver journals it.
        #expect(!sent.isEmpty)
        #expect(journal.map(\.sequence) == sent.map(\.sequence))
        #expect(journal.map(\.due) == sent.map(\.presentationTime))
        #expect(
            journal.allSatisfy { $0.player == "gateway" && $0.session == sent[0].session && $0.presented >= $0.due }
        )
        // The broadcast started when the local output presented its first sample.
        let first = try #require(journal.first?.presented)
        #expect(abs(Int64((times.startedAt.timeIntervalSince1970 * 1_000_000).rounded()) - first) <= 1)
        // Every packet reached the device, decoded from the very packets the receivers got.
        let packets = try await streamer.prepared(announcement).packets.count
        let played = try pcm.readBack()
        #expect(played.sampleRate == 48_000)
        #expect(played.samples.count == packets * StreamFormat.samplesPerPacket)
        #expect(played.samples.contains { abs(Int($0)) > 1_000 }, "the output is silent")
    }

    /// The systemd watchdog's check of the gateway's audio: the playout thread beats while idle, and stops
    /// beating when it is stuck (here, the test hook `LOA_TEST_STALL_AUDIO_AFTER` uses).
    @Test func thePlayoutThreadBeatsWhileIdleAndNotWhileStalled() async throws {
        let device = try PCMDevice.open(name: "null", stream: .playback, format: .mono48k, latency: .milliseconds(100))
        let (_, notices) = AsyncStream.makeStream(of: OutputNotice.self)
        let output = PacedOutput(
            device: device,
            player: "gateway",
            volume: 100,
            notices: notices,
            logger: quietLogger("loa.test.playout")
        )
        let opened = ContinuousClock.now
        // Idle, with nothing to play, it still beats: a beat comes more than two idle waits after it started.
        #expect(
            await eventually(timeout: .seconds(10), every: .milliseconds(20)) {
                output.lastHeartbeat > opened + .milliseconds(600)
            }
        )
        #expect(output.isAlive(within: .seconds(3)))
        output.stallForTesting()
        #expect(
            await eventually(timeout: .seconds(10), every: .milliseconds(20)) {
                !output.isAlive(within: .milliseconds(900))
            }
        )
        await BlockingCall.run { output.shutdown() }
        #expect(!output.isAlive(within: .seconds(60)))
    }
}
