/// Who makes a request, once authenticated: an account (with its role, and its token's scope if it came with
/// one), or the gateway's own local administrator over the API socket. Every change and every audit line
/// names one.
public struct Caller: Sendable, Hashable, CustomStringConvertible {
    /// Where a request came from, for the audit log.
    public enum Origin: Sendable, Hashable, CustomStringConvertible {
        /// The daemon's Unix socket, which only root and the `loa` group may open; the peer's Unix user if known.
        case socket(unixUser: String?)
        /// A TCP client's address.
        case address(String)
        /// The daemon itself (reloads, reclaiming audio).
        case daemon

        public var description: String {
            switch self {
            case .socket(let user): user.map { "socket (\($0))" } ?? "socket"
            case .address(let address): address
            case .daemon: "daemon"
            }
        }
    }

    /// The account's name, or the local Unix user's for the local administrator.
    public var name: String
    /// The account's role; nil for the local administrator, who may do everything.
    public var role: OperatorRole?
    /// The token's scope, when the request came with a token.
    public var scope: TokenScope?
    /// The token's id, so that `loa logout` can revoke the token it signed in with.
    public var tokenID: String?
    public var origin: Origin

    public init(name: String, role: OperatorRole?, scope: TokenScope? = nil, tokenID: String? = nil, origin: Origin) {
        self.name = name
        self.role = role
        self.scope = scope
        self.tokenID = tokenID
        self.origin = origin
    }

    /// The daemon's own actions.
    public static let system = Caller(name: "system", role: nil, origin: .daemon)

    /// Root or a member of the `loa` group on the gateway, over the socket, without naming an account.
    public static func localAdministrator(unixUser: String?) -> Caller {
        Caller(name: unixUser ?? "local", role: nil, origin: .socket(unixUser: unixUser))
    }

    /// Whether this caller may do `permission`: its role allows it and its token's scope does too.
    public func may(_ permission: Permission) -> Bool {
        let byRole = role.map { $0.permissions.union($0.permissions.contains(.read) ? [.readHealth] : []) }
        let allowed = byRole ?? Set(Permission.allCases)
        return allowed.contains(permission) && (scope?.permissions.contains(permission) ?? true)
    }

    /// Throws `forbidden`, naming who and what, unless the caller may do `permission`.
    public func require(_ permission: Permission) throws(OperationError) {
        guard may(permission) else {
            throw OperationError(.forbidden, "\(self) may not \(permission.refusal)")
        }
    }

    /// `name (role)`, or `name (token: scope)`.
    public var description: String {
        if let scope, scope != .full { return "\(name) (a \(scope.rawValue) token)" }
        return role.map { "\(name) (\($0.rawValue))" } ?? name
    }
}
