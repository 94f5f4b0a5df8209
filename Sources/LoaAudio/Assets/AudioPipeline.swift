import LoaCore

/// Audio made ready for the receivers: normalised 48 kHz mono, its WAV bytes and its Opus packets.
public struct PreparedAudio: Sendable {
    /// What the input was (for a clip that did not come from a file: `format` is the origin, e.g. `TTS`).
    public var source: AudioAssetMetadata.Source
    public var normalized: NormalizedAudio
    /// ``normalized``'s clip as a 16-bit WAV file.
    public var wav: [UInt8]
    public var opus: OpusStream
    public var opusProfile: OpusProfile
}

/// decode → downmix → resample (48 kHz) → loudness-normalise → Opus-encode: everything an import does before
/// storing.
public struct AudioPipeline: Sendable {
    public var decoder: AudioDecoder
    public var normalizer: LoudnessNormalizer
    public var opusProfile: OpusProfile

    public init(
        decoder: AudioDecoder = AudioDecoder(),
        normalizer: LoudnessNormalizer = LoudnessNormalizer(),
        opusProfile: OpusProfile = .speech
    ) {
        self.decoder = decoder
        self.normalizer = normalizer
        self.opusProfile = opusProfile
    }

    /// Runs the whole pipeline on a file; errors name the file as `name`. `progress` follows it and can stop it.
    public func prepare(
        file path: String,
        name: String,
        progress: ImportProgress? = nil
    ) throws(AudioFileError) -> PreparedAudio {
        let decoded = try decoder.decode(path, name: name, progress: progress)
        let source = AudioAssetMetadata.Source(
            format: decoded.source.format.description,
            durationSeconds: decoded.source.durationSeconds,
            sampleRate: decoded.source.sampleRate,
            channels: decoded.source.channels
        )
        return try prepare(decoded.clip, source: source, name: name, progress: progress)
    }

    /// Runs normalisation and encoding on audio already in memory (TTS output, a chime-framed item).
    public func prepare(
        _ clip: AudioClip,
        source: AudioAssetMetadata.Source,
        name: String,
        progress: ImportProgress? = nil
    ) throws(AudioFileError)
        -> PreparedAudio
    {
        try progress?.check(name)
        progress?.report(.normalising, 0)
        var input = clip
        if input.sampleRate != AudioClip.streamSampleRate {
            input = try resample(clip, name: name)
        }
        let normalized: NormalizedAudio
        do throws(EBUR128Error) {
            normalized = try normalizer.normalize(input, continuing: { progress?.isCancelled != true })
        } catch {
            throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
        }
        try progress?.check(name)
        progress?.report(.encoding, 0)
        let opus: OpusStream
        do throws(OpusError) {
            opus = try OpusEncoder(profile: opusProfile).encode(normalized.clip, progress: progress)
        } catch {
            throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
        }
        try progress?.check(name)
        progress?.report(.storing, 0)
        return PreparedAudio(
            source: source,
            normalized: normalized,
            wav: WAVFile.encode(normalized.clip),
            opus: opus,
            opusProfile: opusProfile
        )
    }

    private func resample(_ clip: AudioClip, name: String) throws(AudioFileError) -> AudioClip {
        do throws(SampleRateError) {
            let resampler = try Resampler(
                from: clip.sampleRate,
                to: AudioClip.streamSampleRate,
                quality: decoder.quality
            )
            var output: [Float] = []
            try resampler.process(clip.samples, into: &output)
            try resampler.finish(into: &output)
            let expected = Int((Double(clip.frameCount) * resampler.ratio).rounded())
            if output.count > expected { output.removeLast(output.count - expected) }
            return AudioClip(sampleRate: AudioClip.streamSampleRate, samples: output)
        } catch {
            throw AudioFileError(file: name, problem: .processing, detail: error.description, code: error.code)
        }
    }
}
