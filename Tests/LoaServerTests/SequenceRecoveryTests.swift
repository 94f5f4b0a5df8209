import Foundation
import LoaCore
import LoaSecurity
import LoaTestSupport
import Testing

@testable import LoaServer

/// A sequence behind the receivers' (a restored backup): receivers' `lastSeq` moves it on, and a command
/// refused as replayed is sent again once with a fresh number, unless the receiver had obeyed it (a replay).
@Suite("Sequence recovery")
struct SequenceRecoveryTests {
    struct Harness {
        let bus = InMemoryBus()
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_764_385_200))
        let topics: TopicTree
        let sequence: CommandSequence
        let commands: CommandPublisher
        let recovery: SequenceRecovery
        let directory: String

        init(restoredAt seq: Int64) throws {
            directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-recovery")
            try "\(seq)\n".write(toFile: "\(directory)/command.seq", atomically: true, encoding: .utf8)
            topics = try TopicTree(site: "xa-an-phu")
            sequence = try CommandSequence(path: "\(directory)/command.seq")
            commands = CommandPublisher(
                bus: bus,
                topics: topics,
                signer: try TestController.makeKey(),
                sequence: sequence,
                clock: clock
            )
            recovery = SequenceRecovery(topics: topics, commands: commands, logger: quietLogger("loa.test.recovery"))
        }

        func event(_ event: ReceiverEvent, from receiver: String) throws {
            let payload = try JSONEncoder().encode(event)
            recovery.receive(BusMessage(topic: topics.receiverEvents(receiver), payload: Array(payload)))
        }

        func telemetry(lastSeq: Int64, from receiver: String) throws {
            let payload = try JSONEncoder().encode(Telemetry(interval: 10, lastSeq: lastSeq))
            recovery.receive(BusMessage(topic: topics.receiverTelemetry(receiver), payload: Array(payload)))
        }

        /// Does the work the message path queued, as the service's task would.
        func drain() async {
            recovery.continuation.finish()
            for await item in recovery.work { recovery.handle(item) }
        }

        var sent: [ControlCommand] {
            bus.published.compactMap { message in
                (try? JSONDecoder().decode(SignedEnvelope.self, from: Data(message.payload)))?.command
                    .flatMap { Data(base64Encoded: $0) }
                    .flatMap { try? JSONDecoder().decode(ControlCommand.self, from: $0) }
            }
        }
    }

    @Test func aCommandRefusedAsReplayedIsSentAgainOnceAfterTheReceiversNumber() async throws {
        let harness = try Harness(restoredAt: 5)
        defer { try? FileManager.default.removeItem(atPath: harness.directory) }
        try harness.commands.volume(.init(level: 70), to: .all)
        #expect(harness.sent.map(\.seq) == [6])
        let now = harness.clock.nowMicroseconds()
        // rx-a had obeyed up to 5 only; rx-b and rx-c had obeyed 40 since the backup.
        try harness.event(ReceiverEvent(kind: .commandAccepted, at: now, seq: 6, cmd: .volume), from: "rx-a")
        try harness.event(
            ReceiverEvent(kind: .commandRejected, at: now, seq: 6, reason: "replayed", lastSeq: 40),
            from: "rx-b"
        )
        try harness.event(
            ReceiverEvent(kind: .commandRejected, at: now, seq: 6, reason: "replayed", lastSeq: 40),
            from: "rx-c"
        )
        // A replay of the command rx-a obeyed is an attack, not a restore.
        try harness.event(
            ReceiverEvent(kind: .commandRejected, at: now, seq: 6, reason: "replayed", lastSeq: 6),
            from: "rx-a"
        )
        await harness.drain()
        let sent = harness.sent
        #expect(sent.map(\.seq) == [6, 41])
        #expect(sent.last?.volume?.level == 70 && sent.last?.to == "all")
        #expect(try harness.sequence.next() == 42)
    }

    @Test func aCommandALaterOneWouldBeUndoneByIsNotSentAgain() async throws {
        let harness = try Harness(restoredAt: 5)
        defer { try? FileManager.default.removeItem(atPath: harness.directory) }
        let session = SessionID.random()
        try harness.commands.stop(.init(session: "*"), to: .all)
        try harness.commands.play(
            .init(session: session, channel: "all", start: 0, priority: .emergency, title: "Bão"),
            to: .all
        )
        try harness.commands.volume(.init(level: 40), to: .zone("thon-dong"))
        try harness.commands.volume(.init(level: 90), to: .zone("thon-dong"))
        let now = harness.clock.nowMicroseconds()
        // A late `stop *` would cut the emergency sent since, the old level would undo the new one.
        for seq: Int64 in [6, 8] {
            try harness.event(
                ReceiverEvent(kind: .commandRejected, at: now, seq: seq, reason: "replayed", lastSeq: 40),
                from: "rx-b"
            )
        }
        await harness.drain()
        #expect(harness.sent.map(\.seq) == [6, 7, 8, 9])
        #expect(try harness.sequence.next() == 41)
    }

    @Test func telemetryMovesTheSequencePastTheReceiversNumberAndNeverBack() async throws {
        let harness = try Harness(restoredAt: 5)
        defer { try? FileManager.default.removeItem(atPath: harness.directory) }
        try harness.telemetry(lastSeq: 100, from: "rx-a")
        try harness.telemetry(lastSeq: 20, from: "rx-b")
        await harness.drain()
        #expect(try harness.sequence.next() == 101)
        #expect(try CommandSequence(path: "\(harness.directory)/command.seq").next() == 102)
        #expect(try harness.sequence.advance(past: 50) == nil)
    }
}
