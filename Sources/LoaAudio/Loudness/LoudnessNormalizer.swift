import LoaCore

/// Audio brought to a ``LoudnessTarget``, with the measurements before and after.
public struct NormalizedAudio: Sendable {
    public var clip: AudioClip
    /// Measured on the input.
    public var before: LoudnessMeasurement
    /// Measured again on ``clip``.
    public var after: LoudnessMeasurement
    /// The gain applied before limiting, in dB.
    public var gainDB: Double
    /// Whether the true-peak limiter reduced any peak.
    public var limited: Bool
}

/// Normalises integrated loudness (EBU R128, libebur128) to a target under a true-peak ceiling.
///
/// 1. Measure integrated loudness I and true peak TP.
/// 2. The gain is `target − I`. If `TP + gain` stays under the ceiling, that gain is all: the result measures
///    exactly on target.
/// 3. Otherwise the gain alone would push peaks over the ceiling, so a look-ahead peak limiter (``PeakLimiter``:
///    3 ms attack, 80 ms release) holds samples 0.5 dB under the ceiling. Limiting takes a little loudness
///    away, so the gain is raised by what was lost (scaled by the secant slope of loudness against gain over the
///    last two passes) and the pass repeated (integrated loudness only, cheap) until it is within 0.1 LU of the
///    target; then the true peak is measured and, if an inter-sample peak still
///    pokes over the ceiling, the limiter's threshold is lowered by the excess and the pass repeated.
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

    public func normalize(_ clip: AudioClip) throws(EBUR128Error) -> NormalizedAudio {
        let before = try LoudnessMeter.measure(clip)
        let ceiling = target.truePeakCeilingDBTP
        guard let truePeak = before.truePeakDBTP else {
            // Digital silence: nothing to do.
            return NormalizedAudio(clip: clip, before: before, after: before, gainDB: 0, limited: false)
        }
        guard let integrated = before.integratedLUFS else {
            // Too short or too quiet to gate: only keep it under the ceiling.
            let gain = min(0, ceiling - 0.1 - truePeak)
            let scaled = clip.scaled(by: Float(Decibels.gain(gain)))
            return NormalizedAudio(
                clip: scaled, before: before, after: try LoudnessMeter.measure(scaled), gainDB: gain, limited: false)
        }
        var gain = target.integratedLUFS - integrated
        if truePeak + gain <= ceiling - 0.05 {
            let scaled = clip.scaled(by: Float(Decibels.gain(gain)))
            return NormalizedAudio(
                clip: scaled, before: before, after: try LoudnessMeter.measure(scaled), gainDB: gain, limited: false)
        }

        let limiter = PeakLimiter(sampleRate: clip.sampleRate)
        var thresholdDB = ceiling - 0.5
        // Loudness as a function of gain, once the limiter bites, rises by less than the gain does; the secant
        // through the last two passes estimates that slope.
        var previous: (gain: Double, loudness: Double)?
        for _ in 0..<maximumPasses {
            let (samples, _) = limiter.apply(
                clip.samples, gain: Float(Decibels.gain(gain)), threshold: Float(Decibels.gain(thresholdDB)))
            let candidate = AudioClip(sampleRate: clip.sampleRate, samples: samples)
            let loudness = try LoudnessMeter.measure(candidate, truePeak: false).integratedLUFS ?? target.integratedLUFS
            let shortfall = target.integratedLUFS - loudness
            if abs(shortfall) > tolerance {
                var slope = 1.0
                if let previous, previous.gain != gain {
                    slope = min(1, max(0.1, (loudness - previous.loudness) / (gain - previous.gain)))
                }
                previous = (gain, loudness)
                gain += shortfall / slope
                continue
            }
            let after = try LoudnessMeter.measure(candidate)
            let peak = after.truePeakDBTP ?? -.infinity
            if peak > ceiling {
                thresholdDB -= peak - ceiling + 0.05
                previous = nil
                continue
            }
            return NormalizedAudio(clip: candidate, before: before, after: after, gainDB: gain, limited: true)
        }
        // Not converged: settle for the last gain, limited at a safer threshold, scaled down if a true peak is
        // still over, and report what it measures.
        let (samples, _) = limiter.apply(
            clip.samples, gain: Float(Decibels.gain(gain)), threshold: Float(Decibels.gain(thresholdDB - 1)))
        var candidate = AudioClip(sampleRate: clip.sampleRate, samples: samples)
        var after = try LoudnessMeter.measure(candidate)
        if let peak = after.truePeakDBTP, peak > ceiling {
            candidate = candidate.scaled(by: Float(Decibels.gain(ceiling - 0.1 - peak)))
            after = try LoudnessMeter.measure(candidate)
        }
        return NormalizedAudio(clip: candidate, before: before, after: after, gainDB: gain, limited: true)
    }
}
