import Foundation

extension AudioSignals {
    /// ``bestCorrelation(_:_:maxLag:)`` for long signals and long lags: the same normalised cross-correlation
    /// (Σ a[i]·b[i+lag] / √(Σa²·Σb²) over the overlap), at every lag in `0...maxLag`, through FFTs, so finding
    /// where 3 s of a relayed stream sit in a 10 s looping programme takes a fraction of a second rather than
    /// an hour.
    public static func correlationAtBestLag(_ a: [Float], _ b: [Float], maxLag: Int) -> (r: Double, lag: Int) {
        let lags = max(0, min(maxLag, b.count - 1))
        var size = 1
        while size < a.count + b.count { size <<= 1 }
        var aReal = [Double](repeating: 0, count: size)
        var aImaginary = [Double](repeating: 0, count: size)
        var bReal = [Double](repeating: 0, count: size)
        var bImaginary = [Double](repeating: 0, count: size)
        for (index, sample) in a.enumerated() { aReal[index] = Double(sample) }
        for (index, sample) in b.enumerated() { bReal[index] = Double(sample) }
        fft(&aReal, &aImaginary, inverse: false)
        fft(&bReal, &bImaginary, inverse: false)
        // conj(A)·B: its inverse is Σ a[i]·b[i+lag].
        for index in 0..<size {
            let real = aReal[index] * bReal[index] + aImaginary[index] * bImaginary[index]
            let imaginary = aReal[index] * bImaginary[index] - aImaginary[index] * bReal[index]
            aReal[index] = real
            aImaginary[index] = imaginary
        }
        fft(&aReal, &aImaginary, inverse: true)
        // Energies over each overlap, from running sums.
        var aEnergy = [Double](repeating: 0, count: a.count + 1)
        for (index, sample) in a.enumerated() { aEnergy[index + 1] = aEnergy[index] + Double(sample) * Double(sample) }
        var bEnergy = [Double](repeating: 0, count: b.count + 1)
        for (index, sample) in b.enumerated() { bEnergy[index + 1] = bEnergy[index] + Double(sample) * Double(sample) }
        var best = (r: -1.0, lag: 0)
        for lag in 0...lags {
            let count = min(a.count, b.count - lag)
            guard count > 0 else { break }
            let energy = aEnergy[count] * (bEnergy[lag + count] - bEnergy[lag])
            guard energy > 0 else { continue }
            let value = aReal[lag] / Double(size) / energy.squareRoot()
            if value > best.r { best = (value, lag) }
        }
        return best
    }

    /// An in-place iterative radix-2 FFT (`real.count` a power of two); unscaled both ways.
    private static func fft(_ real: inout [Double], _ imaginary: inout [Double], inverse: Bool) {
        let count = real.count
        real.withUnsafeMutableBufferPointer { re in
            imaginary.withUnsafeMutableBufferPointer { im in
                var j = 0
                for i in 1..<count {
                    var bit = count >> 1
                    while j & bit != 0 {
                        j ^= bit
                        bit >>= 1
                    }
                    j |= bit
                    if i < j {
                        re.swapAt(i, j)
                        im.swapAt(i, j)
                    }
                }
                var length = 2
                while length <= count {
                    let angle = (inverse ? 2 : -2) * Double.pi / Double(length)
                    let stepReal = cos(angle)
                    let stepImaginary = sin(angle)
                    var start = 0
                    while start < count {
                        var wReal = 1.0
                        var wImaginary = 0.0
                        for k in 0..<(length / 2) {
                            let even = start + k
                            let odd = even + length / 2
                            let oddReal = re[odd] * wReal - im[odd] * wImaginary
                            let oddImaginary = re[odd] * wImaginary + im[odd] * wReal
                            re[odd] = re[even] - oddReal
                            im[odd] = im[even] - oddImaginary
                            re[even] += oddReal
                            im[even] += oddImaginary
                            let nextReal = wReal * stepReal - wImaginary * stepImaginary
                            wImaginary = wReal * stepImaginary + wImaginary * stepReal
                            wReal = nextReal
                        }
                        start += length
                    }
                    length <<= 1
                }
            }
        }
    }
}
