#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The two chimes that frame an announcement.
public enum ChimeKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// Before the item: three bell strokes rising (C5, E5, G5), the familiar "attention" call.
    case start
    /// After the item: two strokes falling (G5, C5), a close.
    case end

    /// The file name under `audio/` and in an asset library.
    public var fileName: String { "chime-\(rawValue).wav" }
}

/// Synthesises Loa's chimes from a small table of bell strokes; pure and deterministic, so the committed WAVs
/// in `audio/` can be regenerated bit for bit (before normalisation) on any machine.
///
/// Each stroke is a struck-bell tone: a sum of partials at fixed ratios of the note's frequency, each with a
/// 3 ms raised-cosine attack and its own exponential decay (higher partials die faster, so a stroke starts
/// bright and rings out mellow). The whole chime ends with a 60 ms fade so it never clicks.
public enum ChimeSynthesizer {
    /// One bell stroke: when it starts and which note.
    public struct Stroke: Sendable, Hashable {
        public var start: Double
        public var frequency: Double
        public var level: Double
    }

    /// Partial (frequency ratio, relative amplitude, decay time constant in seconds).
    static let partials: [(ratio: Double, amplitude: Double, decay: Double)] = [
        (1.0, 1.0, 0.55),
        (2.0, 0.45, 0.30),
        (3.0, 0.20, 0.18),
        (4.16, 0.10, 0.10),
        (5.43, 0.06, 0.07),
    ]

    /// The strokes of each chime and its total length in seconds.
    public static func score(_ kind: ChimeKind) -> (strokes: [Stroke], seconds: Double) {
        switch kind {
        case .start:
            return (
                [
                    Stroke(start: 0.00, frequency: 523.25, level: 0.8),
                    Stroke(start: 0.28, frequency: 659.26, level: 0.8),
                    Stroke(start: 0.56, frequency: 783.99, level: 0.9),
                ], 1.8
            )
        case .end:
            return (
                [
                    Stroke(start: 0.00, frequency: 783.99, level: 0.8),
                    Stroke(start: 0.36, frequency: 523.25, level: 0.9),
                ], 1.5
            )
        }
    }

    /// Renders `kind` at `sampleRate`, peaking below full scale (normalise it before use).
    public static func render(_ kind: ChimeKind, sampleRate: Int = AudioClip.streamSampleRate) -> AudioClip {
        let (strokes, seconds) = score(kind)
        let count = Int((seconds * Double(sampleRate)).rounded())
        var samples = [Double](repeating: 0, count: count)
        let rate = Double(sampleRate)
        let attack = 0.003
        for stroke in strokes {
            let first = Int((stroke.start * rate).rounded())
            guard first < count else { continue }
            for index in first..<count {
                let t = Double(index - first) / rate
                let onset = t < attack ? 0.5 - 0.5 * cos(Double.pi * t / attack) : 1
                var value = 0.0
                for partial in partials {
                    value +=
                        partial.amplitude * exp(-t / partial.decay)
                        * sin(2 * Double.pi * stroke.frequency * partial.ratio * t)
                }
                samples[index] += stroke.level * onset * value
            }
        }
        let fade = min(count, Int(0.06 * rate))
        for offset in 0..<fade {
            let index = count - fade + offset
            samples[index] *= 0.5 + 0.5 * cos(Double.pi * Double(offset) / Double(fade))
        }
        let peak = samples.reduce(0) { max($0, abs($1)) }
        let scale = peak > 0 ? 0.5 / peak : 1
        return AudioClip(sampleRate: sampleRate, samples: samples.map { Float($0 * scale) })
    }
}
