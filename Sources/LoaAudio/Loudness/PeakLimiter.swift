#if canImport(Glibc)
import Glibc
#endif

/// A look-ahead peak limiter for whole buffers (offline, so the look-ahead costs no latency).
///
/// For each sample it finds the gain that keeps |x| at or under the threshold, takes the minimum over the
/// next `attack` samples (so the gain is already down when a peak arrives), lets the gain recover towards 1
/// with an exponential release, and smooths the curve with a moving average as long as the attack. Because
/// every averaged value is a minimum over a window that contains the current sample, no output sample exceeds
/// the threshold. True (inter-sample) peaks can still overshoot slightly; `LoudnessNormalizer` measures them and
/// lowers the threshold if needed.
///
/// One pass, with memory for the attack window only (beside the output).
struct PeakLimiter {
    /// Samples over which the gain falls before a peak (and the smoothing length): 3 ms at 48 kHz.
    var attackSamples: Int
    /// Time constant, in samples, of the gain's recovery after a peak: 80 ms at 48 kHz.
    var releaseSamples: Double

    init(sampleRate: Int) {
        attackSamples = max(1, sampleRate * 3 / 1000)
        releaseSamples = Double(sampleRate) * 0.08
    }

    /// `samples × gain`, limited so no sample exceeds `threshold` (linear). Returns the output and whether any
    /// gain reduction happened.
    func apply(_ samples: [Float], gain: Float, threshold: Float) -> (samples: [Float], limited: Bool) {
        let count = samples.count
        let limit = threshold / gain
        guard samples.contains(where: { abs($0) > limit }) else { return (samples.map { $0 * gain }, false) }

        let window = attackSamples
        let recovery = Float(1 - exp(-1 / releaseSamples))
        // Monotonic deque (ring buffer) of (index, required gain) for the forward-looking minimum.
        let capacity = window + 1
        var dequeIndex = [Int](repeating: 0, count: capacity)
        var dequeValue = [Float](repeating: 1, count: capacity)
        var head = 0
        var size = 0
        // The last `window` released gains, for the moving average.
        var history = [Float](repeating: 1, count: window)
        var historySlot = 0
        var sum: Double = 0
        var held: Float = 1
        var output = [Float](repeating: 0, count: count)
        samples.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                for ahead in 0..<(count + window - 1) {
                    // Push the requirement of sample `ahead` (past the end: no requirement).
                    var required: Float = 1
                    if ahead < count {
                        let level = abs(input[ahead])
                        if level > limit { required = limit / level }
                    }
                    func slot(_ offset: Int) -> Int {
                        let position = head + offset
                        return position >= capacity ? position - capacity : position
                    }
                    while size > 0 && dequeValue[slot(size - 1)] >= required { size -= 1 }
                    dequeIndex[slot(size)] = ahead
                    dequeValue[slot(size)] = required
                    size += 1
                    // The window [index, ahead] is complete for output sample `index`.
                    let index = ahead - window + 1
                    guard index >= 0 else { continue }
                    while dequeIndex[head] < index {
                        head = head + 1 == capacity ? 0 : head + 1
                        size -= 1
                    }
                    held = min(dequeValue[head], held + (1 - held) * recovery)
                    if index >= window { sum -= Double(history[historySlot]) }
                    history[historySlot] = held
                    historySlot = historySlot + 1 == window ? 0 : historySlot + 1
                    sum += Double(held)
                    let average = Float(sum / Double(min(index + 1, window)))
                    out[index] = input[index] * gain * average
                }
            }
        }
        return (output, true)
    }
}
