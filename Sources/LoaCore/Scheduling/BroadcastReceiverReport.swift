import Foundation

/// One receiver's part in a broadcast, from its own events: whether it acknowledged the `play` command and
/// how its playback went. The broadcast log keeps one per receiver, so an operator sees which loudspeakers
/// actually aired an announcement, not only that the controller sent it.
public struct BroadcastReceiverReport: Codable, Sendable, Hashable {
    public enum State: String, Codable, Sendable, CaseIterable {
        /// It accepted the `play` command; no audio out yet.
        case acked
        /// Its first sample went out.
        case playing
        /// Its last sample went out.
        case played
        /// A stop, or a higher priority session, cut it.
        case interrupted
    }

    public var receiver: String
    /// The last thing it reported.
    public var state: State
    /// When: the event's time (for `playing`, the first sample's presentation).
    public var at: Date
    /// When it accepted the `play` command; nil if that acknowledgement never came.
    public var ackedAt: Date?
    /// Why it was cut, or what its playback concealed (e.g. `concealed 12`).
    public var detail: String?

    public init(receiver: String, state: State, at: Date, ackedAt: Date? = nil, detail: String? = nil) {
        self.receiver = receiver
        self.state = state
        self.at = at
        self.ackedAt = ackedAt
        self.detail = detail
    }
}
