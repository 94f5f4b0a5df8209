import Foundation
import LoaCore
import LoaReceiver
import LoaTestSupport
import Testing

/// A receiver against a real mosquitto, playing into a real ALSA `file` PCM, fed by a test controller that
/// streams a known clip as signed 100 ms messages. Serialized: these tests pace audio in real time, and the
/// sync figures they print mean more on a machine that is not also running four other sessions.
///
/// Assertions are about outcomes (what was played, which events came), with generous time bounds; the
/// presented − due figures are printed, not asserted tightly.
@Suite("Receiver playout on a real broker", .serialized)
struct ReceiverPlayoutTests {
    @Test func playsASessionThatMatchesTheSourceInStep() async throws {
        let clip = try TestClip.speech()
        try await TestBroker.withBroker { broker in
            let controller = try await TestController(broker: broker, site: uniqueSite("play"))
            defer { controller.shutdown() }
            let receiver = try await ReceiverUnderTest(broker: broker, controller: controller)
            defer { receiver.remove() }

            let session = SessionID.random()
            let start = wallClock(in: 1)
            try controller.play(
                session,
                on: .all,
                start: start,
                durationMs: Int(clip.durationMicroseconds / 1_000)
            )
            try await controller.stream(clip, session: session, on: .all, start: start)
            let finished = await controller.event(of: receiver.id) { $0.kind == .sessionFinished }
            let started = controller.events(of: receiver.id).first { $0.kind == .sessionStarted }
            await receiver.stop()

            #expect(finished?.session == session)
            #expect(finished?.concealed == 0 && finished?.underruns == 0 && finished?.lateFrames == 0)
            #expect(
                started.map { abs($0.at - start) < 50_000 } == true,
                "session.started at \(started?.at ?? 0), due \(start)"
            )
            #expect(controller.events(of: receiver.id).contains { $0.kind == .commandAccepted && $0.cmd == .play })
            // Telemetry (QoS 0, every second) travels on its own topic: wait for a report sent while playing.
            #expect(
                await eventually(timeout: .seconds(5), every: .milliseconds(50)) {
                    controller.telemetry(of: receiver.id).contains { $0.playing == session }
                }
            )
            let telemetry = try #require(controller.telemetry(of: receiver.id).last)
            #expect(telemetry.interval == 1 && telemetry.firmware == "loa-receiver \(LoaVersion.current)")
            #expect(telemetry.amplifier == "ok" && telemetry.volume == 100)
            // Its clock offset, from the obeyed `play`'s `ts` (this machine's clock on both sides, and no NTP here)
            // or from the kernel when NTP keeps it; and the time of the report, for the controller's own check.
            #expect(telemetry.clockOffsetMs.map { abs($0) < 1_000 } == true, "\(telemetry)")
            #expect(telemetry.at.map { abs($0 - SystemWallClock().nowMicroseconds()) < 5_000_000 } == true)
            #expect(telemetry.underruns == 0 && telemetry.lateFrames == 0)

            // The output is the whole session, and it is the source after decoding.
            let played = try receiver.played()
            #expect(played.count == clip.sampleCount)
            let (correlation, lag) = AudioSignals.bestCorrelation(clip.source, played, maxLag: 2 * clip.lookahead)
            #expect(correlation >= 0.95, "normalised cross-correlation \(correlation) at lag \(lag)")
            #expect(abs(lag - clip.lookahead) <= 4, "delay \(lag) samples, codec lookahead \(clip.lookahead)")

            // Every message went out close to its presentation time.
            let journal = try receiver.journal()
            let figures = SyncFigures(journal)
            print("receiver sync (single session): \(figures)")
            #expect(journal.count == TestController.messagesCount(clip))
            #expect(journal.map(\.sequence) == Array(0..<UInt32(journal.count)))
            #expect(journal.allSatisfy { $0.player == receiver.id && $0.session == session })
            #expect(journal.allSatisfy { $0.presented - $0.due >= 0 && $0.presented - $0.due < 50_000 }, "\(figures)")
        }
    }

    @Test func theRemoteVolumeScalesTheOutput() async throws {
        let clip = try TestClip.tone(seconds: 1.5)
        try await TestBroker.withBroker { broker in
            let controller = try await TestController(broker: broker, site: uniqueSite("vol"))
            defer { controller.shutdown() }
            let receiver = try await ReceiverUnderTest(broker: broker, controller: controller)
            defer { receiver.remove() }
            try controller.volume(25, to: .zone("thon-dong"))
            #expect(await controller.event(of: receiver.id) { $0.kind == .commandAccepted && $0.cmd == .volume } != nil)
            let session = SessionID.random()
            let start = wallClock(in: 1)
            try await controller.stream(clip, session: session, on: .all, start: start)
            #expect(await controller.event(of: receiver.id) { $0.kind == .sessionFinished } != nil)
            await receiver.stop()

            #expect(receiver.persistedVolume == "25")
            let played = try receiver.played()
            #expect(played.count == clip.reference.count)
            let ratio = AudioSignals.rms(played[...]) / AudioSignals.rms(clip.reference[...])
            #expect(abs(ratio - 0.25) < 0.01, "output level \(ratio) of the decoded clip")
        }
    }

    @Test func aReceiverThatJoinsMidSessionStartsAtTheRightOffset() async throws {
        let clip = try TestClip.tone(seconds: 5)
        try await TestBroker.withBroker { broker in
            let controller = try await TestController(broker: broker, site: uniqueSite("join"))
            defer { controller.shutdown() }
            let session = SessionID.random()
            let start = wallClock(in: 0.8)
            // No play command: frames alone must do. The receiver comes up while the session is under way.
            let streaming = Task {
                try await controller.stream(clip, session: session, on: .zone("thon-tay"), start: start)
            }
            try await Task.sleep(for: .milliseconds(2_000))
            let joined = TestController.now()
            let receiver = try await ReceiverUnderTest(broker: broker, controller: controller, zone: "thon-tay")
            defer { receiver.remove() }
            try await streaming.value
            let finished = await controller.event(of: receiver.id) { $0.kind == .sessionFinished }
            let started = controller.events(of: receiver.id).first { $0.kind == .sessionStarted }
            await receiver.stop()

            #expect(finished?.session == session)
            let journal = try receiver.journal()
            let first = try #require(journal.first)
            #expect(first.sequence > 0, "a late joiner must not start from the beginning")
            #expect(first.due >= joined, "first message due \(first.due), joined at \(joined)")
            #expect(first.due == start + Int64(first.sequence) * 100_000, "the offset follows the session's clock")
            #expect(started.map { abs($0.at - first.due) < 50_000 } == true)
            // From there on, nothing is missing: contiguous messages up to the end, and samples to match.
            let last = UInt32(TestController.messagesCount(clip) - 1)
            #expect(journal.map(\.sequence) == Array(first.sequence...last))
            let played = try receiver.played()
            #expect(played.count == clip.sampleCount - Int(first.sequence) * 5 * 960)
            print("receiver sync (late joiner from message \(first.sequence)): \(SyncFigures(journal))")
        }
    }

    @Test func fivePercentLossIsConcealedWithNoGap() async throws {
        let clip = try TestClip.tone(seconds: 6)
        try await TestBroker.withBroker { broker in
            let controller = try await TestController(broker: broker, site: uniqueSite("loss"))
            defer { controller.shutdown() }
            let receiver = try await ReceiverUnderTest(
                broker: broker,
                controller: controller,
                dropFraction: 0.05,
                dropSeed: 7
            )
            defer { receiver.remove() }
            let session = SessionID.random()
            let start = wallClock(in: 1)
            try controller.play(session, on: .all, start: start, durationMs: Int(clip.durationMicroseconds / 1_000))
            try await controller.stream(clip, session: session, on: .all, start: start)
            let finished = await controller.event(of: receiver.id) { $0.kind == .sessionFinished }
            let dropped = receiver.receiver.statistics.droppedByTestHook
            await receiver.stop()

            #expect(dropped > 0, "the hook dropped nothing: the test proves nothing")
            #expect(finished?.session == session, "the session must complete despite the loss")
            let played = try receiver.played()
            #expect(played.count == clip.sampleCount, "output \(played.count) samples, session \(clip.sampleCount)")
            // Every packet of a dropped message was concealed in place (a short last message conceals fewer).
            let concealed = finished?.concealed ?? 0
            #expect(concealed > 0 && concealed <= dropped * TestController.packetsPerMessage)
            #expect(try receiver.journal().count == TestController.messagesCount(clip) - dropped)
        }
    }

    @Test func aStopCutsAPlayingSessionAtOnce() async throws {
        let clip = try TestClip.tone(seconds: 5)
        try await TestBroker.withBroker { broker in
            let controller = try await TestController(broker: broker, site: uniqueSite("stop"))
            defer { controller.shutdown() }
            let receiver = try await ReceiverUnderTest(broker: broker, controller: controller)
            defer { receiver.remove() }
            let session = SessionID.random()
            let start = wallClock(in: 1)
            try controller.play(session, on: .all, start: start)
            try await controller.stream(clip, session: session, on: .all, start: start, until: 20)
            // Twenty messages (2 s) are out, the receiver holds 0.5 s of them ahead: stop now.
            let stoppedAt = TestController.now()
            try controller.stop(session.description)
            let aborted = await controller.event(of: receiver.id) { $0.kind == .sessionAborted }
            // Later audio of a stopped session is ignored. `until: 30` sends messages 0-29 again: 0-19 at once,
            // 20-29 paced.
            try await controller.stream(clip, session: session, on: .all, start: start, until: 30)
            // Negative check. The marker: the receiver has taken in all 50 messages…
            let arrived = await eventually(timeout: .seconds(10), every: .milliseconds(20)) {
                receiver.receiver.statistics.audioMessages >= 50
            }
            #expect(arrived, "audio messages in: \(receiver.receiver.statistics.audioMessages)")
            // …but a played message is journalled at its slot, not on arrival, so also let the last one's slot
            // (plus 300 ms of playout slack) pass: no other marker says "that slot went by unplayed".
            let lastSlotPassed = start + 29 * 100_000 + 300_000
            let settle = lastSlotPassed - TestController.now()
            if settle > 0 { try await Task.sleep(for: .microseconds(settle)) }
            await receiver.stop()

            #expect(aborted?.session == session && aborted?.reason == "stop")
            #expect(!controller.events(of: receiver.id).contains { $0.kind == .sessionFinished })
            let journal = try receiver.journal()
            #expect(!journal.isEmpty)
            // Nothing due well after the stop was played (one message of slack for the command's trip).
            let afterStop = journal.filter { $0.due > stoppedAt + 100_000 }
            #expect(afterStop.isEmpty, "played after the stop: \(afterStop.map(\.sequence))")
        }
    }

    @Test func aHigherPrioritySessionOnAnotherChannelTakesOver() async throws {
        let normal = try TestClip.tone(seconds: 4)
        let emergency = try TestClip.speech(seconds: 1.5)
        try await TestBroker.withBroker { broker in
            let controller = try await TestController(broker: broker, site: uniqueSite("prio"))
            defer { controller.shutdown() }
            let receiver = try await ReceiverUnderTest(broker: broker, controller: controller, zone: "xom-bai")
            defer { receiver.remove() }
            let (a, b) = (SessionID.random(), SessionID.random())
            let start = wallClock(in: 1)
            let takeover = start + 1_000_000
            try controller.play(a, on: .all, start: start, durationMs: Int(normal.durationMicroseconds / 1_000))
            try controller.play(b, on: .zone("xom-bai"), to: .zone("xom-bai"), start: takeover, priority: .emergency)
            async let streamA: Void = controller.stream(normal, session: a, on: .all, start: start)
            async let streamB: Void = controller.stream(
                emergency,
                session: b,
                on: .zone("xom-bai"),
                start: takeover,
                priority: .emergency
            )
            _ = try await (streamA, streamB)
            let finishedB = await controller.event(of: receiver.id) { $0.kind == .sessionFinished && $0.session == b }
            let finishedA = await controller.event(of: receiver.id) { $0.kind == .sessionFinished && $0.session == a }
            await receiver.stop()

            #expect(finishedB != nil && finishedA != nil)
            let startedB = controller.events(of: receiver.id).first { $0.kind == .sessionStarted && $0.session == b }
            #expect(
                startedB.map { abs($0.at - takeover) < 50_000 } == true,
                "emergency started at \(startedB?.at ?? 0)"
            )
            let journal = try receiver.journal()
            let endB = takeover + emergency.durationMicroseconds
            // A is heard before the emergency and after it, never during it; B is heard in full.
            #expect(journal.filter { $0.session == a }.allSatisfy { $0.due < takeover || $0.due >= endB })
            #expect(journal.contains { $0.session == a && $0.due >= endB }, "the normal session resumes afterwards")
            #expect(journal.filter { $0.session == b }.count == TestController.messagesCount(emergency))
            // The loudspeaker never stopped: A's length of audio, with B's slots in the middle.
            #expect(try receiver.played().count == normal.sampleCount)
            print("receiver sync (preemption): \(SyncFigures(journal))")
        }
    }
}

extension TestController {
    /// How many 100 ms messages carry `clip`.
    static func messagesCount(_ clip: TestClip) -> Int {
        (clip.packets.count + packetsPerMessage - 1) / packetsPerMessage
    }
}
