/// What Loa stores next to an imported asset: where it came from, and what normalisation did to it.
///
/// The asset's identity is ``id``: the SHA-256 (lower-case hex) of its normalised WAV file. The original name is
/// kept for display only and is never used to build a path.
public struct AudioAssetMetadata: Codable, Sendable, Hashable {
    public var id: String
    /// The name the operator gave the file (display only).
    public var originalName: String
    /// How the asset was made: `import` for a file, `tts` for synthesised speech, `chime` for a chime.
    public var origin: String
    /// The source as it was: format, duration, sample rate, channels.
    public var source: Source
    /// Loudness of the source (after the downmix to mono and the resampling to 48 kHz).
    public var loudnessBefore: LoudnessMeasurement
    /// Loudness of the stored asset, measured again after normalisation.
    public var loudnessAfter: LoudnessMeasurement
    /// The target the asset was normalised to.
    public var target: LoudnessTarget
    /// Gain applied in dB, and whether the true-peak limiter had to act.
    public var gainDB: Double
    public var limited: Bool
    /// The stored audio: 48 kHz mono, 16-bit WAV.
    public var sampleRate: Int
    public var durationSeconds: Double
    /// The Opus encoding stored beside it.
    public var opus: OpusSummary

    public struct Source: Codable, Sendable, Hashable {
        public var format: String
        public var durationSeconds: Double
        public var sampleRate: Int
        public var channels: Int

        public init(format: String, durationSeconds: Double, sampleRate: Int, channels: Int) {
            self.format = format
            self.durationSeconds = durationSeconds
            self.sampleRate = sampleRate
            self.channels = channels
        }
    }

    public struct OpusSummary: Codable, Sendable, Hashable {
        /// The profile's name (`speech` or `music`).
        public var profile: String
        public var packets: Int
        public var payloadBytes: Int
        /// Average payload bit rate in bit/s.
        public var bitRate: Double
        public var preSkip: Int

        public init(profile: String, packets: Int, payloadBytes: Int, bitRate: Double, preSkip: Int) {
            self.profile = profile
            self.packets = packets
            self.payloadBytes = payloadBytes
            self.bitRate = bitRate
            self.preSkip = preSkip
        }
    }

    public init(
        id: String,
        originalName: String,
        origin: String,
        source: Source,
        loudnessBefore: LoudnessMeasurement,
        loudnessAfter: LoudnessMeasurement,
        target: LoudnessTarget,
        gainDB: Double,
        limited: Bool,
        sampleRate: Int,
        durationSeconds: Double,
        opus: OpusSummary
    ) {
        self.id = id
        self.originalName = originalName
        self.origin = origin
        self.source = source
        self.loudnessBefore = loudnessBefore
        self.loudnessAfter = loudnessAfter
        self.target = target
        self.gainDB = gainDB
        self.limited = limited
        self.sampleRate = sampleRate
        self.durationSeconds = durationSeconds
        self.opus = opus
    }
}
