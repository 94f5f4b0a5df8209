/// What the controller believes about one receiver (docs/protocol.md, "How the controller judges a receiver").
public enum ReceiverState: String, Codable, Sendable, CaseIterable, Hashable {
    /// Connected and reporting.
    case online
    /// Online, with a session on air.
    case playing
    /// Online, but its last telemetry crosses a threshold (weak signal, amplifier fault, underruns, clock).
    case degraded
    /// The broker reported it gone (its will), or it said goodbye.
    case offline
    /// Its status says online but no telemetry came for 3 intervals: the controller-side silence timeout.
    case lost
    /// In the inventory, never heard from.
    case unknown

    /// Connected and reporting, whatever the detail: online, playing or degraded.
    public var isReachable: Bool { self == .online || self == .playing || self == .degraded }

    /// Not reachable although it once was: offline or lost.
    public var isDown: Bool { self == .offline || self == .lost }
}

/// Which threshold a degraded receiver crosses.
public enum DegradedReason: String, Codable, Sendable, CaseIterable, Hashable, Comparable {
    case weakSignal = "weak-signal"
    case amplifierFault = "amplifier-fault"
    case underruns
    case clockOffset = "clock-offset"
    case overheating

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
