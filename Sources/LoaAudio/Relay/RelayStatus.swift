/// Where a ``RelayReceiver`` stands with its stream.
public enum RelayStatus: Sendable, Hashable, CustomStringConvertible {
    /// Opening the stream for the first time.
    case connecting
    /// Connected, and decoded audio is coming in.
    case streaming
    /// The stream failed, ended or stalled (`reason` says which, from the last attempt); the receiver is waiting
    /// out its backoff or trying again.
    case reconnecting(reason: String)
    /// `close()` was called; nothing more will come.
    case closed

    public var description: String {
        switch self {
        case .connecting: return "connecting"
        case .streaming: return "streaming"
        case .reconnecting(let reason): return "reconnecting (\(reason))"
        case .closed: return "closed"
        }
    }
}
