/// What `loa audio check FILE` reports about a file as it is, before any conversion.
public struct AudioFileInfo: Codable, Sendable, Hashable {
    /// The file's name as given (for display only).
    public var file: String
    /// The container and coding, e.g. `WAV (PCM 16-bit)`, `MP3`, `FLAC`, `Ogg/Vorbis`, `Ogg/Opus`.
    public var format: String
    public var durationSeconds: Double
    public var sampleRate: Int
    public var channels: Int
    /// Integrated loudness (EBU R128) of the file as it is, in LUFS; `nil` when silent.
    public var integratedLUFS: Double?
    /// True peak of the file as it is, in dBTP; `nil` for digital silence.
    public var truePeakDBTP: Double?

    public init(
        file: String,
        format: String,
        durationSeconds: Double,
        sampleRate: Int,
        channels: Int,
        integratedLUFS: Double?,
        truePeakDBTP: Double?
    ) {
        self.file = file
        self.format = format
        self.durationSeconds = durationSeconds
        self.sampleRate = sampleRate
        self.channels = channels
        self.integratedLUFS = integratedLUFS
        self.truePeakDBTP = truePeakDBTP
    }
}
