/// One receiver's part in a broadcast, from its own events: whether it acknowledged the `play` command and
/// how its playback went. The broadcast log keeps one per target receiver from the moment the `play` is sent,
/// so an operator sees which loudspeakers actually aired an announcement, not only that the controller sent it
/// (docs/protocol.md, "How the controller judges each target of a broadcast").
public struct BroadcastReceiverReport: Codable, Sendable, Hashable {
    public enum State: String, Codable, Sendable, CaseIterable {
        /// The `play` was sent; nothing heard back yet.
        case sent
        /// It accepted the `play` command; no audio out yet.
        case acked
        /// Its first sample went out.
        case playing
        /// Its last sample went out, with nothing concealed.
        case played
        /// Its last sample went out, but it concealed lost audio or ran dry on the way (`detail` says how much).
        case playedWithGaps = "played-with-gaps"
        /// It stopped part-way: aborted, or went offline or silent before its end.
        case cutShort = "cut-short"
        /// It rejected the `play` command (`detail` is its reason: a wrong key, a wrong clock…).
        case refused
        /// It never acknowledged the `play`: offline at the start, or silent.
        case neverReached = "never-reached"

        /// Whether this is where the receiver's part ended.
        public var isFinal: Bool {
            switch self {
            case .sent, .acked, .playing: false
            case .played, .playedWithGaps, .cutShort, .refused, .neverReached: true
            }
        }

        /// Whether it played the broadcast to its end.
        public var didPlay: Bool { self == .played || self == .playedWithGaps }
    }

    public var receiver: String
    /// The last thing it reported, or the judgement on it once the broadcast settled.
    public var state: State
    /// When: the event's time (for `playing`, the first sample's presentation).
    public var at: Date
    /// When it accepted the `play` command; nil if that acknowledgement never came.
    public var ackedAt: Date?
    /// Why it was cut or refused, or what its playback concealed (e.g. `concealed 12`).
    public var detail: String?

    public init(receiver: String, state: State, at: Date, ackedAt: Date? = nil, detail: String? = nil) {
        self.receiver = receiver
        self.state = state
        self.at = at
        self.ackedAt = ackedAt
        self.detail = detail
    }
}
