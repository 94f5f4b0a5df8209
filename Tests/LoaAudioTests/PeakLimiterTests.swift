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
