import Foundation
import LoaALSA

/// Known signals for audio tests.
public enum TestSignal {
    /// A sine of `frequency` Hz lasting `duration`, interleaved for `format`. Channel `c` (from 0) is
    /// shifted by a quarter turn per channel so a swapped or dropped channel shows up.
    public static func sine(
        frequency: Double = 440,
        format: PCMFormat,
        duration: Duration = .seconds(1),
        amplitude: Double = 0.5
    ) -> [Int16] {
        let frames = format.frames(in: duration)
        var samples = [Int16](repeating: 0, count: frames * format.channels)
        for frame in 0..<frames {
            let phase = 2 * Double.pi * frequency * Double(frame) / Double(format.sampleRate)
            for channel in 0..<format.channels {
                let value = sin(phase + Double(channel) * Double.pi / 2) * amplitude * Double(Int16.max)
                samples[frame * format.channels + channel] = Int16(value.rounded())
            }
        }
        return samples
    }

    /// `count` distinct samples that exercise the full range and both byte orders.
    public static func ramp(count: Int) -> [Int16] {
        (0..<count).map { Int16(truncatingIfNeeded: $0 &* 7919 &- 32_000) }
    }
}
