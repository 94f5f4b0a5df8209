/// Counters of one session, reported in `session.finished` and summed into telemetry.
struct SessionCounts: Sendable, Hashable {
    /// Times the output ran dry while playing (nothing buffered at or after the slot): one per stall however
    /// long it lasts, as the `underrun` events.
    var underruns = 0
    /// Messages with packets that arrived after their slot.
    var lateFrames = 0
    /// Slots filled by packet-loss concealment (lost, late or missing packets).
    var concealed = 0
    /// Slots of silence: a session of unknown length whose audio stayed missing past the concealment.
    var silent = 0
    /// Packets played.
    var played = 0
    /// Slots that passed muted under a higher-priority session.
    var muted = 0
}

extension SessionCounts {
    static func + (lhs: SessionCounts, rhs: SessionCounts) -> SessionCounts {
        SessionCounts(
            underruns: lhs.underruns + rhs.underruns,
            lateFrames: lhs.lateFrames + rhs.lateFrames,
            concealed: lhs.concealed + rhs.concealed,
            silent: lhs.silent + rhs.silent,
            played: lhs.played + rhs.played,
            muted: lhs.muted + rhs.muted
        )
    }
}
