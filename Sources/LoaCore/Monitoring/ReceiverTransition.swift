/// A receiver's change of state, as stored in its history and shown by `loa receivers show`.
public struct ReceiverTransition: Codable, Sendable, Hashable {
    public var receiver: String
    public var from: ReceiverState
    public var to: ReceiverState
    public var at: Date
    /// Why, in a few words: `will`, `no telemetry for 30 s`, `weak-signal, underruns`.
    public var detail: String?

    public init(receiver: String, from: ReceiverState, to: ReceiverState, at: Date, detail: String? = nil) {
        self.receiver = receiver
        self.from = from
        self.to = to
        self.at = at
        self.detail = detail
    }
}
