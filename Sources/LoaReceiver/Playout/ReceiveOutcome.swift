/// What became of an audio message.
package enum ReceiveOutcome: Sendable, Hashable {
    /// Buffered for playout.
    case buffered
    /// Some of it arrived after its slot.
    case late
    /// All of it was due before the receiver knew the session: it joined mid-session.
    case beforeJoin
    /// Its session was stopped or is over.
    case closed
    /// It carried the abort flag.
    case aborted
    /// It came on a channel its session's `play` did not name.
    case wrongChannel
}
