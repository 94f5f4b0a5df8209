import LoaCore
import Testing

@testable import LoaReceiver

/// docs/protocol.md, "When the audio stops reaching a receiver": a session of unknown length is concealed
/// for 0.5 s, then silent and open (holding the output) for 10 s in all, then `stalled`. In virtual time.
extension PlayoutScheduleTests {
    /// Takes the slots due before `until`, as the outputs do while the wall clock runs.
    func run(
        _ schedule: inout PlayoutSchedule,
        until: Int64,
        into slots: inout [PlayoutSlot],
        _ events: inout [ReceiverEvent]
    ) {
        while let next = schedule.nextSlotTime, next < until {
            let (slot, taken) = schedule.takeSlot()
            events += taken
            if let slot {
                slots.append(slot)
                events += schedule.presented(slot, at: slot.time)
            }
        }
    }

    /// Whether the slot holds the packet due at its time in a session that began at `start` (``message``'s
    /// packets are `[sequence, index]`).
    func isPacket(_ slot: PlayoutSlot, start: Int64 = PlayoutScheduleTests.t0) -> Bool {
        let offset = slot.time - start
        return slot.packet == [UInt8(offset / 100_000), UInt8(offset % 100_000 / 20_000)]
    }

    @Test func anOpenSessionWhosAudioPausesThreeSecondsPlaysOnInStepWithSilenceBetween() {
        var schedule = PlayoutSchedule(volume: 100)
        var slots: [PlayoutSlot] = []
        var events: [ReceiverEvent] = []
        for sequence: UInt32 in 0..<5 { _ = schedule.receive(message(sequence), now: Self.t0 - 200_000) }
        // The link is down from 0.5 s to 3.5 s; the audio due from 3.5 s arrives 200 ms ahead, as live audio does.
        run(&schedule, until: Self.t0 + 3_300_000, into: &slots, &events)
        for sequence: UInt32 in 35..<45 {
            _ = schedule.receive(message(sequence, isLast: sequence == 44), now: Self.t0 + 3_300_000)
        }
        run(&schedule, until: .max, into: &slots, &events)

        #expect(slots.map(\.time) == (0..<225).map { Self.t0 + Int64($0) * 20_000 })
        #expect(slots[0..<25].allSatisfy { isPacket($0) })
        #expect(slots[25..<50].allSatisfy { $0.packet == nil && !$0.isSilent }, "0.5 s concealed")
        #expect(slots[50..<175].allSatisfy { $0.packet == nil && $0.isSilent }, "then silence")
        #expect(slots[175...].allSatisfy { isPacket($0) }, "the resumed audio at its presentation times")
        #expect(slots.last?.isLast == true)
        #expect(events.map(\.kind) == [.sessionStarted, .underrun, .sessionFinished])
        #expect(events.last?.underruns == 1 && events.last?.concealed == 25)
        #expect(schedule.counts.silent == 125 && schedule.counts.played == 75)
    }

    @Test func anOpenSessionWhoseAudioStopsForGoodIsStalledAfterTenSeconds() {
        var schedule = PlayoutSchedule(volume: 100)
        for sequence: UInt32 in 0..<5 { _ = schedule.receive(message(sequence), now: Self.t0 - 200_000) }
        var slots: [PlayoutSlot] = []
        var events: [ReceiverEvent] = []
        // Holding the output while it lasts.
        run(&schedule, until: Self.t0 + 10_000_000, into: &slots, &events)
        #expect(schedule.playing == session)
        run(&schedule, until: .max, into: &slots, &events)

        #expect(slots.count == 25 + 25 + 475)
        #expect(events.map(\.kind) == [.sessionStarted, .underrun, .sessionAborted])
        let aborted = events.last
        #expect(aborted?.reason == "stalled" && aborted?.at == Self.t0 + 500_000 + 10_000_000)
        #expect(aborted?.underruns == 1 && aborted?.concealed == 25)
        #expect(schedule.nextSlotTime == nil && schedule.playing == nil)
        #expect(schedule.receive(message(200), now: Self.t0 + 20_000_000).outcome == .closed)
    }

    @Test func aLowerPrioritySessionMutedUnderAStalledOnePlaysOnOnceItIsAborted() {
        var schedule = PlayoutSchedule(volume: 100, maximumConcealment: 200_000, stallLimit: 1_000_000)
        let emergency = SessionID(99)
        let emergencyStart = Self.t0 + 500_000
        for sequence: UInt32 in 0..<30 {
            _ = schedule.receive(message(sequence, isLast: sequence == 29), now: Self.t0 - 1)
        }
        for sequence: UInt32 in 0..<3 {  // an open emergency session: 300 ms, then nothing more
            _ = schedule.receive(
                message(sequence, session: emergency, start: emergencyStart, priority: .emergency),
                now: Self.t0 - 1
            )
        }
        let (slots, events) = drain(&schedule)

        // 0.5 s normal, 0.3 s emergency, its stall (0.2 s concealed, 0.8 s silent) holding the output, then the
        // normal session again, at its own offset, to its end at 3 s.
        #expect(slots.map(\.time) == (0..<150).map { Self.t0 + Int64($0) * 20_000 })
        #expect(slots[0..<25].allSatisfy { $0.session == session && isPacket($0) })
        #expect(slots[25..<40].allSatisfy { $0.session == emergency && isPacket($0, start: emergencyStart) })
        #expect(slots[40..<50].allSatisfy { $0.session == emergency && $0.packet == nil && !$0.isSilent })
        #expect(slots[50..<90].allSatisfy { $0.session == emergency && $0.isSilent })
        #expect(slots[90...].allSatisfy { $0.session == session && isPacket($0) })
        let kinds = events.map { "\($0.kind.rawValue) \($0.session == emergency ? "E" : "N")" }
        #expect(
            kinds == [
                "session.started N", "session.started E", "underrun E", "session.aborted E", "session.finished N",
            ]
        )
        #expect(events[3].reason == "stalled" && events[3].at == Self.t0 + 1_800_000)
        #expect(events.last?.concealed == 0 && events.last?.underruns == 0)
    }

    @Test func aSessionWithAKnownEndIsConcealedToItsEndAndNeverStalls() {
        var schedule = PlayoutSchedule(volume: 100, maximumConcealment: 200_000, stallLimit: 1_000_000)
        let play = ControlCommand.Play(
            session: session,
            channel: "all",
            start: Self.t0,
            priority: .normal,
            title: "t",
            durationMs: 3_000
        )
        schedule.announce(play, now: Self.t0 - 1_000_000)
        for sequence: UInt32 in 0..<5 { _ = schedule.receive(message(sequence), now: Self.t0 - 200_000) }
        let (slots, events) = drain(&schedule)

        #expect(slots.count == 150)
        #expect(slots[25...].allSatisfy { $0.packet == nil && !$0.isSilent })
        #expect(events.map(\.kind) == [.sessionStarted, .underrun, .sessionFinished])
        #expect(events.last?.concealed == 125 && events.last?.underruns == 1)
    }

    /// The simulated receivers' output runs the same schedule: its stall ends in the same event.
    @Test func aVirtualOutputReportsTheStall() async {
        let (notices, continuation) = AsyncStream<OutputNotice>.makeStream()
        let output = VirtualOutput(
            volume: 100,
            sharedDecoder: nil,
            maximumConcealment: 200_000,
            stallLimit: 1_000_000,
            notices: continuation
        )
        _ = output.receive(message(0), now: Self.t0 - 100_000)  // not Opus: only the timeline matters here
        output.advance(now: Self.t0 + 600_000)
        #expect(output.status.playing == session, "silent, and still on the air")
        output.advance(now: Self.t0 + 2_000_000)
        continuation.finish()
        var events: [ReceiverEvent] = []
        for await notice in notices { if case .event(let event) = notice { events.append(event) } }
        #expect(events.map(\.kind) == [.sessionStarted, .underrun, .sessionAborted])
        #expect(events.last?.reason == "stalled")
        #expect(output.status.playing == nil && output.status.counts.silent == 40)
    }
}
