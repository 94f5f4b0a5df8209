/// What a user of the operator CLI may do.
public enum OperatorRole: String, Codable, Sendable, CaseIterable {
    /// Creates and edits drafts.
    case `operator`
    /// Also approves items for air, and airs at once (`loa announce`, emergencies).
    case approver

    public var mayApprove: Bool { self == .approver }
}
