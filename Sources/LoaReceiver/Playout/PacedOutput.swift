internal import CTimex
import LoaALSA
import LoaCore
import LoaOpus
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Loa's one playout engine: plays sessions through an ALSA PCM from a dedicated thread, each 20 ms packet
/// handed to alsa-lib at its presentation time minus the device's delay. Every receiver with a device plays
/// through it, and so does the gateway's own loudspeaker line, an in-process receiver fed the very commands
/// and audio messages the receivers get, so the gateway and the receivers present every sample alike.
///
/// ## Why it paces itself
/// Receivers play in step only if every one presents each sample at the instant the controller stamped on
/// it. A sound card's clock would pace a continuous stream, but `file` and `null` PCMs take a second of audio
/// in microseconds (environment guide), and a card idles between sessions; so the thread paces from the
/// wall clock: it takes the slot 3 ms before it, decodes (or conceals) the packet into a buffer it keeps, sleeps
/// (one absolute `clock_nanosleep`, ending early by its own recent wake-up latency, ``WakeUpAllowance``, and a spin
/// of the few µs left, not 300) to `presentation time − device delay`, and writes. A card still playing the previous packet is
/// written ahead of its queue's end, so its own clock paces the stream. The instant of each write plus the delay is
/// what the playout journal records as `presented`. Between sessions it writes nothing.
///
/// ## Threads
/// The schedule is shared by the receiver's message task (which buffers audio and applies commands) and
/// this thread; every access holds `condition`'s lock, which is what makes `@unchecked Sendable` sound. The
/// Opus decoders and the PCM belong to the thread alone. Blocking calls (sleeps, writes) never run on the
/// Swift concurrency pool.
///
/// ## Liveness
/// The thread beats at least every ``idleWait`` while idle and before every slot, so a watchdog can tell a
/// stuck thread (a hung write) from an idle one with ``isAlive(within:)``.
package final class PacedOutput: AudioOutput, @unchecked Sendable {
    /// How early the thread takes a slot (decides packet or concealment, decodes) before handing it over.
    ///
    /// Not a whole packet early, though that would save a wake-up a packet (a playout thread's CPU halved here): a
    /// thread woken from a whole packet's sleep writes later, and less predictably, than from this short one.
    /// StreamingTests, gateway against receivers: p50 113–139 µs, p99 264–371 µs over four runs with receivers
    /// taking slots a packet early; p50 64–79, p99 120–136 µs with 3 ms (docs/benchmarks.md, "Receiver footprint").
    static let preparation: Int64 = 3_000
    /// The furthest ahead of its presentation time a packet is written, so a real card's ring buffer never
    /// fills and a write never blocks.
    static let maximumLead: Int64 = 40_000
    /// The longest the thread waits without a heartbeat, µs.
    static let idleWait: Int64 = 250_000
    /// How long missing audio is concealed before a session with no known end goes silent, unless told.
    package static let defaultMaximumConcealment = PlayoutSchedule.defaultMaximumConcealment
    /// How long a session with no known end may go without audio before it is given up as `stalled`.
    package static let defaultStallLimit = PlayoutSchedule.defaultStallLimit

    private let condition = ConditionLock()
    private var schedule: PlayoutSchedule
    private var stopRequested = false
    private var cutRequested = false
    private var exited = false
    private var lastError: String?
    private var heartbeat = ContinuousClock.now
    private var stallRequested = false
    /// Counts cuts and the stop, so the thread can tell, without the lock, whether one came while it slept to a
    /// slot's instant: a lock held by the message task (preempted on a busy machine) must never delay a write.
    private let interruptions = Atomic<Int>(0)
    /// How early the thread asks to be woken for a write. The thread's alone.
    private var wakeUp = WakeUpAllowance()

    private let device: PCMDevice
    private let player: String
    /// Whether a playout journal is kept: only then does a message's first write become a notice (ten fewer
    /// wake-ups a second of the task that reads them).
    private let journals: Bool
    private let notices: OutputNotices
    private let logger: Logger
    private let clock: SystemWallClock

    /// Starts the playout thread on `device`, an opened playback PCM in 48 kHz mono that it owns and closes.
    /// `player` names it in the playout journal, if `journals`.
    package init(
        device: PCMDevice,
        player: String,
        journals: Bool = true,
        volume: Int,
        maximumConcealment: Int64 = PacedOutput.defaultMaximumConcealment,
        stallLimit: Int64 = PacedOutput.defaultStallLimit,
        notices: OutputNotices,
        clock: SystemWallClock = SystemWallClock(),
        logger: Logger
    ) {
        self.clock = clock
        self.device = device
        self.player = player
        self.journals = journals
        self.schedule = PlayoutSchedule(
            volume: volume,
            maximumConcealment: maximumConcealment,
            stallLimit: stallLimit
        )
        self.notices = notices
        self.logger = logger
        DetachedThread.start(name: "loa-playout") { [self] in run() }
    }

    /// Opens the playback PCM `name` (48 kHz mono, 100 ms of latency) and starts the playout thread on it,
    /// with `name` as the logs' `alsa.device`. Blocks while alsa-lib opens the device: not on the async pool.
    package static func open(
        name: String,
        player: String,
        journals: Bool,
        volume: Int,
        maximumConcealment: Int64 = PacedOutput.defaultMaximumConcealment,
        stallLimit: Int64 = PacedOutput.defaultStallLimit,
        notices: OutputNotices,
        clock: SystemWallClock = SystemWallClock(),
        logger: Logger
    ) throws(ALSAError) -> PacedOutput {
        let device = try PCMDevice.open(name: name, stream: .playback, format: .mono48k, latency: .milliseconds(100))
        var logger = logger
        logger[metadataKey: "alsa.device"] = "\(name)"
        return PacedOutput(
            device: device,
            player: player,
            journals: journals,
            volume: volume,
            maximumConcealment: maximumConcealment,
            stallLimit: stallLimit,
            notices: notices,
            clock: clock,
            logger: logger
        )
    }

    // MARK: AudioOutput

    package func announce(_ play: ControlCommand.Play, now: Int64) {
        locked {
            schedule.announce(play, now: now)
            condition.broadcast()
        }
    }

    package func receive(_ message: AudioMessage, now: Int64) -> ReceiveOutcome {
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

    package func stop(_ target: String, now: Int64) {
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
        interruptions.add(1, ordering: .releasing)
        condition.broadcast()
    }

    package func setVolume(_ level: Int) {
        locked { schedule.volume = level }
    }

    package func advance(now: Int64) {
        locked { schedule.expire(now: now) }
    }

    package var status: OutputStatus {
        locked { OutputStatus(playing: schedule.playing, counts: schedule.counts, lastError: lastError) }
    }

    package func shutdown() {
        condition.lock()
        stopRequested = true
        interruptions.add(1, ordering: .releasing)
        stallRequested = false
        condition.broadcast()
        while !exited { condition.wait() }
        condition.unlock()
    }

    // MARK: Liveness

    /// Whether the thread is running and beat within the last `tolerance` (pick several ``idleWait``s plus the
    /// device latency).
    package func isAlive(within tolerance: Duration) -> Bool {
        locked { !exited && heartbeat.duration(to: .now) <= tolerance }
    }

    /// When the thread last showed it was alive.
    package var lastHeartbeat: ContinuousClock.Instant { locked { heartbeat } }

    /// Test hook: makes the thread stop beating and playing, as a hung write would, until it is shut down.
    package func stallForTesting() {
        locked {
            stallRequested = true
            condition.broadcast()
        }
    }

    // MARK: The thread

    private func run() {
        Self.requestRealtimePriority(logger: logger)
        var decoders: [SessionID: OpusDecoder] = [:]
        var pcm = [Int16](repeating: 0, count: 5_760)  // 120 ms, the longest Opus packet
        while true {
            condition.lock()
            while stallRequested && !stopRequested { condition.wait() }
            if stopRequested {
                condition.unlock()
                break
            }
            heartbeat = .now
            if cutRequested {
                // A stop cuts at once: what a real card still holds is dropped too.
                cutRequested = false
                condition.unlock()
                try? device.drop()
                continue
            }
            let now = clock.nowMicroseconds()
            let wake = schedule.nextSlotTime.map { $0 - min(deviceDelay(), Self.maximumLead) - Self.preparation }
            if now < wake ?? .max {
                // New audio or a command wakes the thread early, and the next slot is decided again; an idle
                // thread still wakes every `idleWait` to beat.
                let until = min(wake ?? .max, now + Self.idleWait)
                condition.wait(untilMicroseconds: until)
                condition.unlock()
                continue
            }
            let (slot, events) = schedule.takeSlot()
            for id in decoders.keys where !schedule.isLive(id) { decoders[id] = nil }
            condition.unlock()
            notices.emit(events)
            guard let slot else { continue }
            play(slot, decoders: &decoders, pcm: &pcm)
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
    /// The device's delay is read before the wait, not between the wait and the write, so nothing but an atomic
    /// load and the write itself follows the wake-up: a `file` PCM's delay query alone costs ~0.1 ms. For a card that is
    /// still playing the previous packet, the queue's end is known from that reading (the delay shrinks as
    /// the card plays), and the packet is written ahead of it, so the card never runs dry mid-session.
    private func play(_ slot: PlayoutSlot, decoders: inout [SessionID: OpusDecoder], pcm: inout [Int16]) {
        let count = render(slot, decoders: &decoders, into: &pcm)
        let delay = deviceDelay()
        let queueEnd = clock.nowMicroseconds() + delay
        // An idle (or unpaced) device plays a sample when it is written: write at the instant. A card still
        // playing plays it when its queue ends: write ahead, within the lead.
        let target = delay == 0 || queueEnd < slot.time - 2_000 ? slot.time : slot.time - Self.maximumLead
        // Whether the slot still plays is decided before the sleep, under the lock; after it only a cut or a stop
        // that came meanwhile (an atomic counter) keeps it off the device, so nothing can block the write.
        let (live, seen) = locked {
            (schedule.isLive(slot.session) && !stopRequested, interruptions.load(ordering: .acquiring))
        }
        guard live else { return }
        wakeUp.sleep(untilMicroseconds: target, on: clock)
        guard interruptions.load(ordering: .acquiring) == seen else { return }
        let handedAt = clock.nowMicroseconds()
        do {
            _ = try pcm.withUnsafeBufferPointer { (all) throws(ALSAError) in
                try device.write(UnsafeBufferPointer(rebasing: all[0..<count]))
            }
        } catch {
            logger.error("playout.write-failed", metadata: ["alsa.error": "\(error)"])
            locked { lastError = "ALSA: \(error)" }
            usleep(100_000)  // a broken device must not spin the thread
            return
        }
        let presented = delay == 0 ? handedAt : max(handedAt, queueEnd)
        if journals, let mark = slot.mark {
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

    /// Decodes (or conceals) one slot into `pcm` as 16-bit samples at the slot's gain: exactly `slot.samples` of
    /// them, as a packet of another length than announced would shift the timeline. Returns that count. Nothing
    /// is allocated on the way: this runs every 20 ms on every receiver.
    private func render(_ slot: PlayoutSlot, decoders: inout [SessionID: OpusDecoder], into pcm: inout [Int16]) -> Int {
        let count = slot.samples
        if pcm.count < count { pcm = [Int16](repeating: 0, count: count) }
        // A stall past the concealment is silence: Opus's concealment has faded out by then anyway.
        guard !slot.isSilent else { return silence(count, in: &pcm) }
        do {
            let decoder = try decoders[slot.session] ?? OpusDecoder()
            decoders[slot.session] = decoder
            let gain = slot.gain
            try decoder.withDecoded(slot.packet, concealing: count) { samples in
                pcm.withUnsafeMutableBufferPointer { out in
                    for index in 0..<count {
                        guard index < samples.count else {
                            out[index] = 0
                            continue
                        }
                        // Rounded half away from zero, as `.rounded()` does, without a libm call per sample.
                        let scaled = max(-1, min(1, samples[index] * gain)) * 32_767
                        out[index] = Int16(scaled + (scaled < 0 ? -0.5 : 0.5))
                    }
                }
            }
            return count
        } catch {
            locked { lastError = "Opus: \(error)" }
            logger.warning(
                "playout.undecodable",
                metadata: ["session.id": "\(slot.session)", "error": "\(error)"]
            )
            return silence(count, in: &pcm)
        }
    }

    private func silence(_ count: Int, in pcm: inout [Int16]) -> Int {
        pcm.withUnsafeMutableBufferPointer { UnsafeMutableBufferPointer(rebasing: $0[0..<count]).update(repeating: 0) }
        return count
    }

    /// Asks for `SCHED_FIFO` on the playout thread, so a busy machine cannot delay a hand-off by a
    /// scheduler tick (on a loaded 2-core machine that is the difference between a p99 of ~0.1 ms and of
    /// several ms). Needs root or `CAP_SYS_NICE` (`AmbientCapabilities=CAP_SYS_NICE` in a systemd unit); without
    /// it the thread stays at normal priority, with its timer slack lowered to 1 ns so its sleeps still end on
    /// time, and says so at debug level. The thread only sleeps between packets, so it takes little from
    /// everything else.
    private static func requestRealtimePriority(logger: Logger) {
        _ = loa_set_timer_slack(1)
        var parameters = sched_param()
        parameters.sched_priority = 10
        let result = pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameters)
        if result != 0 {
            logger.debug(
                "playout.normal-priority",
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
