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
    /// The controller's own judgement: the times in its reports are off from the controller's clock by seconds,
    /// so it refuses commands as stale and plays audio at the wrong instant.
    case clockSkew = "clock-skew"
    /// It refused a command as `stale` and has given no sign since that its clock is right.
    case commandsStale = "commands-stale"

    /// Whether it says the receiver's clock is wrong by seconds: it misses broadcasts, not just their step.
    public var missesBroadcasts: Bool { self == .clockSkew || self == .commandsStale }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The reason with its clock figure when it has one (`clock-skew +40.0 s`), for alerts and the CLI.
    /// - Parameters:
    ///   - clockOffsetMs: the receiver's own estimate (telemetry).
    ///   - clockSkewMs: the controller's estimate of the receiver's clock minus its own.
    public func described(clockOffsetMs: Double?, clockSkewMs: Double?) -> String {
        let figure: Double? =
            switch self {
            case .clockOffset: clockOffsetMs
            case .clockSkew, .commandsStale: clockSkewMs
            default: nil
            }
        guard let figure, figure.isFinite else { return rawValue }
        return "\(rawValue) \(Self.clockFigure(figure))"
    }

    /// A clock offset for people: `+1.2 ms` below a second, `+40.0 s` from one.
    public static func clockFigure(_ milliseconds: Double) -> String {
        abs(milliseconds) >= 1_000
            ? "\(signedTenths(milliseconds / 1_000)) s" : "\(signedTenths(milliseconds)) ms"
    }

    /// `+1.2`, `-0.4`, `+0.0`: a sign always, one decimal, rounded half away from zero (as `%+.1f` prints).
    private static func signedTenths(_ value: Double) -> String {
        let tenths = Int((abs(value) * 10).rounded())
        return "\(value < 0 && tenths > 0 ? "-" : "+")\(tenths / 10).\(tenths % 10)"
    }
}
