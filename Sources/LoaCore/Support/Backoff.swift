/// Capped exponential backoff: `initial`, `2×initial`, `4×initial`, … never above `maximum`.
///
/// Used wherever Loa retries something it does not control: the broker connection, the embedded broker
/// child, webhooks. A success resets the sequence.
public struct Backoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration
    public private(set) var attempt: Int = 0

    public init(initial: Duration, maximum: Duration) {
        precondition(initial > .zero && maximum >= initial, "backoff needs 0 < initial <= maximum")
        self.initial = initial
        self.maximum = maximum
    }

    /// The delay before the next attempt; advances the sequence.
    public mutating func nextDelay() -> Duration {
        defer { attempt += 1 }
        var delay = initial
        for _ in 0..<min(attempt, 62) {
            delay = delay * 2
            if delay >= maximum { return maximum }
        }
        return delay
    }

    /// Starts over after a success.
    public mutating func reset() { attempt = 0 }
}
