import LoaCore

/// The search of ``LoudnessNormalizer``'s step 3, apart from the audio: which gain and limiter threshold to try
/// next, given what the last pass measured. The in-memory normaliser and the streamed import run their passes
/// (whole buffers; chunks read again from disk) and both follow this one search, so they try the same gains and
/// thresholds and stop on the same rules.
///
/// A pass limits the audio at ``gain`` and ``threshold`` and measures its integrated loudness
/// (``scanned(integratedLUFS:)``); once that is within the tolerance of the target, the same audio's true peak is
/// measured (``measured(truePeakDBTP:)``). The search is over when that true peak is under the ceiling; after
/// ``LoudnessNormalizer/maximumPasses`` passes without that, ``settlingThresholdDB`` is the fallback.
struct LimiterSearch {
    let target: LoudnessTarget
    let tolerance: Double
    /// The gain to apply before the limiter, in dB.
    private(set) var gainDB: Double
    /// The limiter's threshold, in dBFS: 0.5 dB under the ceiling, lowered when inter-sample peaks poke over it.
    private(set) var thresholdDB: Double
    /// Loudness as a function of gain, once the limiter bites, rises by less than the gain does; the secant
    /// through the last two passes estimates that slope.
    private var previous: (gain: Double, loudness: Double)?

    init(target: LoudnessTarget, tolerance: Double, gainDB: Double) {
        self.target = target
        self.tolerance = tolerance
        self.gainDB = gainDB
        thresholdDB = target.truePeakCeilingDBTP - 0.5
    }

    /// ``gainDB``, linear.
    var gain: Float { Float(Decibels.gain(gainDB)) }
    /// ``thresholdDB``, linear.
    var threshold: Float { Float(Decibels.gain(thresholdDB)) }
    /// The threshold to settle with when the passes run out: 1 dB safer.
    var settlingThreshold: Float { Float(Decibels.gain(thresholdDB - 1)) }

    /// Takes a pass's integrated loudness (nil: nothing gated, taken as on target). Returns true when it is within
    /// the tolerance, so the true peak is to be measured next; otherwise the gain has moved and the pass is to be
    /// run again.
    mutating func scanned(integratedLUFS: Double?) -> Bool {
        let loudness = integratedLUFS ?? target.integratedLUFS
        let shortfall = target.integratedLUFS - loudness
        guard abs(shortfall) > tolerance else { return true }
        var slope = 1.0
        if let previous, previous.gain != gainDB {
            slope = min(1, max(0.1, (loudness - previous.loudness) / (gainDB - previous.gain)))
        }
        previous = (gainDB, loudness)
        gainDB += shortfall / slope
        return false
    }

    /// Takes the true peak of a pass on target. Returns true when it is under the ceiling (done); otherwise the
    /// threshold has been lowered by the excess and the pass is to be run again.
    mutating func measured(truePeakDBTP: Double?) -> Bool {
        let peak = truePeakDBTP ?? -.infinity
        guard peak > target.truePeakCeilingDBTP else { return true }
        thresholdDB -= peak - target.truePeakCeilingDBTP + 0.05
        previous = nil
        return false
    }

    /// The gain that brings a settled result whose true peak is `truePeakDBTP` back under the ceiling, or nil when
    /// it is already under.
    func settlingScale(truePeakDBTP: Double?) -> Float? {
        guard let peak = truePeakDBTP, peak > target.truePeakCeilingDBTP else { return nil }
        return Float(Decibels.gain(target.truePeakCeilingDBTP - 0.1 - peak))
    }
}
