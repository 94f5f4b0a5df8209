/// An API token as the API lists it: never its secret, which exists only in the answer that issued it.
public struct APIToken: Codable, Sendable, Hashable {
    public var id: String
    public var account: String
    public var scope: TokenScope
    public var label: String
    public var createdAt: Date
    public var expiresAt: Date?
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(
        id: String,
        account: String,
        scope: TokenScope,
        label: String,
        createdAt: Date,
        expiresAt: Date? = nil,
        lastUsedAt: Date? = nil,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.account = account
        self.scope = scope
        self.label = label
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}

/// A token just issued: the one time its secret is shown.
public struct IssuedToken: Codable, Sendable, Hashable {
    /// `loa_<id>_<secret>`, for `Authorization: Bearer`.
    public var token: String
    public var info: APIToken
    public var role: OperatorRole

    public init(token: String, info: APIToken, role: OperatorRole) {
        self.token = token
        self.info = info
        self.role = role
    }
}

/// `POST /api/v1/tokens`: a token for `account` (yours when nil), limited to `scope`.
public struct TokenRequest: Codable, Sendable, Hashable {
    public var account: String?
    public var scope: TokenScope
    public var label: String
    /// Days until it expires; nil for a token that lasts until revoked.
    public var days: Int?

    public init(account: String? = nil, scope: TokenScope, label: String, days: Int? = nil) {
        self.account = account
        self.scope = scope
        self.label = label
        self.days = days
    }
}

/// `POST /api/v1/login` (a token, for `loa login`) and `POST /api/v1/session` (a browser's cookie).
public struct SignInRequest: Codable, Sendable, Hashable {
    public var user: String
    public var password: String
    public var label: String?

    public init(user: String, password: String, label: String? = nil) {
        self.user = user
        self.password = password
        self.label = label
    }
}

/// `POST /api/v1/login`'s answer.
public struct SignInReply: Codable, Sendable, Hashable {
    public var token: String?
    public var user: String
    public var role: OperatorRole
    /// The session's CSRF token, which every change made with its cookie must carry in `X-CSRF-Token`.
    public var csrfToken: String?

    public init(token: String? = nil, user: String, role: OperatorRole, csrfToken: String? = nil) {
        self.token = token
        self.user = user
        self.role = role
        self.csrfToken = csrfToken
    }
}
