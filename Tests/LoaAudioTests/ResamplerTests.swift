import Foundation
import LoaCore
import Testing

@testable import LoaAudio

/// The default converter (``ResamplerQuality/sincFastest``) is good enough for everything Loa stores: a sine comes out
/// at its level, and whatever is not that sine (aliasing, imaging, passband ripple) is at least 90 dB down.
@Suite struct ResamplerTests {
    /// Input rates with tones up to two thirds of their Nyquist frequency (44.1 kHz: MP3s and CDs; 22.05 kHz: espeak-ng).
    static let tones: [(Int, Double)] = [
        (44_100, 100), (44_100, 1000), (44_100, 4000), (44_100, 8000), (44_100, 12_000), (44_100, 15_000),
        (22_050, 300), (22_050, 3000), (22_050, 7000),
    ]

    @Test(arguments: tones)
    func theDefaultConverterKeepsAToneClean(_ rate: Int, _ frequency: Double) throws {
        let input = (0..<rate).map { Float(0.5 * sin(2 * Double.pi * frequency * Double($0) / Double(rate))) }
        let resampler = try Resampler(from: rate, to: 48_000, quality: AudioDecoder().quality)
        var output: [Float] = []
        try resampler.process(input, into: &output)
        try resampler.finish(into: &output)
        #expect(abs(output.count - 48_000) <= 1)

        // Least-squares fit of a·sin + b·cos at the tone's frequency over the middle (away from the edges); the
        // residual is everything the converter added.
        let range = 4_800..<43_200
        var ss = 0.0
        var cc = 0.0
        var sc = 0.0
        var ys = 0.0
        var yc = 0.0
        for index in range {
            let phase = 2 * Double.pi * frequency * Double(index) / 48_000
            let (s, c, y) = (sin(phase), cos(phase), Double(output[index]))
            ss += s * s
            cc += c * c
            sc += s * c
            ys += y * s
            yc += y * c
        }
        let determinant = ss * cc - sc * sc
        let a = (ys * cc - yc * sc) / determinant
        let b = (yc * ss - ys * sc) / determinant
        var signal = 0.0
        var residual = 0.0
        for index in range {
            let phase = 2 * Double.pi * frequency * Double(index) / 48_000
            let fit = a * sin(phase) + b * cos(phase)
            signal += fit * fit
            residual += (Double(output[index]) - fit) * (Double(output[index]) - fit)
        }
        let levelDB = 20 * log10((a * a + b * b).squareRoot() / 0.5)
        let snrDB = 10 * log10(signal / residual)
        #expect(abs(levelDB) < 0.01, "\(frequency) Hz from \(rate) Hz: level \(levelDB) dB")
        #expect(snrDB >= 90, "\(frequency) Hz from \(rate) Hz: \(snrDB) dB")
        // No delay: the converter's filter is centred, so the fit is the input's own phase (b ≈ 0).
        #expect(abs(b) < 0.001 && a > 0)
    }
}
