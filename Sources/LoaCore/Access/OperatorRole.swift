/// What an account may do: one role each, set with `loa users role`.
public enum OperatorRole: String, Codable, Sendable, CaseIterable {
    /// Reads everything and changes nothing (district inspectors).
    case viewer
    /// Drafts schedules and announcements, and uploads their audio.
    case `operator`
    /// Also approves, airs at once, airs emergencies, stops and sets volume.
    case approver
    /// Looks after the system: receivers and their enrollment, the controller's key, accounts and tokens.
    case technician

    /// What this role may do.
    public var permissions: Set<Permission> {
        switch self {
        case .viewer: [.read]
        case .operator: [.read, .draft]
        case .approver: [.read, .draft, .air]
        case .technician: [.read, .maintain, .manageAccounts]
        }
    }

    public var mayApprove: Bool { permissions.contains(.air) }

    /// The roles, as an error message lists them.
    public static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
