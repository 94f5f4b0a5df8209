/// One kind of thing a caller may do; roles (`OperatorRole`) and token scopes (`TokenScope`) are sets of them.
public enum Permission: String, Codable, Sendable, CaseIterable {
    /// Read health and metrics only: what a monitoring system needs.
    case readHealth
    /// Read everything: schedules, the log, receivers, the audit log.
    case read
    /// Create drafts and upload audio.
    case draft
    /// Approve, air at once, air an emergency, stop, set volume.
    case air
    /// Receivers (enroll, revoke, the broker's export) and the controller's key.
    case maintain
    /// Accounts and tokens.
    case manageAccounts

    /// What an operator reads when this permission is missing.
    public var refusal: String {
        switch self {
        case .readHealth, .read: "read this"
        case .draft: "create drafts or upload audio"
        case .air: "approve, air at once, stop or set volumes; ask an approver"
        case .maintain: "manage receivers or the controller's key; ask a technician"
        case .manageAccounts: "manage accounts or tokens; ask a technician"
        }
    }
}
