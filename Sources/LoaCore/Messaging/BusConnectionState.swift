/// The state of the controller's link to the broker, as shown by `GET /healthz`.
public enum BusConnectionState: Sendable, Hashable {
    /// Not yet connected, or reconnecting after a loss.
    case connecting
    case connected
    /// The link is down; `reason` is the library's text, for the operator.
    case disconnected(reason: String)

    public var isConnected: Bool { self == .connected }
}
