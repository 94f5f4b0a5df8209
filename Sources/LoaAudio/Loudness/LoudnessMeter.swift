internal import CEBUR128
import LoaCore

/// An EBU R128 meter (libebur128): integrated loudness and peak of interleaved audio fed in chunks.
///
/// Mono is measured as one channel (a single loudspeaker), not as dual mono.
final class LoudnessMeter {
    private var state: UnsafeMutablePointer<ebur128_state>?
    let channels: Int
    let measuresTruePeak: Bool

    /// A meter for `channels` interleaved channels at `sampleRate`. With `truePeak` it oversamples 4× for the true
    /// peak, which makes it about 4× as expensive; without, it keeps the sample peak only. The corresponding C
    /// function is `ebur128_init`.
    init(channels: Int, sampleRate: Int, truePeak: Bool = true) throws(EBUR128Error) {
        let peak = truePeak ? EBUR128_MODE_TRUE_PEAK.rawValue : EBUR128_MODE_SAMPLE_PEAK.rawValue
        guard let state = ebur128_init(UInt32(channels), UInt(sampleRate), Int32(EBUR128_MODE_I.rawValue | peak)) else {
            throw EBUR128Error(code: 1, operation: "create a meter")
        }
        self.state = state
        self.channels = channels
        measuresTruePeak = truePeak
    }

    deinit { ebur128_destroy(&state) }

    /// Feeds `frames` interleaved frames. The corresponding C function is `ebur128_add_frames_float`.
    func add(_ interleaved: [Float], frames: Int) throws(EBUR128Error) {
        guard frames > 0 else { return }
        precondition(interleaved.count >= frames * channels)
        let code = interleaved.withUnsafeBufferPointer { ebur128_add_frames_float(state, $0.baseAddress, frames) }
        try check(code, "measure audio")
    }

    /// Integrated loudness so far, or nil when nothing passed the gates. The corresponding C function is
    /// `ebur128_loudness_global`.
    func integratedLUFS() throws(EBUR128Error) -> Double? {
        var integrated = 0.0
        try check(ebur128_loudness_global(state, &integrated), "compute integrated loudness")
        return integrated.isFinite ? integrated : nil
    }

    /// The highest peak over all channels so far, linear: the true peak if this meter measures it, else the sample
    /// peak. The corresponding C functions are `ebur128_true_peak` and `ebur128_sample_peak`.
    func peak() throws(EBUR128Error) -> Double {
        measuresTruePeak ? try highest(ebur128_true_peak, "compute the true peak") : try samplePeak()
    }

    /// The highest sample peak over all channels so far, linear (a true-peak meter keeps it too). The
    /// corresponding C function is `ebur128_sample_peak`.
    func samplePeak() throws(EBUR128Error) -> Double {
        try highest(ebur128_sample_peak, "compute the sample peak")
    }

    private func highest(
        _ read: (UnsafeMutablePointer<ebur128_state>?, UInt32, UnsafeMutablePointer<Double>?) -> Int32,
        _ operation: String
    ) throws(EBUR128Error) -> Double {
        var peak = 0.0
        for channel in 0..<channels {
            var value = 0.0
            try check(read(state, UInt32(channel), &value), operation)
            peak = max(peak, value)
        }
        return peak
    }

    /// The measurement so far (true peak only if this meter measures it).
    func measurement() throws(EBUR128Error) -> LoudnessMeasurement {
        let truePeak = measuresTruePeak ? try peak() : 0
        return LoudnessMeasurement(
            integratedLUFS: try integratedLUFS(),
            truePeakDBTP: truePeak > 0 ? Decibels.fromAmplitude(truePeak) : nil
        )
    }

    /// The one place that checks libebur128's return codes.
    private func check(_ code: Int32, _ operation: String) throws(EBUR128Error) {
        guard code == Int32(EBUR128_SUCCESS.rawValue) else { throw EBUR128Error(code: code, operation: operation) }
    }

    // MARK: - Whole clips

    /// Integrated loudness and linear sample peak of a whole mono clip, in one pass without oversampling (a quarter
    /// of the cost of a true-peak pass).
    static func scan(_ clip: AudioClip) throws(EBUR128Error) -> (integratedLUFS: Double?, samplePeak: Double) {
        let meter = try LoudnessMeter(channels: 1, sampleRate: clip.sampleRate, truePeak: false)
        try meter.add(clip.samples, frames: clip.frameCount)
        return (try meter.integratedLUFS(), try meter.peak())
    }

    /// Integrated loudness and true peak of a whole mono clip: ``scan(_:)``, then ``truePeak(of:samplePeak:)``.
    static func measure(_ clip: AudioClip) throws(EBUR128Error) -> LoudnessMeasurement {
        let (integrated, samplePeak) = try scan(clip)
        let truePeak = try truePeak(of: clip, samplePeak: samplePeak)
        return LoudnessMeasurement(
            integratedLUFS: integrated,
            truePeakDBTP: truePeak > 0 ? Decibels.fromAmplitude(truePeak) : nil
        )
    }

    /// Bounds the gain of libebur128's true-peak interpolator (below 96 kHz: 4× with a 49-tap Hann-windowed sinc,
    /// 12 taps a phase, whose absolute coefficients add up to at most 1.87): an interpolated value is never more
    /// than this times the largest of the 12 samples around it.
    static let interpolatorGainBound: Float = 2
    /// Real samples kept on each side of a loud one: more than two interpolator windows.
    static let truePeakContext = 32

    /// The linear true peak of a mono clip whose sample peak is `samplePeak`, exactly as libebur128 measures it over
    /// the whole clip, at a fraction of the cost.
    ///
    /// Why it is exact: by ``interpolatorGainBound``, only an interpolator window that holds a sample above
    /// `samplePeak / 2` can come out above the sample peak (and the true peak is never below it). So libebur128 is
    /// fed just the runs around such samples, each with ``truePeakContext`` real samples on either side, back to
    /// back: every window that holds a loud sample sees exactly its real neighbours, and every other window, even
    /// one straddling two runs, stays under the sample peak. In speech that is a few percent of the samples.
    static func truePeak(of clip: AudioClip, samplePeak: Double) throws(EBUR128Error) -> Double {
        guard samplePeak > 0 else { return 0 }
        let meter = try LoudnessMeter(channels: 1, sampleRate: clip.sampleRate, truePeak: true)
        // At 96 kHz and above libebur128 oversamples less, with other filters: measure everything there.
        guard clip.sampleRate < 96_000 else {
            try meter.add(clip.samples, frames: clip.frameCount)
            return try meter.peak()
        }
        let runs = LoudPassages(floor: Float(samplePeak) / interpolatorGainBound)
        try runs.add(clip.samples, into: meter)
        return max(samplePeak, try meter.peak())
    }

    /// libebur128's version, e.g. `1.2.6`. The corresponding C function is `ebur128_get_version`.
    static var libraryVersion: String {
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        ebur128_get_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}
