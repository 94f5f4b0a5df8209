/// What `loa schedule rm` did: deleted it, or asked an approver to (an operator's delete of an approved
/// programme).
public struct RemovalReceipt: Codable, Sendable, Hashable {
    public var scheduleID: String
    public var removed: Bool
    /// The delete that waits for an approver, when not removed.
    public var pending: PendingChange?

    public init(scheduleID: String, removed: Bool, pending: PendingChange? = nil) {
        self.scheduleID = scheduleID
        self.removed = removed
        self.pending = pending
    }
}
