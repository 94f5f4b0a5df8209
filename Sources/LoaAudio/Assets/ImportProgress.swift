import Synchronization

/// One import's progress and its cancellation, shared between the thread that imports and the daemon that
/// reports and stops it. The pipeline's long loops (decoding chunk by chunk, the normaliser's passes, Opus
/// frame by frame) report here and stop early once ``cancel()`` is called, so SIGTERM ends a long import at
/// once instead of after it.
public final class ImportProgress: Sendable {
    /// The steps of an import, in order.
    public enum Stage: String, Sendable, Hashable {
        case decoding, normalising, encoding, storing

        /// Where the stage starts and ends in the whole import's 0-1 (decoding a long MP3 is most of it).
        var span: ClosedRange<Double> {
            switch self {
            case .decoding: 0...0.6
            case .normalising: 0.6...0.75
            case .encoding: 0.75...0.95
            case .storing: 0.95...1
            }
        }
    }

    private let state = Mutex<(stage: Stage, fraction: Double)>((.decoding, 0))
    private let cancelled = Atomic<Bool>(false)

    public init() {}

    /// The current stage and the whole import's fraction done (0-1).
    public var snapshot: (stage: Stage, fraction: Double) { state.withLock { $0 } }

    public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// Asks the import to stop; it throws ``AudioFileError/Problem/cancelled`` at its next check.
    public func cancel() { cancelled.store(true, ordering: .relaxed) }

    /// Reports that `stage` is `done` (0-1) through.
    func report(_ stage: Stage, _ done: Double) {
        let span = stage.span
        let fraction = span.lowerBound + (span.upperBound - span.lowerBound) * min(1, max(0, done))
        state.withLock { $0 = (stage, fraction) }
    }

    /// Throws if the import was cancelled.
    func check(_ name: String) throws(AudioFileError) {
        guard isCancelled else { return }
        throw AudioFileError(file: name, problem: .cancelled, detail: "the import was stopped (the daemon is stopping)")
    }
}
