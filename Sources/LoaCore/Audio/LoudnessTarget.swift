/// Where every asset's loudness is brought: an integrated loudness (EBU R128) under a true-peak ceiling.
public struct LoudnessTarget: Codable, Sendable, Hashable {
    /// Integrated loudness in LUFS (default −16, the common target for speech on loudspeakers and streams).
    public var integratedLUFS: Double
    /// The highest true peak allowed after normalisation, in dBTP (default −1).
    public var truePeakCeilingDBTP: Double

    public init(integratedLUFS: Double = -16, truePeakCeilingDBTP: Double = -1) {
        self.integratedLUFS = integratedLUFS
        self.truePeakCeilingDBTP = truePeakCeilingDBTP
    }

    public static let `default` = LoudnessTarget()
}

/// Loudness as measured by an EBU R128 meter.
public struct LoudnessMeasurement: Codable, Sendable, Hashable {
    /// Integrated loudness in LUFS; `nil` when the audio is silent or too short to gate (no 400 ms block
    /// above −70 LUFS).
    public var integratedLUFS: Double?
    /// The true peak (4× oversampled) in dBTP; `nil` for digital silence.
    public var truePeakDBTP: Double?

    public init(integratedLUFS: Double?, truePeakDBTP: Double?) {
        self.integratedLUFS = integratedLUFS
        self.truePeakDBTP = truePeakDBTP
    }
}
