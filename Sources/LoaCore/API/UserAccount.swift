/// An account as the API shows it: never its password hash.
public struct UserAccount: Codable, Sendable, Hashable {
    public var name: String
    public var role: OperatorRole
    /// False until a password is set (`loa users passwd`): such an account works only over the API socket
    /// (`--as NAME`) and through tokens.
    public var hasPassword: Bool
    public var disabled: Bool
    public var createdAt: Date

    public init(name: String, role: OperatorRole, hasPassword: Bool, disabled: Bool, createdAt: Date) {
        self.name = name
        self.role = role
        self.hasPassword = hasPassword
        self.disabled = disabled
        self.createdAt = createdAt
    }

    /// The longest account name.
    public static let maximumNameLength = 64

    /// Checks an account name: lower-case letters, digits, `.`, `_` and `-`, starting with a letter or digit.
    public static func validate(name: String) throws(OperationError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard let first = name.first, first.isLetter || first.isNumber, name.count <= maximumNameLength,
            name.allSatisfy({ allowed.contains($0) })
        else {
            throw OperationError(
                .invalid,
                "'\(name)' is not an account name; use lower-case letters, digits, '.', '_' and '-' "
                    + "(at most \(maximumNameLength)), e.g. chu-tich"
            )
        }
    }
}

/// `POST /api/v1/users` and `PATCH /api/v1/users/{name}`: what to create or change. Passwords travel only in
/// request bodies, never in URLs or logs.
public struct UserChange: Codable, Sendable, Hashable {
    public var name: String?
    public var role: OperatorRole?
    public var password: String?
    public var disabled: Bool?

    public init(name: String? = nil, role: OperatorRole? = nil, password: String? = nil, disabled: Bool? = nil) {
        self.name = name
        self.role = role
        self.password = password
        self.disabled = disabled
    }
}

/// Password rules, checked before hashing.
public enum PasswordPolicy {
    public static let minimumLength = 10
    /// bcrypt reads at most 72 bytes; a longer password would be silently cut.
    public static let maximumBytes = 72

    public static func validate(_ password: String) throws(OperationError) {
        guard password.count >= minimumLength else {
            throw OperationError(.invalid, "the password is too short; use at least \(minimumLength) characters")
        }
        guard password.utf8.count <= maximumBytes else {
            throw OperationError(.invalid, "the password is longer than \(maximumBytes) bytes; use a shorter one")
        }
    }
}
