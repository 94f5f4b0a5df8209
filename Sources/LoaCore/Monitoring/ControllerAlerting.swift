/// Where the controller raises alerts about itself, as opposed to its receivers (docs/protocol.md,
/// "Alert"): a broadcast a crash cost, the store failing and recovering. They are never debounced.
public protocol ControllerAlerting: Sendable {
    /// Raises an alert of a controller kind (``ReceiverAlert/Kind/isControllerAlert``); `broadcast` is the
    /// broadcast log id it is about, if any.
    func raise(_ kind: ReceiverAlert.Kind, summary: String, broadcast: Int64?)
}
