/// Picks out of a signal, chunk by chunk, the runs that ``LoudnessMeter/truePeak(of:samplePeak:)`` feeds a
/// true-peak meter: every sample at or above `floor`, with ``LoudnessMeter/truePeakContext`` real samples on
/// either side, overlapping runs merged, the runs back to back. The runs are the same whatever the chunking, so
/// a streamed import measures the true peak exactly as the in-memory pipeline does, without holding the audio:
/// only the last `context` quiet samples are kept, in case a loud one follows.
///
/// Not thread-safe: one signal, one thread.
final class LoudPassages {
    let floor: Float
    let context: Int
    /// The quiet samples since the last one given out, at most `context` of them (the oldest first from `start`).
    private var recent: [Float]
    private var start = 0
    /// Samples still to give out after the last loud one.
    private var tail = 0
    private var runs: [Float] = []

    init(floor: Float, context: Int = LoudnessMeter.truePeakContext) {
        self.floor = floor
        self.context = context
        recent = []
        recent.reserveCapacity(context)
    }

    /// Feeds `meter` the runs in `samples` (and the context before them kept from earlier chunks).
    func add(_ samples: [Float], into meter: LoudnessMeter) throws(EBUR128Error) {
        runs.removeAll(keepingCapacity: true)
        for sample in samples {
            if abs(sample) >= floor {
                // The quiet samples before it: all after the last run's end, and at most `context` of them.
                runs.append(contentsOf: recent[start...])
                runs.append(contentsOf: recent[..<start])
                recent.removeAll(keepingCapacity: true)
                start = 0
                runs.append(sample)
                tail = context
            } else if tail > 0 {
                runs.append(sample)
                tail -= 1
            } else if recent.count < context {
                recent.append(sample)
            } else if context > 0 {
                recent[start] = sample
                start = start + 1 == context ? 0 : start + 1
            }
        }
        try meter.add(runs, frames: runs.count)
    }
}
