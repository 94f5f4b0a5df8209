import Foundation
import LoaCore
import Testing

@testable import LoaAudio

@Suite struct PeakLimiterTests {
    @Test func noSampleExceedsTheThresholdAndQuietPartsAreOnlyScaled() {
        // A quiet tone with sharp bursts: the bursts are limited, the tone far from them is only scaled.
        var samples = (0..<48_000).map { Float(0.1 * sin(Double($0) / 7)) }
        for burst in [1000, 20_000, 47_990] {
            for offset in 0..<5 where burst + offset < samples.count {
                samples[burst + offset] = offset % 2 == 0 ? 0.9 : -0.95
            }
        }
        let limiter = PeakLimiter(sampleRate: 48_000)
        let (output, limited) = limiter.apply(samples, gain: 2, threshold: 0.5)
        #expect(limited)
        #expect(output.count == samples.count)
        #expect(output.allSatisfy { abs($0) <= 0.5 + 1e-6 })
        // 200 ms after a burst (more than twice the release time constant) the gain is back near 2.
        #expect(abs(output[30_000] - 2 * samples[30_000]) < 0.02)
        #expect(output[0] == 2 * samples[0])
    }

    @Test func nothingOverTheThresholdIsOnlyScaled() {
        let samples: [Float] = [0.1, -0.2, 0.2]
        let (output, limited) = PeakLimiter(sampleRate: 48_000).apply(samples, gain: 2, threshold: 0.5)
        #expect(!limited)
        #expect(output == [0.2, -0.4, 0.4])
    }
}

/// The limiter fed in chunks (``PeakLimiter/Stream``) gives out the whole-buffer output, sample for sample, however
/// the signal is cut.
@Suite struct StreamingPeakLimiterTests {
    static let limiter = PeakLimiter(sampleRate: 48_000)

    /// Signals that make the limiter work: bursts on a quiet tone, heavy noise, a square wave, and a signal
    /// shorter than the attack window.
    static func signals() -> [(String, [Float])] {
        // A linear congruential sequence: noise that is the same on every run.
        var state: UInt32 = 12
        var bursts = (0..<20_000).map { Float(0.1 * sin(Double($0) / 7)) }
        for burst in [0, 143, 144, 145, 9_000, 19_995] {
            for offset in 0..<5 where burst + offset < bursts.count {
                bursts[burst + offset] = offset % 2 == 0 ? 0.9 : -0.95
            }
        }
        let noise = (0..<20_000).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return Float(state >> 8) / Float(1 << 23) - 1
        }
        let square = (0..<20_000).map { Float(($0 / 50) % 2 == 0 ? 0.8 : -0.8) }
        let short = (0..<100).map { Float(sin(Double($0) / 3)) }
        return [("bursts", bursts), ("noise", noise), ("square", square), ("shorter than the attack", short)]
    }

    static func streamed(_ samples: [Float], sizes: [Int], gain: Float, threshold: Float) -> [Float] {
        let stream = PeakLimiter.Stream(limiter, gain: gain, threshold: threshold)
        var output: [Float] = []
        var start = 0
        var turn = 0
        while start < samples.count {
            let end = min(samples.count, start + sizes[turn % sizes.count])
            stream.process(Array(samples[start..<end]), into: &output)
            start = end
            turn += 1
        }
        stream.finish(into: &output)
        return output
    }

    @Test(arguments: [[1], [2], [7], [143], [144], [145], [8192], [1, 300, 3, 144, 5000, 2], [100_000]])
    func chunkedOutputIsTheWholeBufferOutput(sizes: [Int]) {
        #expect(Self.limiter.attackSamples == 144)
        for (what, samples) in Self.signals() {
            for (gain, threshold) in [(Float(2), Float(0.5)), (1, 0.84), (0.3, 0.2)] {
                let (whole, _) = Self.limiter.apply(samples, gain: gain, threshold: threshold)
                let chunked = Self.streamed(samples, sizes: sizes, gain: gain, threshold: threshold)
                #expect(chunked == whole, "\(what), chunks of \(sizes), gain \(gain), threshold \(threshold)")
            }
        }
    }

    @Test func theStreamSaysWhetherItLimited() {
        let quiet = PeakLimiter.Stream(Self.limiter, gain: 2, threshold: 0.5)
        var output: [Float] = []
        quiet.process([0.1, -0.2, 0.2], into: &output)
        quiet.finish(into: &output)
        #expect(!quiet.limited && output == [0.2, -0.4, 0.4])
        let loud = PeakLimiter.Stream(Self.limiter, gain: 2, threshold: 0.5)
        loud.process([0.1, -0.9], into: &output)
        #expect(loud.limited)
    }
}
