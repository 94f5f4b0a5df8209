/// Availability from a receiver's transitions: the share of observed time it was reachable.
public enum Availability {
    /// The share of `window` during which the receiver was reachable.
    ///
    /// - Parameters:
    ///   - before: the last transition before the window starts (its state holds at the start), or nil.
    ///   - transitions: the transitions inside the window, oldest first.
    /// - Returns: nil when the receiver was not observed at all in the window. Time in `unknown` (before it
    ///   was first seen) is not observed time.
    public static func share(
        before: ReceiverTransition?,
        transitions: [ReceiverTransition],
        window: DateInterval
    ) -> Double? {
        var state: ReceiverState? = before?.to
        var cursor = window.start
        var up = 0.0
        var observed = 0.0
        func account(until end: Date) {
            let span = max(0, end.timeIntervalSince(cursor))
            if let state, state != .unknown {
                observed += span
                if state.isReachable { up += span }
            }
        }
        for transition in transitions where transition.at >= window.start {
            guard transition.at < window.end else { break }
            account(until: transition.at)
            cursor = transition.at
            state = transition.to
        }
        account(until: window.end)
        guard observed > 0 else { return nil }
        return up / observed
    }
}
