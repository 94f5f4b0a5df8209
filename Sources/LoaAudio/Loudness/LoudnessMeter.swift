internal import CEBUR128
import LoaCore

/// An EBU R128 meter (libebur128): integrated loudness and true peak of interleaved audio fed in chunks.
///
/// Mono is measured as one channel (a single loudspeaker), not as dual mono.
final class LoudnessMeter {
    private var state: UnsafeMutablePointer<ebur128_state>?
    let channels: Int
    let measuresTruePeak: Bool

    /// A meter for `channels` interleaved channels at `sampleRate`; without `truePeak` it is about 4× cheaper.
    /// The corresponding C function is `ebur128_init`.
    init(channels: Int, sampleRate: Int, truePeak: Bool = true) throws(EBUR128Error) {
        let mode = truePeak ? EBUR128_MODE_I.rawValue | EBUR128_MODE_TRUE_PEAK.rawValue : EBUR128_MODE_I.rawValue
        guard let state = ebur128_init(UInt32(channels), UInt(sampleRate), Int32(mode)) else {
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

    /// The measurement so far. The corresponding C functions are `ebur128_loudness_global` and
    /// `ebur128_true_peak`.
    func measurement() throws(EBUR128Error) -> LoudnessMeasurement {
        var integrated = 0.0
        try check(ebur128_loudness_global(state, &integrated), "compute integrated loudness")
        var truePeak: Double?
        if measuresTruePeak {
            var peak = 0.0
            for channel in 0..<channels {
                var value = 0.0
                try check(ebur128_true_peak(state, UInt32(channel), &value), "compute the true peak")
                peak = max(peak, value)
            }
            truePeak = peak > 0 ? Decibels.fromAmplitude(peak) : nil
        }
        return LoudnessMeasurement(integratedLUFS: integrated.isFinite ? integrated : nil, truePeakDBTP: truePeak)
    }

    /// The one place that checks libebur128's return codes.
    private func check(_ code: Int32, _ operation: String) throws(EBUR128Error) {
        guard code == Int32(EBUR128_SUCCESS.rawValue) else { throw EBUR128Error(code: code, operation: operation) }
    }

    /// Measures a whole mono clip.
    static func measure(_ clip: AudioClip, truePeak: Bool = true) throws(EBUR128Error) -> LoudnessMeasurement {
        let meter = try LoudnessMeter(channels: 1, sampleRate: clip.sampleRate, truePeak: truePeak)
        try meter.add(clip.samples, frames: clip.frameCount)
        return try meter.measurement()
    }

    /// libebur128's version, e.g. `1.2.6`. The corresponding C function is `ebur128_get_version`.
    static var libraryVersion: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        ebur128_get_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}
