import LoaCore
import Testing

@testable import LoaReceiver

/// The receiver's timeline and arbitration, with no broker, device or clock: times are passed in.
@Suite struct PlayoutScheduleTests {
    static let t0: Int64 = 1_764_385_200_000_000
    let session = SessionID(0x2f9c_01aa_0000_0001)

    func message(
        _ sequence: UInt32,
        session: SessionID? = nil,
        start: Int64 = t0,
        priority: Priority = .normal,
        isLast: Bool = false,
        packets: Int = 5,
        channel: String = "all"
    ) -> AudioMessage {
        AudioMessage(
            session: session ?? self.session,
            site: "xa-an-phu",
            channel: channel,
            sequence: sequence,
            presentationTime: start + Int64(sequence) * 100_000,
            priority: priority,
            isLast: isLast,
            packets: (0..<packets).map { [UInt8(sequence), UInt8($0)] }
        )
    }

    /// Takes every slot, reporting (session, time, played or concealed, mark).
    func drain(_ schedule: inout PlayoutSchedule) -> (slots: [PlayoutSlot], events: [ReceiverEvent]) {
        var slots: [PlayoutSlot] = []
        var events: [ReceiverEvent] = []
        while schedule.nextSlotTime != nil {
            let (slot, taken) = schedule.takeSlot()
            events += taken
            if let slot {
                slots.append(slot)
                events += schedule.presented(slot, at: slot.time)
            }
        }
        return (slots, events)
    }

    @Test func aLostMessageIsConcealedInPlaceAndTheSessionFinishes() {
        var schedule = PlayoutSchedule(volume: 100)
        for sequence: UInt32 in [0, 1, 3] {
            _ = schedule.receive(message(sequence, isLast: sequence == 3), now: Self.t0 - 500_000)
        }
        let (slots, events) = drain(&schedule)
        #expect(slots.count == 20)
        #expect(slots.map(\.time) == (0..<20).map { Self.t0 + Int64($0) * 20_000 })
        #expect(slots[10..<15].allSatisfy { $0.packet == nil })
        #expect(slots.filter { $0.packet != nil }.count == 15)
        #expect(slots.compactMap(\.mark).map(\.sequence) == [0, 1, 3])
        #expect(slots.first?.isFirst == true && slots.last?.isLast == true)
        #expect(events.map(\.kind) == [.sessionStarted, .sessionFinished])
        #expect(events.last?.concealed == 5 && events.last?.underruns == 0)
    }

    @Test func anAnnouncedSessionConcealsALostFirstMessageAndEndsOnTime() {
        var schedule = PlayoutSchedule(volume: 100)
        let play = ControlCommand.Play(
            session: session,
            channel: "all",
            start: Self.t0,
            priority: .normal,
            title: "t",
            durationMs: 300
        )
        schedule.announce(play, now: Self.t0 - 1_000_000)
        _ = schedule.receive(message(1), now: Self.t0 - 400_000)
        _ = schedule.receive(message(2), now: Self.t0 - 300_000)  // the isLast message is lost
        let (slots, events) = drain(&schedule)
        #expect(slots.count == 15)
        #expect(slots.first?.time == Self.t0 && slots.first?.packet == nil)
        #expect(events.last?.kind == .sessionFinished)
    }

    /// A session plays only on the channel its `play` named: the same signed session on another channel of the
    /// receiver is refused, whatever arrives first.
    @Test func audioOnAnotherChannelThanThePlaysIsRefused() {
        var schedule = PlayoutSchedule(volume: 100)
        let play = ControlCommand.Play(
            session: session,
            channel: "zone/thon-dong",
            start: Self.t0,
            priority: .normal,
            title: "t"
        )
        schedule.announce(play, now: Self.t0 - 1_000_000)
        #expect(schedule.receive(message(0, channel: "all"), now: Self.t0 - 500_000).outcome == .wrongChannel)
        #expect(schedule.receive(message(1, channel: "rx/rx-dong-01"), now: Self.t0 - 500_000).outcome == .wrongChannel)
        #expect(schedule.receive(message(2, channel: "zone/thon-dong"), now: Self.t0 - 500_000).outcome == .buffered)

        // Joined with no play: the first message's channel is the session's.
        var joiner = PlayoutSchedule(volume: 100)
        #expect(joiner.receive(message(0, channel: "all"), now: Self.t0 - 500_000).outcome == .buffered)
        #expect(joiner.receive(message(1, channel: "zone/thon-dong"), now: Self.t0 - 500_000).outcome == .wrongChannel)
        #expect(joiner.receive(message(2, isLast: true, channel: "all"), now: Self.t0 - 500_000).outcome == .buffered)
        let (slots, _) = drain(&joiner)
        #expect(slots.filter { $0.packet != nil }.count == 10)
    }

    @Test func aStalledStreamIsConcealedThenSilentThenStalled() {
        var schedule = PlayoutSchedule(volume: 100, maximumConcealment: 200_000, stallLimit: 1_000_000)
        _ = schedule.receive(message(0), now: Self.t0 - 100_000)
        let (slots, events) = drain(&schedule)
        #expect(slots.count == 5 + 10 + 40)
        #expect(slots[5..<15].allSatisfy { $0.packet == nil && !$0.isSilent })
        #expect(slots[15...].allSatisfy { $0.packet == nil && $0.isSilent })
        #expect(events.map(\.kind) == [.sessionStarted, .underrun, .sessionAborted])
        #expect(events.last?.reason == "stalled" && events.last?.underruns == 1 && events.last?.concealed == 10)
        #expect(events.last?.at == Self.t0 + 100_000 + 1_000_000)
        #expect(schedule.counts.silent == 40)
    }

    @Test func aMessageAfterItsSlotIsLateAndAJoinerSkipsThePast() {
        var schedule = PlayoutSchedule(volume: 100)
        _ = schedule.receive(message(0), now: Self.t0 - 100_000)
        _ = schedule.receive(message(2, isLast: true), now: Self.t0 - 100_000)
        for _ in 0..<7 { _ = schedule.takeSlot() }  // into message 1's time
        #expect(schedule.receive(message(1), now: Self.t0 + 140_000).outcome == .late)
        #expect(schedule.counts.lateFrames == 1)

        var joiner = PlayoutSchedule(volume: 100)
        #expect(joiner.receive(message(3), now: Self.t0 + 390_000).outcome == .beforeJoin)
        #expect(joiner.receive(message(4), now: Self.t0 + 390_000).outcome == .buffered)
        #expect(joiner.nextSlotTime == Self.t0 + 400_000)
        #expect(joiner.counts.lateFrames == 0)
    }

    @Test func theHigherPriorityPlaysAndTheOtherResumesAtItsOffset() {
        var schedule = PlayoutSchedule(volume: 80)
        let emergency = SessionID(99)
        for sequence: UInt32 in 0..<10 {
            _ = schedule.receive(message(sequence, isLast: sequence == 9), now: Self.t0 - 1)
        }
        for sequence: UInt32 in 0..<3 {
            _ = schedule.receive(
                message(
                    sequence,
                    session: emergency,
                    start: Self.t0 + 300_000,
                    priority: .emergency,
                    isLast: sequence == 2
                ),
                now: Self.t0 - 1
            )
        }
        let (slots, events) = drain(&schedule)
        #expect(slots.count == 50)
        #expect(slots[0..<15].allSatisfy { $0.session == session })
        #expect(slots[15..<30].allSatisfy { $0.session == emergency })
        #expect(slots[30...].allSatisfy { $0.session == session })
        #expect(slots.allSatisfy { $0.gain == 0.8 })
        let kinds = events.map { "\($0.kind.rawValue) \($0.session == emergency ? "E" : "N")" }
        #expect(kinds == ["session.started N", "session.started E", "session.finished E", "session.finished N"])
        #expect(events.last?.concealed == 0)
    }

    @Test func stopCutsAndIgnoresTheRest() {
        var schedule = PlayoutSchedule(volume: 100)
        _ = schedule.receive(message(0), now: Self.t0 - 1)
        _ = schedule.takeSlot()
        let events = schedule.stop(session.description, now: Self.t0 + 5_000)
        #expect(events.map(\.kind) == [.sessionAborted] && events.first?.reason == "stop")
        #expect(schedule.nextSlotTime == nil)
        #expect(schedule.receive(message(1), now: Self.t0).outcome == .closed)
        #expect(schedule.stop("*", now: Self.t0).isEmpty)
    }
}
