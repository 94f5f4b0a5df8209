/// Accounts, sign-in, tokens and the audit log, as the HTTP API exposes them. The authentication middleware
/// uses the first three calls (`caller(forAccount:)` also for a browser session, each request: an account removed
/// or disabled since ends it); the rest are `loa users`, `loa tokens` and `loa audit`.
public protocol AccountManaging: Sendable {
    /// Checks `user`'s password, throttled per account and per `address`; every failure is audited. The same
    /// refusal whether the account exists or not.
    func verify(user: String, password: String, from origin: Caller.Origin) async throws(OperationError) -> Caller
    /// The caller a bearer token stands for, or nil when it is unknown, revoked, expired or its account is
    /// disabled.
    func caller(forToken token: String, from origin: Caller.Origin) async -> Caller?
    /// The caller for an account named over the API socket (`--as NAME`), with that account's role.
    func caller(forAccount name: String, from origin: Caller.Origin) async throws(OperationError) -> Caller

    func users(by caller: Caller) async throws(OperationError) -> [UserAccount]
    func addUser(_ change: UserChange, by caller: Caller) async throws(OperationError) -> UserAccount
    func changeUser(_ name: String, _ change: UserChange, by caller: Caller) async throws(OperationError) -> UserAccount
    func removeUser(_ name: String, by caller: Caller) async throws(OperationError)

    func issueToken(_ request: TokenRequest, by caller: Caller) async throws(OperationError) -> IssuedToken
    func tokens(by caller: Caller) async throws(OperationError) -> [APIToken]
    /// Revokes token `id` (`current` with the caller's own token is the API's `DELETE /api/v1/login`).
    func revokeToken(id: String, by caller: Caller) async throws(OperationError)
    /// Records a session's sign-out, or anything else the API layer audits itself.
    func audit(_ action: String, subject: String?, by caller: Caller) async

    func auditLog(
        since: Date?,
        user: String?,
        limit: Int,
        by caller: Caller
    ) async throws(OperationError)
        -> [AuditRecord]
}
