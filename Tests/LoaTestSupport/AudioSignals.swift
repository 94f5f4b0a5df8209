import Foundation

/// Signal comparisons for audio tests.
public enum AudioSignals {
    /// The best normalised cross-correlation of `b` against `a` over lags `0...maxLag` (b delayed relative to a),
    /// with the lag that gave it.
    public static func bestCorrelation(_ a: [Float], _ b: [Float], maxLag: Int) -> (correlation: Double, lag: Int) {
        var best = (correlation: -1.0, lag: 0)
        for lag in 0...maxLag {
            let value = correlation(a, b, lag: lag)
            if value > best.correlation { best = (value, lag) }
        }
        return best
    }

    /// Σ a[i]·b[i+lag] / sqrt(Σa²·Σb²) over the overlap.
    public static func correlation(_ a: [Float], _ b: [Float], lag: Int) -> Double {
        let count = min(a.count, b.count - lag)
        guard count > 0 else { return 0 }
        var dot = 0.0
        var energyA = 0.0
        var energyB = 0.0
        for index in 0..<count {
            let x = Double(a[index])
            let y = Double(b[index + lag])
            dot += x * y
            energyA += x * x
            energyB += y * y
        }
        guard energyA > 0, energyB > 0 else { return 0 }
        return dot / (energyA * energyB).squareRoot()
    }

    /// The share of `samples`' energy at `frequency` (0…1; about 1 for a pure tone at that frequency, near 0
    /// for speech or another tone): tells apart which of two announcements a stretch of output carries.
    public static func toneShare(_ samples: ArraySlice<Float>, frequency: Double, rate: Double = 48_000) -> Double {
        var real = 0.0
        var imaginary = 0.0
        var energy = 0.0
        let step = 2 * Double.pi * frequency / rate
        for (index, sample) in samples.enumerated() {
            let x = Double(sample)
            real += x * cos(step * Double(index))
            imaginary -= x * sin(step * Double(index))
            energy += x * x
        }
        guard energy > 0 else { return 0 }
        return 2 * (real * real + imaginary * imaginary) / (Double(samples.count) * energy)
    }

    /// Root-mean-square level.
    public static func rms(_ samples: ArraySlice<Float>) -> Double {
        guard !samples.isEmpty else { return 0 }
        return (samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)).squareRoot()
    }
}
