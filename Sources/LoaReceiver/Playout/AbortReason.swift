/// Why a receiver cut a session: `session.aborted`'s `reason` (docs/protocol.md, "ReceiverEvent").
enum AbortReason: String, Sendable, Hashable {
    /// A signed `stop` named the session, or `*`.
    case stop
    /// The controller's audio message carried the abort flag.
    case aborted
    /// A session of unknown length whose audio stayed missing for the stall limit (10 s).
    case stalled
}
