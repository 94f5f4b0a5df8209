/// How one occurrence ended, in the broadcast log.
public enum BroadcastOutcome: String, Codable, Sendable, CaseIterable {
    /// Fired and playing now (or aired to its end, its receivers' last reports still coming in).
    case playing
    /// Waiting for a higher or equal priority item on its zones to end.
    case waiting
    /// Played to the end, on every receiver it targets.
    case completed
    /// Played to the end, but not every receiver it targets played it (`detail` and its receivers say which).
    case partial
    /// Cut part-way by a higher priority item (or a stop).
    case interrupted
    /// Could not start within its lateness limit (the daemon was down, or it waited too long).
    case missed
    /// Started but could not be played (content or device error), or no receiver it targets played it;
    /// `detail` says which.
    case failed
    /// Preempted before it started, and the site's policy is to drop such items.
    case dropped

    /// Whether the entry is final; open entries found at start-up belong to a crashed run.
    public var isFinal: Bool { self != .playing && self != .waiting }
}
