/// What an API token may do, at most: a token never does more than its account's role allows.
public enum TokenScope: String, Codable, Sendable, CaseIterable {
    /// `/healthz` and `/metrics` only: for monitoring systems.
    case health
    /// Every read, no change: for reports and dashboards.
    case read
    /// Whatever its account's role allows: `loa login`'s tokens.
    case full

    /// The permissions this scope leaves to a token.
    public var permissions: Set<Permission> {
        switch self {
        case .health: [.readHealth]
        case .read: [.readHealth, .read]
        case .full: Set(Permission.allCases)
        }
    }
}
