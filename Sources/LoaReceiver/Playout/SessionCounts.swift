/// Counters of one session, reported in `session.finished` and summed into telemetry.
struct SessionCounts: Sendable, Hashable {
    /// Slots with nothing buffered at or after them: the stream ran dry.
    var underruns = 0
    /// Messages with packets that arrived after their slot.
    var lateFrames = 0
    /// Slots filled by packet-loss concealment (lost, late or missing packets).
    var concealed = 0
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
            played: lhs.played + rhs.played,
            muted: lhs.muted + rhs.muted
        )
    }
}
