import Foundation
import LoaALSA
import LoaAudio
import LoaCore
import Logging

/// Plays sessions through an ALSA PCM from a dedicated thread, each 20 ms packet handed to alsa-lib at its
/// presentation time minus the device's delay.
///
/// ## Why it paces itself
/// Receivers play in step only if every one presents each sample at the instant the controller stamped on
/// it. A sound card's clock would pace a continuous stream, but `file` and `null` PCMs take a second of audio
/// in microseconds (environment guide), and a card idles between sessions; so the thread paces from the
/// wall clock: it sleeps until a few ms before the slot, decodes (or conceals) the packet, sleeps and spins
/// to `presentation time − device delay`, and writes. The instant of each write plus the delay is what the
/// playout journal records as `presented`. Between sessions it writes nothing.
///
/// ## Threads
/// The schedule is shared by the receiver's message task (which buffers audio and applies commands) and
/// this thread; every access holds `condition`'s lock, which is what makes `@unchecked Sendable` sound. The
/// Opus decoders and the PCM belong to the thread alone. Blocking calls (sleeps, writes) never run on the
/// Swift concurrency pool.
final class PacedOutput: AudioOutput, @unchecked Sendable {
    /// How early the thread takes a slot (decides packet or concealment, decodes) before handing it over.
    static let preparation: Int64 = 3_000
    /// The furthest ahead of its presentation time a packet is written, so a real card's ring buffer never
    /// fills and a write never blocks.
    static let maximumLead: Int64 = 40_000

    private let condition = NSCondition()
    private var schedule: PlayoutSchedule
    private var stopRequested = false
    private var cutRequested = false
    private var exited = false
    private var lastError: String?

    private let device: PCMDevice
    private let player: String
    private let notices: OutputNotices
    private let logger: Logger

    /// Starts the playout thread on `device`, an opened playback PCM in 48 kHz mono that it owns and closes.
    init(
        device: PCMDevice,
        player: String,
        volume: Int,
        maximumConcealment: Int64,
        notices: OutputNotices,
        logger: Logger
    ) {
        self.device = device
        self.player = player
        self.schedule = PlayoutSchedule(volume: volume, maximumConcealment: maximumConcealment)
        self.notices = notices
        self.logger = logger
        let thread = Thread { [self] in run() }
        thread.name = "loa-rx-playout"
        thread.start()
    }

    // MARK: AudioOutput

    func announce(_ play: ControlCommand.Play, now: Int64) {
        locked {
            schedule.announce(play, now: now)
            condition.broadcast()
        }
    }

    func receive(_ message: AudioMessage, now: Int64) -> ReceiveOutcome {
        let (outcome, events) = locked {
            let onAir = schedule.onAir
            let (outcome, events) = schedule.receive(message, now: now)
            if outcome == .aborted { cutIfAborted(onAir, by: events) }
            condition.broadcast()
            return (outcome, events)
        }
        notices.emit(events)
        return outcome
    }

    func stop(_ target: String, now: Int64) {
        let events = locked {
            let onAir = schedule.onAir
            let events = schedule.stop(target, now: now)
            cutIfAborted(onAir, by: events)
            return events
        }
        notices.emit(events)
    }

    /// Asks the thread to drop what the device still holds when the session on the air was cut. Lock held.
    private func cutIfAborted(_ onAir: SessionID?, by events: [ReceiverEvent]) {
        guard let onAir, events.contains(where: { $0.kind == .sessionAborted && $0.session == onAir }) else { return }
        cutRequested = true
        condition.broadcast()
    }

    func setVolume(_ level: Int) {
        locked { schedule.volume = level }
    }

    func advance(now: Int64) {
        locked { schedule.expire(now: now) }
    }

    var status: OutputStatus {
        locked { OutputStatus(playing: schedule.playing, counts: schedule.counts, lastError: lastError) }
    }

    func shutdown() {
        condition.lock()
        stopRequested = true
        condition.broadcast()
        while !exited { condition.wait() }
        condition.unlock()
    }

    // MARK: The thread

    private func run() {
        Self.requestRealtimePriority(logger: logger)
        var decoders: [SessionID: OpusDecoder] = [:]
        while true {
            condition.lock()
            if stopRequested {
                condition.unlock()
                break
            }
            if cutRequested {
                // A stop cuts at once: what a real card still holds is dropped too.
                cutRequested = false
                condition.unlock()
                try? device.drop()
                continue
            }
            guard let next = schedule.nextSlotTime else {
                _ = condition.wait(until: Date(timeIntervalSinceNow: 0.25))
                condition.unlock()
                continue
            }
            let wake = next - min(deviceDelay(), Self.maximumLead) - Self.preparation
            if RealtimeClock.now() < wake {
                // New audio or a command wakes the thread early, and the next slot is decided again.
                _ = condition.wait(until: Date(timeIntervalSince1970: Double(wake) / 1e6))
                condition.unlock()
                continue
            }
            let (slot, events) = schedule.takeSlot()
            for id in decoders.keys where !schedule.isLive(id) { decoders[id] = nil }
            condition.unlock()
            notices.emit(events)
            guard let slot else { continue }
            play(slot, decoders: &decoders)
        }
        try? device.drop()
        device.close()
        locked {
            exited = true
            condition.broadcast()
        }
    }

    /// Decodes or conceals one slot, waits for its instant and writes it.
    ///
    /// The device's delay is read before the wait, not between the wait and the write, so nothing but the
    /// write itself follows the spin: a `file` PCM's delay query alone costs ~0.1 ms. For a card that is
    /// still playing the previous packet, the queue's end is known from that reading (the delay shrinks as
    /// the card plays), and the packet is written ahead of it, so the card never runs dry mid-session.
    private func play(_ slot: PlayoutSlot, decoders: inout [SessionID: OpusDecoder]) {
        let samples = decode(slot, decoders: &decoders)
        let pcm = samples.map { Int16((max(-1, min(1, $0 * slot.gain)) * 32_767).rounded()) }
        let delay = deviceDelay()
        let queueEnd = RealtimeClock.now() + delay
        // An idle (or unpaced) device plays a sample when it is written: write at the instant. A card still
        // playing plays it when its queue ends: write ahead, within the lead.
        let target = delay == 0 || queueEnd < slot.time - 2_000 ? slot.time : slot.time - Self.maximumLead
        RealtimeClock.sleep(until: target - RealtimeClock.spinMicroseconds)
        guard locked({ schedule.isLive(slot.session) && !stopRequested }) else { return }
        RealtimeClock.sleep(until: target)
        let handedAt = RealtimeClock.now()
        do {
            try device.write(pcm)
        } catch {
            logger.error("receiver.audio.write-failed", metadata: ["alsa.error": "\(error)"])
            locked { lastError = "ALSA: \(error)" }
            Thread.sleep(forTimeInterval: 0.1)  // a broken device must not spin the thread
            return
        }
        let presented = delay == 0 ? handedAt : max(handedAt, queueEnd)
        if let mark = slot.mark {
            notices.yield(
                .journal(
                    PlayoutJournalEntry(
                        player: player,
                        session: slot.session,
                        sequence: mark.sequence,
                        due: mark.due,
                        presented: presented
                    )
                )
            )
        }
        notices.emit(locked { schedule.presented(slot, at: presented) })
    }

    private func decode(_ slot: PlayoutSlot, decoders: inout [SessionID: OpusDecoder]) -> [Float] {
        do {
            let decoder = try decoders[slot.session] ?? OpusDecoder()
            decoders[slot.session] = decoder
            var samples = try slot.packet.map { try decoder.decode($0) } ?? decoder.conceal(samples: slot.samples)
            // A packet of another length than announced would shift the timeline: keep the slot's length.
            if samples.count != slot.samples {
                samples =
                    Array(samples.prefix(slot.samples))
                    + [Float](repeating: 0, count: max(0, slot.samples - samples.count))
            }
            return samples
        } catch {
            locked { lastError = "Opus: \(error)" }
            logger.warning(
                "receiver.audio.undecodable",
                metadata: ["session.id": "\(slot.session)", "error": "\(error)"]
            )
            return [Float](repeating: 0, count: slot.samples)
        }
    }

    /// Asks for `SCHED_FIFO` on the playout thread, so a busy machine cannot delay a hand-off by a
    /// scheduler tick (on a loaded 2-core machine that is the difference between a p99 of ~0.1 ms and of
    /// several ms). Needs root or `CAP_SYS_NICE` (`AmbientCapabilities=CAP_SYS_NICE` in a systemd unit); without
    /// it the thread stays at normal priority and says so at debug level. The thread sleeps between packets
    /// and spins at most ``RealtimeClock/spinMicroseconds`` each, so it takes little from everything else.
    private static func requestRealtimePriority(logger: Logger) {
        var parameters = sched_param()
        parameters.sched_priority = 10
        let result = pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameters)
        if result != 0 {
            logger.debug(
                "receiver.playout.normal-priority",
                metadata: ["error": "\(String(cString: strerror(result)))"]
            )
        }
    }

    /// The device's delay in µs: frames queued ahead of a sample written now. 0 for `file` and `null`.
    private func deviceDelay() -> Int64 {
        let frames = (try? device.delay()) ?? 0
        return Int64(max(0, frames)) * 1_000_000 / Int64(device.format.sampleRate)
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        condition.lock()
        defer { condition.unlock() }
        return try body()
    }
}
