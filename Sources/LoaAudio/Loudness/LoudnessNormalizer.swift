import LoaCore

/// Audio brought to a ``LoudnessTarget``, with the measurements before and after.
public struct NormalizedAudio: Sendable {
    public var clip: AudioClip
    /// Measured on the input.
    public var before: LoudnessMeasurement
    /// Measured again on ``clip`` when it was limited; otherwise ``before`` moved by the gain.
    public var after: LoudnessMeasurement
    /// The gain applied before limiting, in dB.
    public var gainDB: Double
    /// Whether the true-peak limiter reduced any peak.
    public var limited: Bool
}

/// Normalises integrated loudness (EBU R128, libebur128) to a target under a true-peak ceiling.
///
/// 1. Measure integrated loudness I and true peak TP (``LoudnessMeter/measure(_:)``: one pass without
///    oversampling, then the true peak around the loud samples only).
/// 2. The gain is `target − I`. If `TP + gain` stays under the ceiling, that gain is all, and the result is not
///    measured again: a linear gain moves integrated loudness and true peak by exactly the gain (above −60 LUFS).
/// 3. Otherwise the gain alone would push peaks over the ceiling, so a look-ahead peak limiter (``PeakLimiter``:
///    3 ms attack, 80 ms release) holds samples 0.5 dB under the ceiling. Limiting takes a little loudness
///    away, so the gain is raised by what was lost (scaled by the secant slope of loudness against gain over the
///    last two passes) and the pass repeated (integrated loudness only, cheap) until it is within 0.1 LU of the
///    target; then the true peak is measured and, if an inter-sample peak still pokes over the ceiling (the limiter
///    holds sample peaks only), the limiter's threshold is lowered by the excess and the pass repeated.
/// 4. Audio too short or too quiet to gate (no integrated loudness) is only brought under the ceiling.
///
/// The result is within 0.1 LU of the target for speech and music in practice; an extreme input (e.g. a square
/// wave that would need more than 20 dB of limiting) may end further below it, and ``NormalizedAudio/after``
/// says where it landed. The true peak never ends above the ceiling.
public struct LoudnessNormalizer: Sendable {
    public var target: LoudnessTarget
    /// The most loudness may be off target when limiting is involved.
    public var tolerance: Double = 0.1
    /// Passes allowed before settling for the closest result.
    public var maximumPasses = 8

    public init(target: LoudnessTarget = .default) {
        self.target = target
    }

    /// Normalises `clip`. When `continuing` turns false (an import being cancelled), the limiter's passes stop
    /// early and the result is only fit to be thrown away.
    public func normalize(
        _ clip: AudioClip,
        continuing: () -> Bool = { true }
    ) throws(EBUR128Error) -> NormalizedAudio {
        let before = try LoudnessMeter.measure(clip)
        let ceiling = target.truePeakCeilingDBTP
        guard let truePeak = before.truePeakDBTP else {
            // Digital silence: nothing to do.
            return NormalizedAudio(clip: clip, before: before, after: before, gainDB: 0, limited: false)
        }
        guard let integrated = before.integratedLUFS else {
            // Too short or too quiet to gate: only keep it under the ceiling.
            let gain = min(0, ceiling - 0.1 - truePeak)
            return NormalizedAudio(
                clip: clip.scaled(by: Float(Decibels.gain(gain))),
                before: before,
                after: before.moved(by: gain),
                gainDB: gain,
                limited: false
            )
        }
        let gain = target.integratedLUFS - integrated
        if truePeak + gain <= ceiling - 0.05 {
            let scaled = clip.scaled(by: Float(Decibels.gain(gain)))
            // Below −60 LUFS the absolute gate (−70) can matter as much as the relative one (−10 LU): measure.
            let after =
                min(integrated, integrated + gain) > -60 ? before.moved(by: gain) : try LoudnessMeter.measure(scaled)
            return NormalizedAudio(clip: scaled, before: before, after: after, gainDB: gain, limited: false)
        }

        let limiter = PeakLimiter(sampleRate: clip.sampleRate)
        var search = LimiterSearch(target: target, tolerance: tolerance, gainDB: gain)
        for _ in 0..<maximumPasses {
            guard continuing() else {
                return NormalizedAudio(clip: clip, before: before, after: before, gainDB: 0, limited: false)
            }
            let (samples, _) = limiter.apply(clip.samples, gain: search.gain, threshold: search.threshold)
            let candidate = AudioClip(sampleRate: clip.sampleRate, samples: samples)
            let scan = try LoudnessMeter.scan(candidate)
            guard search.scanned(integratedLUFS: scan.integratedLUFS) else { continue }
            let truePeak = try LoudnessMeter.truePeak(of: candidate, samplePeak: scan.samplePeak)
            let after = LoudnessMeasurement(
                integratedLUFS: scan.integratedLUFS,
                truePeakDBTP: truePeak > 0 ? Decibels.fromAmplitude(truePeak) : nil
            )
            guard search.measured(truePeakDBTP: after.truePeakDBTP) else { continue }
            return NormalizedAudio(
                clip: candidate,
                before: before,
                after: after,
                gainDB: search.gainDB,
                limited: true
            )
        }
        // Not converged: settle for the last gain, limited at a safer threshold, scaled down if a true peak is
        // still over, and report what it measures.
        let (samples, _) = limiter.apply(clip.samples, gain: search.gain, threshold: search.settlingThreshold)
        var candidate = AudioClip(sampleRate: clip.sampleRate, samples: samples)
        var after = try LoudnessMeter.measure(candidate)
        if let scale = search.settlingScale(truePeakDBTP: after.truePeakDBTP) {
            candidate = candidate.scaled(by: scale)
            after = try LoudnessMeter.measure(candidate)
        }
        return NormalizedAudio(clip: candidate, before: before, after: after, gainDB: search.gainDB, limited: true)
    }
}

extension LoudnessMeasurement {
    /// The measurement of the same audio after a linear gain of `gainDB`: both figures move by exactly the gain, as
    /// long as the loudness stays above −60 LUFS (then the blocks that the absolute −70 LUFS gate of BS.1770 adds or
    /// drops are more than 10 LU under the relative gate, and too quiet to move it).
    func moved(by gainDB: Double) -> LoudnessMeasurement {
        LoudnessMeasurement(
            integratedLUFS: integratedLUFS.map { $0 + gainDB },
            truePeakDBTP: truePeakDBTP.map { $0 + gainDB }
        )
    }
}
