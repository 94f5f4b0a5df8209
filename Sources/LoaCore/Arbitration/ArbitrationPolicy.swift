/// A site's rules for clashes between items on the same zones.
public struct ArbitrationPolicy: Sendable, Hashable, Codable {
    /// What becomes of an item cut part-way by a higher priority one.
    public enum AfterInterruption: String, Sendable, Hashable, Codable {
        /// Played again from the start once the zones are free.
        case resumeFromStart = "resume"
        /// Logged as interrupted and not played again.
        case drop
    }

    /// A `priority` item cuts a `normal` one at once instead of waiting for it to end.
    public var priorityCutsNormal: Bool
    public var afterInterruption: AfterInterruption

    public init(priorityCutsNormal: Bool = false, afterInterruption: AfterInterruption = .resumeFromStart) {
        self.priorityCutsNormal = priorityCutsNormal
        self.afterInterruption = afterInterruption
    }
}
