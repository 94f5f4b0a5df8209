import LoaCore

#if canImport(Glibc)
import Glibc
#endif

/// What a file says about itself: format, rate, channels, length.
public struct AudioSourceInfo: Sendable, Hashable {
    public var format: AudioFileFormat
    public var sampleRate: Int
    public var channels: Int
    /// Frames per channel, as the header (or libsndfile's scan) reports them.
    public var frames: Int64

    public var durationSeconds: Double { Double(frames) / Double(sampleRate) }
}

/// A decoded file: what it was, and its audio as mono at the stream rate.
public struct DecodedAudio: Sendable {
    public var source: AudioSourceInfo
    /// Mono (channels averaged) at ``AudioDecoder/sampleRate``.
    public var clip: AudioClip
}

/// Decodes WAV, MP3, FLAC, Ogg/Vorbis and Ogg/Opus with libsndfile, downmixes to mono and resamples with
/// libsamplerate, streaming in chunks so only the mono result is held in memory.
///
/// Every failure is an ``AudioFileError`` naming the file: an empty file, bytes that are no audio format, a file
/// that ends before its header says (an MP3 whose Xing/LAME header counts more frames than decode), and a file
/// over ``maximumSeconds`` (refused from its header, before decoding, and again while decoding in case the header
/// lies).
public struct AudioDecoder: Sendable {
    /// The output rate (48 kHz, the stream rate).
    public var sampleRate: Int
    /// The converter (``ResamplerQuality/sincFastest`` unless a caller needs the top few kHz of a low-rate source).
    public var quality: ResamplerQuality
    /// The longest file accepted, in seconds; `nil` for no limit.
    public var maximumSeconds: Double?

    public init(
        sampleRate: Int = AudioClip.streamSampleRate,
        quality: ResamplerQuality = .sincFastest,
        maximumSeconds: Double? = nil
    ) {
        self.sampleRate = sampleRate
        self.quality = quality
        self.maximumSeconds = maximumSeconds
    }

    /// Frames an MP3 decoder may legitimately deliver fewer than the header counts (two MPEG frames).
    static let mpegSlack: Int64 = 2 * 1152

    /// Opens `path` and reports its format, rate, channels and length without decoding.
    /// `name` is how errors refer to the file (default: the path's last component).
    public func probe(_ path: String, name: String? = nil) throws(AudioFileError) -> AudioSourceInfo {
        try open(path, name: name ?? Self.lastComponent(path)).1
    }

    /// Decodes `path` to mono at ``sampleRate``, reporting to `progress` (and stopping when it is cancelled).
    public func decode(
        _ path: String,
        name: String? = nil,
        progress: ImportProgress? = nil
    ) throws(AudioFileError) -> DecodedAudio {
        var output: [Float] = []
        let info = try stream(
            path,
            name: name,
            progress: progress,
            starting: { output.reserveCapacity($0) },
            { output.append(contentsOf: $0) }
        )
        return DecodedAudio(source: info, clip: AudioClip(sampleRate: sampleRate, samples: output))
    }

    /// Samples the converter's output is held back by, so its length can still be trimmed when the input ends.
    static let trimReserve = 8192

    /// Decodes `path` to mono at ``sampleRate`` chunk by chunk, handing each to `body` and holding nothing else:
    /// the same samples as ``decode(_:name:progress:)``, for an import that must not hold a whole programme.
    /// `starting` learns about how many samples will come, once the header is read. Returns what the header
    /// says the file is.
    public func stream(
        _ path: String,
        name: String? = nil,
        progress: ImportProgress? = nil,
        starting: (Int) -> Void = { _ in },
        _ body: ([Float]) throws(AudioFileError) -> Void
    ) throws(AudioFileError) -> AudioSourceInfo {
        let name = name ?? Self.lastComponent(path)
        let (handle, info) = try open(path, name: name)
        let resampler: Resampler
        do throws(SampleRateError) {
            resampler = try Resampler(from: info.sampleRate, to: sampleRate, quality: quality)
        } catch {
            throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
        }
        starting(Int(Double(info.frames) * resampler.ratio) + 4096)
        var mono: [Float] = []
        var pending: [Float] = []
        var emitted = 0
        var decoded: Int64 = 0
        let hardLimit = maximumSeconds.map { Int64(($0 + 1) * Double(info.sampleRate)) }
        try readChunks(handle, name: name) { (chunk, frames) throws(AudioFileError) in
            try progress?.check(name)
            decoded += Int64(frames)
            progress?.report(.decoding, Double(decoded) / Double(info.frames))
            if let hardLimit, decoded > hardLimit {
                throw tooLong(name, seconds: Double(decoded) / Double(info.sampleRate), more: true)
            }
            Self.downmix(chunk, frames: frames, channels: info.channels, into: &mono)
            do throws(SampleRateError) {
                try resampler.process(mono, into: &pending)
            } catch {
                throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
            }
            if pending.count > 2 * Self.trimReserve {
                let ready = pending.count - Self.trimReserve
                try body(Array(pending[..<ready]))
                emitted += ready
                pending.removeFirst(ready)
            }
        }
        do throws(SampleRateError) {
            try resampler.finish(into: &pending)
        } catch {
            throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
        }
        let slack = info.format.isMPEG ? Self.mpegSlack : Int64(info.sampleRate / 100)
        if decoded == 0 || decoded + slack < info.frames {
            throw AudioFileError(
                file: name,
                problem: .truncated,
                detail: "the header promises \(Self.seconds(Double(info.frames) / Double(info.sampleRate))) but only "
                    + "\(Self.seconds(Double(decoded) / Double(info.sampleRate))) decode"
            )
        }
        // The converter's output length is the input length times the ratio, give or take a sample.
        let expected = Int((Double(decoded) * resampler.ratio).rounded())
        if emitted + pending.count > expected {
            pending.removeLast(min(pending.count, emitted + pending.count - expected))
        }
        if !pending.isEmpty { try body(pending) }
        return info
    }

    /// Streams the file's interleaved frames at its own rate, in chunks, to `body` (used by `AudioCheck`, which
    /// measures the file as it is).
    func readInterleaved(
        _ path: String,
        name: String,
        _ body: ([Float], Int) throws(AudioFileError) -> Void
    ) throws(AudioFileError) -> AudioSourceInfo {
        let (handle, info) = try open(path, name: name)
        var decoded: Int64 = 0
        try readChunks(handle, name: name) { (chunk, frames) throws(AudioFileError) in
            decoded += Int64(frames)
            try body(chunk, frames)
        }
        let slack = info.format.isMPEG ? Self.mpegSlack : Int64(info.sampleRate / 100)
        if decoded == 0 || decoded + slack < info.frames {
            throw AudioFileError(
                file: name,
                problem: .truncated,
                detail: "the header promises \(Self.seconds(Double(info.frames) / Double(info.sampleRate))) but only "
                    + "\(Self.seconds(Double(decoded) / Double(info.sampleRate))) decode"
            )
        }
        var measured = info
        measured.frames = decoded
        return measured
    }

    // MARK: - Opening and reading

    private func open(_ path: String, name: String) throws(AudioFileError) -> (SndFile, AudioSourceInfo) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            throw AudioFileError(file: name, problem: .unreadable, detail: String(cString: strerror(code)), code: code)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw AudioFileError(file: name, problem: .unreadable, detail: "not a regular file")
        }
        guard status.st_size > 0 else {
            throw AudioFileError(file: name, problem: .empty, detail: "the file has 0 bytes")
        }
        let handle: SndFile
        do throws(SndFileError) {
            handle = try SndFile(readingFrom: path)
        } catch {
            let problem: AudioFileError.Problem = error.code == 2 ? .unreadable : .notAudio  // SF_ERR_SYSTEM
            throw AudioFileError(
                file: name,
                problem: problem,
                detail: "not a WAV, MP3, FLAC, Ogg/Vorbis or Ogg/Opus file (libsndfile: \(error.message))",
                code: error.code
            )
        }
        guard handle.sampleRate > 0, handle.channels > 0 else {
            throw AudioFileError(file: name, problem: .notAudio, detail: "the header has no sample rate or channels")
        }
        let info = AudioSourceInfo(
            format: handle.format,
            sampleRate: handle.sampleRate,
            channels: handle.channels,
            frames: handle.frames
        )
        guard info.frames > 0 else {
            throw AudioFileError(file: name, problem: .truncated, detail: "\(info.format) with no audio frames")
        }
        if let maximumSeconds, info.durationSeconds > maximumSeconds {
            throw tooLong(name, seconds: info.durationSeconds, more: false)
        }
        return (handle, info)
    }

    private func readChunks(
        _ handle: SndFile,
        name: String,
        _ body: ([Float], Int) throws(AudioFileError) -> Void
    ) throws(AudioFileError) {
        let chunkFrames = 8192
        var buffer = [Float](repeating: 0, count: chunkFrames * handle.channels)
        while true {
            let frames: Int
            do throws(SndFileError) {
                frames = try handle.readFrames(into: &buffer, frames: chunkFrames)
            } catch {
                throw AudioFileError(file: name, problem: .unreadable, detail: error.description, code: error.code)
            }
            if frames == 0 { return }
            try body(buffer, frames)
        }
    }

    private func tooLong(_ name: String, seconds: Double, more: Bool) -> AudioFileError {
        let limit = maximumSeconds ?? 0
        return AudioFileError(
            file: name,
            problem: .tooLong,
            detail:
                "\(more ? "more than " : "")\(Self.seconds(seconds)) long; this site allows at most \(Self.seconds(limit))"
        )
    }

    /// Averages interleaved channels into `mono` (replacing its contents).
    static func downmix(_ interleaved: [Float], frames: Int, channels: Int, into mono: inout [Float]) {
        mono.removeAll(keepingCapacity: true)
        if channels == 1 {
            mono.append(contentsOf: interleaved[0..<frames])
            return
        }
        let scale = 1 / Float(channels)
        for frame in 0..<frames {
            var sum: Float = 0
            let base = frame * channels
            for channel in 0..<channels { sum += interleaved[base + channel] }
            mono.append(sum * scale)
        }
    }

    static func lastComponent(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// "4.1 s", "12 min 3 s", "6 h 0 min".
    static func seconds(_ value: Double) -> String {
        if value < 60 { return "\((value * 10).rounded() / 10) s" }
        let total = Int(value.rounded())
        if total < 3600 { return "\(total / 60) min \(total % 60) s" }
        return "\(total / 3600) h \((total % 3600) / 60) min"
    }
}
