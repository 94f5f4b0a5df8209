/// Content approval: only approved items air.
public enum ApprovalState: String, Codable, Sendable, CaseIterable {
    case draft
    case approved
}
