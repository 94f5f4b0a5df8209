import Foundation
import LoaCore
import LoaReceiver
import LoaTestSupport
import Testing

/// A live session's audio stops reaching a real receiver (docs/protocol.md, "When the audio stops reaching a
/// receiver"): a real mosquitto, the paced ALSA output into a `file` PCM, the default limits. About 12 s.
@Suite("A stalled session on a real receiver", .serialized)
struct ReceiverStallTests {
    @Test func anOpenSessionWhoseAudioStopsIsConcealedThenSilentThenStalledAfterTenSeconds() async throws {
        let clip = try TestClip.tone(seconds: 2)
        try await TestBroker.withBroker { broker in
            let controller = try await TestController(broker: broker, site: uniqueSite("stall"))
            defer { controller.shutdown() }
            let receiver = try await ReceiverUnderTest(broker: broker, controller: controller)
            defer { receiver.remove() }

            let session = SessionID.random()
            let start = wallClock(in: 1)
            try controller.play(session, on: .all, start: start)  // no durationMs: a session of unknown length
            // One second of audio, and then nothing: the message flagged last never comes.
            try await controller.stream(clip, session: session, on: .all, start: start, until: 10)
            let aborted = await controller.event(of: receiver.id, timeout: .seconds(20)) {
                $0.kind == .sessionAborted
            }
            await receiver.stop()

            #expect(aborted?.session == session && aborted?.reason == "stalled")
            // 1 s played, then 10 s of missing audio in all, on the output's own timeline.
            #expect(aborted?.at == start + 11_000_000, "aborted at \(aborted.map { $0.at - start } ?? 0) µs")
            #expect(aborted?.underruns == 1 && aborted?.concealed == 25)
            let kinds = controller.events(of: receiver.id).filter { $0.session == session }.map(\.kind)
            #expect(kinds.filter { $0 != .commandAccepted } == [.sessionStarted, .underrun, .sessionAborted])

            // The output held the session the whole time: the tone, 0.5 s concealed, then zeros (not concealment).
            let played = try receiver.played()
            let slots = 50 + 25 + 475
            #expect(played.count == slots * 960)
            #expect(AudioSignals.rms(played[..<48_000]) > 0.1)
            #expect(played[72_000...].allSatisfy { $0 == 0 }, "silence after the concealment")
        }
    }
}
