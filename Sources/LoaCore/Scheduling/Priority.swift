/// Broadcast priority, after Circular 39/2020/TT-BTTTT. Ordered: a higher level preempts or outranks a lower.
public enum Priority: String, Codable, Sendable, CaseIterable, Comparable {
    /// The commune decides whether and when to play it.
    case normal
    /// Played ahead of the programme; waits for a normal item to end unless the site cuts.
    case priority
    /// An operator reading live; ranks between priority and emergency (live broadcasts come later).
    case live
    /// Disaster, fire, epidemic: plays at once and interrupts everything.
    case emergency

    var rank: Int {
        switch self {
        case .normal: 0
        case .priority: 1
        case .live: 2
        case .emergency: 3
        }
    }

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rank < rhs.rank }
}
