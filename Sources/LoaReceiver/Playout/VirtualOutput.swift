import LoaCore
import LoaOpus
import Synchronization

/// Runs a receiver's timeline in virtual time, with no device: each slot is "played" (decoded and counted)
/// as soon as the wall clock has passed it, when the next message arrives or on the receiver's housekeeping
/// tick. Underruns, late messages and concealment come out exactly as they would behind ALSA, because the
/// schedule sees the same buffer at each slot's instant; only the samples go nowhere.
///
/// This is `--audio-device none` and the default for `--simulate` receivers: no thread and no pacing per
/// receiver. Simulated receivers share one ``SharedPacketDecoder``, so each distinct packet is decoded once per
/// process however many receivers get it (decoding costs ~0.1 ms a packet here: a thousand receivers decoding
/// their own copies would need five cores).
final class VirtualOutput: AudioOutput, Sendable {
    private struct State {
        var schedule: PlayoutSchedule
        /// Per-session decoders when no shared decoder is given.
        var decoders: [SessionID: OpusDecoder] = [:]
        var lastError: String?
    }

    private let state: Mutex<State>
    private let sharedDecoder: SharedPacketDecoder?
    private let notices: OutputNotices

    init(
        volume: Int,
        sharedDecoder: SharedPacketDecoder?,
        maximumConcealment: Int64,
        stallLimit: Int64 = PlayoutSchedule.defaultStallLimit,
        notices: OutputNotices
    ) {
        let schedule = PlayoutSchedule(volume: volume, maximumConcealment: maximumConcealment, stallLimit: stallLimit)
        state = Mutex(State(schedule: schedule))
        self.sharedDecoder = sharedDecoder
        self.notices = notices
    }

    func announce(_ play: ControlCommand.Play, now: Int64) {
        state.withLock { $0.schedule.announce(play, now: now) }
    }

    func receive(_ message: AudioMessage, now: Int64) -> ReceiveOutcome {
        let (outcome, events) = state.withLock { state in
            // Slots due before this arrival saw the buffer without it.
            var events = playDue(&state, before: now)
            let (outcome, received) = state.schedule.receive(message, now: now)
            events += received
            return (outcome, events)
        }
        notices.emit(events)
        return outcome
    }

    func stop(_ target: String, now: Int64) {
        let events = state.withLock { state in
            playDue(&state, before: now) + state.schedule.stop(target, now: now)
        }
        notices.emit(events)
    }

    func setVolume(_ level: Int) {
        state.withLock { $0.schedule.volume = level }
    }

    func advance(now: Int64) {
        let events = state.withLock { state in
            state.schedule.expire(now: now)
            return playDue(&state, before: now)
        }
        notices.emit(events)
    }

    var status: OutputStatus {
        state.withLock {
            OutputStatus(playing: $0.schedule.playing, counts: $0.schedule.counts, lastError: $0.lastError)
        }
    }

    func shutdown() {}

    /// Plays every slot whose instant is before `now`.
    private func playDue(_ state: inout State, before now: Int64) -> [ReceiverEvent] {
        var events: [ReceiverEvent] = []
        while let next = state.schedule.nextSlotTime, next < now {
            let (slot, taken) = state.schedule.takeSlot()
            events += taken
            guard let slot else { continue }
            if let error = decode(slot, &state) { state.lastError = error }
            events += state.schedule.presented(slot, at: slot.time)
        }
        for id in state.decoders.keys where !state.schedule.isLive(id) { state.decoders[id] = nil }
        return events
    }

    /// Decodes or conceals the slot; the text of a failure.
    private func decode(_ slot: PlayoutSlot, _ state: inout State) -> String? {
        if slot.isSilent { return nil }  // a stall's silence: nothing to decode
        if let sharedDecoder {
            guard let packet = slot.packet else { return nil }  // concealment only matters for real output
            return sharedDecoder.check(session: slot.session, time: slot.time, packet: packet)
        }
        do {
            let decoder = try state.decoders[slot.session] ?? OpusDecoder()
            state.decoders[slot.session] = decoder
            if let packet = slot.packet {
                _ = try decoder.decode(packet)
            } else {
                _ = try decoder.conceal(samples: slot.samples)
            }
            return nil
        } catch {
            return "Opus: \(error)"
        }
    }
}
