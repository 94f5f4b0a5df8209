internal import CALSA
import Synchronization

/// An opened ALSA PCM, set up for interleaved `S16_LE` frames in one ``PCMFormat``.
///
/// ## Why a `Sendable` class
/// The handle must be closed exactly once, also when the owner forgets (`deinit`), and it is handed from the
/// code that opens it to the thread that writes it (the playout engine's, LoaReceiver's `PacedOutput`). A
/// non-copyable struct could do the former but not be shared with a watchdog that reads ``delay()`` or
/// ``underruns``. So this is a final class whose only mutable state (the `snd_pcm_t *` and the counters) sits
/// in a `Mutex`: every C call on the handle runs under that lock, so ``close()`` can never free the handle
/// under a running `snd_pcm_writei`. The compiler checks the `Sendable` conformance; the only `@unchecked` is
/// a private wrapper that lets the raw pointer live inside that `Mutex`.
///
/// Transfers hold the lock for at most one period per C call, so another thread asking for ``delay()``
/// waits at most one period. Blocking calls (``write(_:)-(UnsafeBufferPointer<Int16>)``, ``read(into:)``,
/// ``drain()``) belong on a dedicated thread, never on the Swift concurrency pool.
public final class PCMDevice: Sendable {
    /// The PCM name it was opened with, e.g. `default` or `file:'/tmp/out.wav',wav`.
    public let name: String

    /// Playback or capture.
    public let stream: PCMStream

    /// The sample rate and channel count the PCM was set up for.
    public let format: PCMFormat

    /// Frames per period: the most one `snd_pcm_writei` / `snd_pcm_readi` call moves.
    public let periodFrames: Int

    /// Frames in the ring buffer.
    public let bufferFrames: Int

    /// A C pointer that may cross threads: it is only dereferenced by alsa-lib under ``state``'s lock.
    private struct CPointer: @unchecked Sendable {
        let raw: OpaquePointer
    }

    private struct State: Sendable {
        var handle: CPointer?
        /// The private configuration tree the PCM was opened from, if any; freed after `snd_pcm_close`.
        var localConfiguration: CPointer?
        var underruns = 0
        var overruns = 0
        var framesWritten = 0
        var framesRead = 0
    }

    private let state: Mutex<State>

    private init(
        name: String,
        stream: PCMStream,
        format: PCMFormat,
        handle: OpaquePointer,
        localConfiguration: OpaquePointer?,
        periodFrames: Int,
        bufferFrames: Int
    ) {
        self.name = name
        self.stream = stream
        self.format = format
        self.periodFrames = periodFrames
        self.bufferFrames = bufferFrames
        self.state = Mutex(
            State(handle: CPointer(raw: handle), localConfiguration: localConfiguration.map(CPointer.init(raw:)))
        )
    }

    deinit { close() }

    // MARK: Opening

    /// Opens the PCM `name` and sets it up for interleaved `S16_LE` frames in `format`, allowing alsa-lib's
    /// software resampler, with a ring buffer of about `latency`.
    ///
    /// - Parameters:
    ///   - configuration: Extra ALSA configuration text merged over a private copy of the system
    ///     configuration for this open only, e.g.
    ///     `pcm.cap { type file slave.pcm null file "/dev/null" infile "/tmp/x.raw" format raw }`.
    ///     Global files, the environment and other opens are not affected.
    /// - Throws: ``ALSAError`` naming the device, e.g. for an unknown PCM or a format it refuses.
    ///
    /// The corresponding C functions are `snd_pcm_open` (or `snd_pcm_open_lconf`) and `snd_pcm_set_params`.
    public static func open(
        name: String,
        stream: PCMStream,
        format: PCMFormat,
        latency: Duration = .milliseconds(100),
        configuration: String? = nil
    ) throws(ALSAError) -> PCMDevice {
        let latencyMicroseconds =
            latency.components.seconds * 1_000_000
            + latency.components.attoseconds / 1_000_000_000_000
        precondition(latencyMicroseconds > 0 && latencyMicroseconds <= Int64(UInt32.max), "latency out of range")

        var local: OpaquePointer? = nil
        if let configuration {
            local = try makeLocalConfiguration(configuration, device: name)
        }
        var handle: OpaquePointer? = nil
        do throws(ALSAError) {
            let opened =
                if let local {
                    snd_pcm_open_lconf(&handle, name, stream.cValue, 0, local)
                } else {
                    snd_pcm_open(&handle, name, stream.cValue, 0)
                }
            try ALSACall.check(opened, "open for \(stream)", device: name)
            guard let handle else { throw ALSAError(code: -ENODEV, operation: "open for \(stream)", device: name) }
            do throws(ALSAError) {
                try ALSACall.check(
                    snd_pcm_set_params(
                        handle,
                        SND_PCM_FORMAT_S16_LE,
                        SND_PCM_ACCESS_RW_INTERLEAVED,
                        UInt32(format.channels),
                        UInt32(format.sampleRate),
                        1,
                        UInt32(latencyMicroseconds)
                    ),
                    "set up \(format) interleaved",
                    device: name
                )
                var buffer: snd_pcm_uframes_t = 0
                var period: snd_pcm_uframes_t = 0
                try ALSACall.check(snd_pcm_get_params(handle, &buffer, &period), "read back parameters", device: name)
                return PCMDevice(
                    name: name,
                    stream: stream,
                    format: format,
                    handle: handle,
                    localConfiguration: local,
                    periodFrames: max(1, Int(period)),
                    bufferFrames: max(1, Int(buffer))
                )
            } catch {
                snd_pcm_close(handle)
                throw error
            }
        } catch {
            if let local { snd_config_delete(local) }
            throw error
        }
    }

    /// Copies the system configuration tree and merges `text` over the copy (the shared tree is not touched).
    ///
    /// The corresponding C functions are `snd_config_update_ref`, `snd_config_copy`, `snd_config_load_string`
    /// and `snd_config_merge`.
    private static func makeLocalConfiguration(_ text: String, device: String) throws(ALSAError) -> OpaquePointer {
        var top: OpaquePointer? = nil
        try ALSACall.check(snd_config_update_ref(&top), "load the system configuration", device: device)
        var copy: OpaquePointer? = nil
        let copied = snd_config_copy(&copy, top)
        snd_config_unref(top)
        try ALSACall.check(copied, "copy the system configuration", device: device)
        guard let copy else {
            throw ALSAError(code: -ENOMEM, operation: "copy the system configuration", device: device)
        }

        var extra: OpaquePointer? = nil
        let loaded = text.withCString { snd_config_load_string(&extra, $0, text.utf8.count) }
        do throws(ALSAError) {
            try ALSACall.check(loaded, "parse the extra configuration", device: device)
            // override = 0: compounds such as `pcm` are merged member by member, so the system's PCMs stay.
            // On success the merge consumes `extra`.
            let merged = snd_config_merge(copy, extra, 0)
            if merged < 0, let extra { snd_config_delete(extra) }
            try ALSACall.check(merged, "merge the extra configuration", device: device)
            return copy
        } catch {
            snd_config_delete(copy)
            throw error
        }
    }

    // MARK: Transfers

    /// Writes all of `samples` (interleaved, `samples.count` a multiple of ``PCMFormat/channels``), looping
    /// over short writes one period at a time and recovering from underruns, which ``underruns`` counts.
    ///
    /// Blocks while the ring buffer is full. Returns the number of frames written.
    ///
    /// The corresponding C function is `snd_pcm_writei`.
    @discardableResult
    public func write(_ samples: UnsafeBufferPointer<Int16>) throws(ALSAError) -> Int {
        precondition(stream == .playback, "write on a capture PCM")
        precondition(samples.count % format.channels == 0, "sample count is not a whole number of frames")
        guard let base = samples.baseAddress else { return 0 }
        return try transferFrames(samples.count / format.channels, "write") {
            (handle, offset, count, state) throws(ALSAError) in
            let moved = try ALSACall.transfer(handle, device: name, operation: "write", xruns: &state.underruns) {
                snd_pcm_writei(handle, base + offset, snd_pcm_uframes_t(count))
            }
            state.framesWritten += moved
            return moved
        }
    }

    /// Writes all of `samples`; see ``write(_:)-(UnsafeBufferPointer<Int16>)``.
    ///
    /// The corresponding C function is `snd_pcm_writei`.
    @discardableResult
    public func write(_ samples: [Int16]) throws(ALSAError) -> Int {
        try samples.withUnsafeBufferPointer { (buffer) throws(ALSAError) in try write(buffer) }
    }

    /// Fills `buffer` with captured interleaved frames (`buffer.count` a multiple of ``PCMFormat/channels``),
    /// reading at most one period per C call and recovering from overruns, which ``overruns`` counts.
    ///
    /// Blocks until the buffer is full. Returns the number of frames read.
    ///
    /// The corresponding C function is `snd_pcm_readi`.
    @discardableResult
    public func read(into buffer: UnsafeMutableBufferPointer<Int16>) throws(ALSAError) -> Int {
        precondition(stream == .capture, "read on a playback PCM")
        precondition(buffer.count % format.channels == 0, "buffer is not a whole number of frames")
        guard let base = buffer.baseAddress else { return 0 }
        return try transferFrames(buffer.count / format.channels, "read") {
            (handle, offset, count, state) throws(ALSAError) in
            let moved = try ALSACall.transfer(handle, device: name, operation: "read", xruns: &state.overruns) {
                snd_pcm_readi(handle, base + offset, snd_pcm_uframes_t(count))
            }
            state.framesRead += moved
            return moved
        }
    }

    /// Captures `frameCount` frames and returns them interleaved (`frameCount * channels` samples).
    ///
    /// The corresponding C function is `snd_pcm_readi`.
    public func read(frameCount: Int) throws(ALSAError) -> [Int16] {
        precondition(frameCount >= 0, "negative frame count")
        var samples = [Int16](repeating: 0, count: frameCount * format.channels)
        try samples.withUnsafeMutableBufferPointer { (buffer) throws(ALSAError) in _ = try read(into: buffer) }
        return samples
    }

    // MARK: State

    /// Frames between what the application last wrote and what is audible now (playback), or between
    /// what was captured and what the application reads next (capture).
    ///
    /// The corresponding C function is `snd_pcm_delay`.
    public func delay() throws(ALSAError) -> Int {
        try withHandle("query the delay") { (handle, _) throws(ALSAError) in
            var frames: snd_pcm_sframes_t = 0
            try ALSACall.check(snd_pcm_delay(handle, &frames), "query the delay", device: name)
            return Int(frames)
        }
    }

    /// ``delay()`` as a duration at the device's sample rate.
    ///
    /// The corresponding C function is `snd_pcm_delay`.
    public func delayDuration() throws(ALSAError) -> Duration {
        format.duration(ofFrames: try delay())
    }

    /// Blocks until every written frame has been played, then prepares the PCM for further writes.
    ///
    /// An underrun that already emptied the buffer is not an error here. The corresponding C functions are
    /// `snd_pcm_drain` and `snd_pcm_prepare`.
    public func drain() throws(ALSAError) {
        try withHandle("drain") { (handle, _) throws(ALSAError) in
            let drained = Int32(snd_pcm_drain(handle))
            if drained < 0 && drained != -EPIPE && drained != -ESTRPIPE {
                throw ALSAError(code: drained, operation: "drain", device: name)
            }
            try ALSACall.check(snd_pcm_prepare(handle), "prepare after draining", device: name)
        }
    }

    /// Stops at once, discarding frames not yet played, and prepares the PCM for further writes.
    ///
    /// The corresponding C functions are `snd_pcm_drop` and `snd_pcm_prepare`.
    public func drop() throws(ALSAError) {
        try withHandle("drop") { (handle, _) throws(ALSAError) in
            try ALSACall.check(snd_pcm_drop(handle), "drop", device: name)
            try ALSACall.check(snd_pcm_prepare(handle), "prepare after dropping", device: name)
        }
    }

    /// Closes the PCM. Frames not yet played are discarded, so call ``drain()`` first to finish them.
    /// Closing again does nothing; `deinit` closes too. A failure to close is not reported.
    ///
    /// The corresponding C function is `snd_pcm_close`.
    public func close() {
        let (handle, local) = state.withLock { state in
            defer {
                state.handle = nil
                state.localConfiguration = nil
            }
            return (state.handle, state.localConfiguration)
        }
        if let handle { snd_pcm_close(handle.raw) }
        if let local { snd_config_delete(local.raw) }
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool { state.withLock { $0.handle == nil } }

    /// Underruns (and suspends) recovered while writing, since the open.
    public var underruns: Int { state.withLock { $0.underruns } }

    /// Overruns (and suspends) recovered while reading, since the open.
    public var overruns: Int { state.withLock { $0.overruns } }

    /// Frames handed to alsa-lib since the open.
    public var framesWritten: Int { state.withLock { $0.framesWritten } }

    /// Frames received from alsa-lib since the open.
    public var framesRead: Int { state.withLock { $0.framesRead } }

    /// Runs `body` with the open handle under the lock, or throws `-EBADFD` when the PCM is closed.
    /// Moves `total` frames at most one period per C call, so a blocked transfer never holds more than a
    /// period; `move` gets the sample offset and the frame count of each call, and returns the frames moved.
    private func transferFrames(
        _ total: Int,
        _ operation: String,
        _ move: (OpaquePointer, Int, Int, inout State) throws(ALSAError) -> Int
    ) throws(ALSAError) -> Int {
        var done = 0
        while done < total {
            let count = min(total - done, periodFrames)
            let offset = done * format.channels
            done += try withHandle(operation) { (handle, state) throws(ALSAError) in
                try move(handle, offset, count, &state)
            }
        }
        return total
    }

    private func withHandle<Result>(
        _ operation: String,
        _ body: (OpaquePointer, inout State) throws(ALSAError) -> Result
    ) throws(ALSAError) -> Result {
        try state.withLock { (state) throws(ALSAError) -> Result in
            guard let handle = state.handle else {
                throw ALSAError(code: -EBADFD, operation: "\(operation) (already closed)", device: name)
            }
            return try body(handle.raw, &state)
        }
    }
}
