#if canImport(Glibc)
import Glibc
#endif

/// A look-ahead peak limiter (offline, so the look-ahead costs no latency).
///
/// For each sample it finds the gain that keeps |x| at or under the threshold, takes the minimum over the
/// next `attack` samples (so the gain is already down when a peak arrives), lets the gain recover towards 1
/// with an exponential release, and smooths the curve with a moving average as long as the attack. Because
/// every averaged value is a minimum over a window that contains the current sample, no output sample exceeds
/// the threshold. True (inter-sample) peaks can still overshoot slightly; `LoudnessNormalizer` measures them and
/// lowers the threshold if needed.
///
/// One pass, with memory for the attack window only: ``Stream`` takes the signal in chunks of any size and
/// gives out the same samples as ``apply(_:gain:threshold:)`` on the whole buffer, `attackSamples - 1` later.
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
        // Nothing over the limit: the stream would multiply by exactly 1 (its gain never leaves 1); skip it.
        let limit = threshold / gain
        guard samples.contains(where: { abs($0) > limit }) else { return (samples.map { $0 * gain }, false) }
        let stream = Stream(self, gain: gain, threshold: threshold)
        var output: [Float] = []
        output.reserveCapacity(samples.count)
        stream.process(samples, into: &output)
        stream.finish(into: &output)
        return (output, true)
    }
}

extension PeakLimiter {
    /// The limiter over a signal fed in chunks: its state (the look-ahead delay of the input, the monotonic deque
    /// of required gains, the released gain and the moving average's history) carries from one chunk to the next,
    /// so the output is, sample for sample, the whole-buffer output. Output lags input by `attackSamples - 1`
    /// samples; ``finish(into:)`` flushes them.
    ///
    /// Not thread-safe: one signal, one thread.
    final class Stream {
        private let window: Int
        private let capacity: Int
        private let gain: Float
        private let limit: Float
        private let recovery: Float
        /// Monotonic deque (ring buffer) of (index, required gain) for the forward-looking minimum.
        private let dequeIndex: UnsafeMutablePointer<Int>
        private let dequeValue: UnsafeMutablePointer<Float>
        private var head = 0
        private var size = 0
        /// The last `window` released gains, for the moving average.
        private let history: UnsafeMutablePointer<Float>
        private var historySlot = 0
        private var sum: Double = 0
        private var held: Float = 1
        /// The last `window` input samples, by index modulo `window`: the look-ahead delay.
        private let delay: UnsafeMutablePointer<Float>
        private var delaySlot = 0
        /// Samples taken in so far; the next one's index.
        private var received = 0
        private var flushed = false
        /// Whether any gain reduction happened so far.
        private(set) var limited = false

        /// A stream applying `gain`, then limiting at `threshold` (linear), with `limiter`'s attack and release.
        init(_ limiter: PeakLimiter, gain: Float, threshold: Float) {
            window = limiter.attackSamples
            capacity = window + 1
            self.gain = gain
            limit = threshold / gain
            recovery = Float(1 - exp(-1 / limiter.releaseSamples))
            dequeIndex = .allocate(capacity: capacity)
            dequeIndex.initialize(repeating: 0, count: capacity)
            dequeValue = .allocate(capacity: capacity)
            dequeValue.initialize(repeating: 1, count: capacity)
            history = .allocate(capacity: window)
            history.initialize(repeating: 1, count: window)
            delay = .allocate(capacity: window)
            delay.initialize(repeating: 0, count: window)
        }

        deinit {
            dequeIndex.deallocate()
            dequeValue.deallocate()
            history.deallocate()
            delay.deallocate()
        }

        /// Takes in `samples` and appends to `output` every sample whose look-ahead window is now complete.
        func process(_ samples: [Float], into output: inout [Float]) {
            precondition(!flushed, "the stream was finished")
            output.reserveCapacity(output.count + samples.count)
            samples.withUnsafeBufferPointer { input in
                for sample in input { step(sample, into: &output) }
            }
        }

        /// Appends the last `attackSamples - 1` samples (their look-ahead runs past the end: no requirement).
        func finish(into output: inout [Float]) {
            precondition(!flushed, "the stream was finished")
            flushed = true
            for _ in 0..<(window - 1) { step(nil, into: &output) }
        }

        /// One step of the look-ahead: pushes the requirement of the sample at `received` (nil past the end),
        /// then gives out the sample `window - 1` before it once its window is complete.
        @inline(__always)
        private func step(_ sample: Float?, into output: inout [Float]) {
            let ahead = received
            received += 1
            var required: Float = 1
            if let sample {
                let level = abs(sample)
                if level > limit {
                    required = limit / level
                    limited = true
                }
                delay[delaySlot] = sample
            }
            // The slot after the one just written holds the sample `window - 1` before it.
            delaySlot = delaySlot + 1 == window ? 0 : delaySlot + 1
            while size > 0 && dequeValue[slot(size - 1)] >= required { size -= 1 }
            dequeIndex[slot(size)] = ahead
            dequeValue[slot(size)] = required
            size += 1
            // The window [index, ahead] is complete for output sample `index`.
            let index = ahead - window + 1
            guard index >= 0 else { return }
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
            output.append(delay[delaySlot] * gain * average)
        }

        @inline(__always)
        private func slot(_ offset: Int) -> Int {
            let position = head + offset
            return position >= capacity ? position - capacity : position
        }
    }
}
