/// Keeps a capture's timeline in step with the wall clock while the sound card's own clock drifts from it.
///
/// ``PacedCapture`` stamps block `n` with `t0 + n × block`: a timeline that never jitters, which the stream's
/// presentation times are built on. A card's crystal is off by up to ±100 ppm (0.36 s an hour), so the
/// instant a block was really captured (read time − the device's delay) slowly leaves that timeline. Each
/// block's measured offset (captured − timeline) goes in here, and once a window of them says the card is
/// more than one block off, the timeline moves by one block:
/// - the card lags (its blocks come late): the timeline skips one block index, so the consumer sees a
///   `capturedAt` two blocks after the previous one and conceals the hole;
/// - the card runs ahead (more audio than wall time): one block of audio is dropped.
///
/// A measurement can only come out late, never early: the reading thread may be woken late, and a card's
/// hardware pointer moves a period at a time, so a sample is counted captured after it was. So the least
/// offset of the window is the one to trust, as for the receivers' clock offset. A jump of several blocks at
/// once (an overrun lost audio, the wall clock was stepped) is corrected at once rather than a block a window.
///
/// Pure: the caller passes the instants, so the tests feed made-up ones.
struct CaptureDrift: Sendable, Hashable {
    /// What to do with the block just measured.
    enum Correction: Sendable, Hashable {
        /// Keep it at its timeline index.
        case none
        /// The card lags: stamp this block `blocks` indices later (the consumer conceals the gap).
        case skip(blocks: Int)
        /// The card runs ahead: drop this block and give its index to the next one.
        case drop
    }

    /// µs one block lasts: 20,000 for Loa's 20 ms blocks.
    let blockDuration: Int64
    /// Measurements weighed before a one-block correction: 50 blocks, one second.
    let window: Int
    /// An offset this large (µs) is corrected at once: five blocks, 100 ms.
    let jumpThreshold: Int64

    private var least: Int64?
    private var measured = 0

    init(blockDuration: Int64, window: Int = 50, jumpBlocks: Int64 = 5) {
        precondition(blockDuration > 0 && window > 0 && jumpBlocks > 1, "drift parameters out of range")
        self.blockDuration = blockDuration
        self.window = window
        self.jumpThreshold = jumpBlocks * blockDuration
    }

    /// Weighs one block: `timeline` is the instant its index stands for, `captured` the instant its first
    /// sample was measured to enter the device, both µs.
    mutating func correction(timeline: Int64, captured: Int64) -> Correction {
        let offset = captured - timeline
        if offset >= jumpThreshold {
            restart()
            return .skip(blocks: Int(offset / blockDuration))
        }
        if offset <= -jumpThreshold {
            restart()
            return .drop
        }
        least = min(least ?? offset, offset)
        measured += 1
        guard measured >= window, let least else { return .none }
        restart()
        if least > blockDuration { return .skip(blocks: 1) }
        if least < -blockDuration { return .drop }
        return .none
    }

    private mutating func restart() {
        least = nil
        measured = 0
    }
}
