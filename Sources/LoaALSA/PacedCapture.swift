import LoaCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The station's microphone or mixer line-in, read in 20 ms blocks of 48 kHz mono, each stamped with the
/// wall-clock instant its first sample entered the device: what a live session streams.
///
/// ## Why it keeps its own timeline
/// A card's `snd_pcm_readi` blocks until a period is captured, so the card's clock paces the reads; ALSA's
/// `file` (with `infile`) and `null` PCMs do not: they return at once. So the capture paces itself: block `n`
/// starts at `t0 + n × 20 ms`, `t0` being the first block's capture instant (the read's return − the
/// device's delay − one block), and it is read no earlier than its end on that timeline (a real sleep,
/// `clock_nanosleep`). A device faster than real time is slowed to it; a card is read as its periods arrive.
/// The stamps never jitter, so the stream built on them has evenly spaced presentation times.
///
/// ## Drift
/// A card's clock drifts from the wall clock (±100 ppm is 0.36 s an hour). Each block's real capture instant
/// (read time − delay) is measured against its timeline instant, and ``CaptureDrift`` decides: when the card
/// lags by more than a block, the timeline skips one index (the consumer sees a 40 ms step and conceals the
/// hole); when it runs ahead by more than a block, one block of audio is dropped. ``statistics`` counts both,
/// and the overruns, which are recovered (`snd_pcm_recover`) and never fatal.
///
/// ## Threads
/// ``read()`` belongs to one thread, a dedicated one (it blocks for up to a block). ``close()`` and
/// ``statistics`` may be called from any thread: the state sits in a `Mutex`, the `PCMDevice` is `Sendable`.
/// ``close()`` never waits for a read: when one is in progress, the reading thread closes the device as it
/// returns (a card that stopped delivering would otherwise hold `close()` for ever).
public final class PacedCapture: Sendable {
    /// Frames in one block: 20 ms at 48 kHz.
    public static let blockFrames = StreamFormat.samplesPerPacket

    /// µs one block lasts.
    public static let blockDuration = StreamFormat.packetMicroseconds

    /// The capture PCM's name, e.g. `hw:1` or `dsnoop:CARD=USB`.
    public let device: String

    private let pcm: PCMDevice
    private let clock: @Sendable () -> Int64

    private struct State: Sendable {
        var closed = false
        var reading = false
        /// The first block's capture instant, once read.
        var origin: Int64?
        /// The timeline index of the next block.
        var index: Int64 = 0
        var drift = CaptureDrift(blockDuration: PacedCapture.blockDuration)
        var statistics = CaptureStatistics()
    }

    private let state = Mutex(State())

    /// The ring buffer alsa-lib is asked for: a reader late by up to ~80 ms loses nothing.
    static let latency: Duration = .milliseconds(100)

    /// Opens the capture PCM `device` in 48 kHz mono `S16_LE`.
    ///
    /// - Parameters:
    ///   - configuration: Extra ALSA configuration text for this open only, as for ``PCMDevice``: e.g. a
    ///     `file` PCM with `infile` for tests.
    ///   - clock: Wall-clock µs since 1970; the stamps and the pacing follow it.
    /// - Throws: ``ALSAError`` naming the device and what to do about it.
    public init(
        device: String,
        configuration: String? = nil,
        clock: @escaping @Sendable () -> Int64 = { SystemWallClock().nowMicroseconds() }
    ) throws(ALSAError) {
        do {
            pcm = try PCMDevice.open(
                name: device,
                stream: .capture,
                format: .mono48k,
                latency: Self.latency,
                configuration: configuration
            )
        } catch {
            throw ALSAError(
                code: error.code,
                operation: "\(error.operation) (\(Self.openHint(error.code)))",
                device: device
            )
        }
        self.device = device
        self.clock = clock
    }

    deinit { pcm.close() }

    /// Blocks until the next 20 ms block (``blockFrames`` samples) is captured, and returns it; nil once
    /// ``close()`` was called.
    ///
    /// - Throws: ``ALSAError`` when the device fails other than by an overrun (it was unplugged, say).
    public func read() throws(ALSAError) -> CapturedBlock? {
        let started = state.withLock { state in
            precondition(!state.reading, "PacedCapture.read() called from two threads at once")
            state.reading = !state.closed
            return state.reading
        }
        guard started else { return nil }
        defer {
            let mustClose = state.withLock { state in
                state.reading = false
                return state.closed
            }
            if mustClose { pcm.close() }
        }
        var frames = [Int16](repeating: 0, count: Self.blockFrames)
        while true {
            if let end = nextBlockEnd { sleep(until: end) }
            if isClosed { return nil }
            do {
                try frames.withUnsafeMutableBufferPointer { (buffer) throws(ALSAError) in
                    _ = try pcm.read(into: buffer)
                }
            } catch {
                if isClosed { return nil }
                throw ALSAError(code: error.code, operation: Self.readOperation(error), device: device)
            }
            let delay = Int64(max(0, (try? pcm.delay()) ?? 0))
            let now = clock()
            let captured = now - (delay + Int64(Self.blockFrames)) * 1_000_000 / Int64(PCMFormat.mono48k.sampleRate)
            let overruns = pcm.overruns
            let stamp = state.withLock { state -> Int64? in
                state.statistics.overruns = overruns
                let origin = state.origin ?? captured
                state.origin = origin
                let timeline = origin + state.index * Self.blockDuration
                switch state.drift.correction(timeline: timeline, captured: captured) {
                case .none:
                    break
                case .skip(let blocks):
                    state.index += Int64(blocks)
                    state.statistics.insertedBlocks += blocks
                case .drop:
                    state.statistics.droppedBlocks += 1
                    return nil
                }
                defer {
                    state.index += 1
                    state.statistics.blocks += 1
                }
                return origin + state.index * Self.blockDuration
            }
            guard let stamp else { continue }
            return CapturedBlock(samples: frames.map { Float($0) / 32_768 }, capturedAt: stamp)
        }
    }

    /// Stops the capture: ``read()`` returns nil from now on, and the device is closed (by the reading thread
    /// when a read is in progress). Closing again does nothing; `deinit` closes too.
    public func close() {
        let idle = state.withLock { state in
            state.closed = true
            return !state.reading
        }
        if idle { pcm.close() }
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool { state.withLock { $0.closed } }

    /// What the capture has counted since it was opened.
    public var statistics: CaptureStatistics { state.withLock { $0.statistics } }

    /// Where the next block ends on the timeline: no earlier can it be whole. Nil before the first block.
    private var nextBlockEnd: Int64? {
        state.withLock { state in state.origin.map { $0 + (state.index + 1) * Self.blockDuration } }
    }

    /// Sleeps until the clock reads `target` µs: one relative `clock_nanosleep`, so an injected clock works.
    private func sleep(until target: Int64) {
        let remaining = target - clock()
        guard remaining > 0 else { return }
        var request = timespec(tv_sec: Int(remaining / 1_000_000), tv_nsec: Int(remaining % 1_000_000) * 1_000)
        var left = timespec()
        while clock_nanosleep(CLOCK_MONOTONIC, 0, &request, &left) == EINTR { request = left }
    }

    /// What to do when the capture PCM cannot be opened, by alsa-lib's code.
    static func openHint(_ code: Int32) -> String {
        switch code {
        case -EBUSY:
            "another program is capturing from it: stop it, or share the card through a dsnoop PCM"
        case -EINVAL:
            "it refuses 48 kHz mono S16_LE: use a plug PCM, e.g. plug:hw:1"
        default:
            "set live-device to an ALSA capture PCM that `arecord -L` lists"
        }
    }

    /// The failed read, with what to do when the device is gone.
    static func readOperation(_ error: ALSAError) -> String {
        switch error.code {
        case -ENODEV, -EBADFD, -EIO:
            "\(error.operation) (the capture device is gone: reconnect it, or set live-device to another PCM)"
        default:
            error.operation
        }
    }
}
