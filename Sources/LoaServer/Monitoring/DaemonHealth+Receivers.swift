import LoaCore

extension DaemonHealth {
    /// The receiver monitor's latest counts, for `/healthz` and `loa health`.
    func receiversChanged(_ counts: ReceiverCounts) {
        state.withLock { $0.receivers = counts }
    }
}
