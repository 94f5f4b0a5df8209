#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Mono audio in memory: samples in −1…1 at one sample rate. Loa's stream format is 48 kHz mono.
///
/// A value type the core can reason about (durations, framing) without knowing how it was decoded.
public struct AudioClip: Sendable, Hashable {
    /// The stream rate every asset is converted to.
    public static let streamSampleRate = StreamFormat.sampleRate

    public var sampleRate: Int
    public var samples: [Float]

    public init(sampleRate: Int = AudioClip.streamSampleRate, samples: [Float]) {
        precondition(sampleRate > 0, "sample rate must be positive")
        self.sampleRate = sampleRate
        self.samples = samples
    }

    /// `seconds` of digital silence.
    public static func silence(seconds: Double, sampleRate: Int = AudioClip.streamSampleRate) -> AudioClip {
        AudioClip(
            sampleRate: sampleRate,
            samples: [Float](repeating: 0, count: Int((seconds * Double(sampleRate)).rounded()))
        )
    }

    public var frameCount: Int { samples.count }

    /// The length in seconds.
    public var seconds: Double { Double(samples.count) / Double(sampleRate) }

    public var duration: Duration { .nanoseconds(Int64((seconds * 1e9).rounded())) }

    /// The largest absolute sample value (the sample peak, not the true peak).
    public var samplePeak: Float {
        var peak: Float = 0
        for sample in samples { peak = max(peak, abs(sample)) }
        return peak
    }

    /// The samples as signed 16-bit integers, rounded and clipped to the 16-bit range.
    public func int16Samples() -> [Int16] {
        samples.map { sample in
            let scaled = (sample * 32768).rounded()
            return Int16(max(-32768, min(32767, scaled)))
        }
    }

    /// A clip from signed 16-bit integers.
    public init(sampleRate: Int, int16Samples: [Int16]) {
        self.init(sampleRate: sampleRate, samples: int16Samples.map { Float($0) / 32768 })
    }

    /// This clip followed by `other`; both must have the same sample rate.
    public func appending(_ other: AudioClip) -> AudioClip {
        precondition(other.sampleRate == sampleRate, "cannot join \(sampleRate) Hz and \(other.sampleRate) Hz audio")
        return AudioClip(sampleRate: sampleRate, samples: samples + other.samples)
    }

    /// The clip with every sample multiplied by `gain` (linear).
    public func scaled(by gain: Float) -> AudioClip {
        AudioClip(sampleRate: sampleRate, samples: samples.map { $0 * gain })
    }
}

/// Decibel conversions used by the loudness code.
public enum Decibels {
    /// The linear factor for `decibels` of gain (20·log10 scale).
    public static func gain(_ decibels: Double) -> Double { pow(10, decibels / 20) }

    /// The decibel value of a linear amplitude; −infinity for 0.
    public static func fromAmplitude(_ amplitude: Double) -> Double {
        amplitude > 0 ? 20 * log10(amplitude) : -.infinity
    }
}
