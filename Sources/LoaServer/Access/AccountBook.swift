import Foundation
import LoaCore
import LoaSecurity
import LoaStore
import Logging
import Synchronization

/// Operators' accounts, sign-in and API tokens, and the audit log as `loa audit` reads it.
///
/// Passwords are checked with bcrypt on a thread of their own (a tenth of a second each, by design), after the
/// throttle (`SignInThrottle`, per account and per address) has had its say. An unknown name costs the same
/// bcrypt check as a wrong password and gets the same answer, so nothing tells whether an account exists.
/// Every sign-in, failed or not, is audited.
final class AccountBook: AccountManaging, Sendable {
    let database: LoaDatabase
    let clock: any WallClock
    let logger: Logger
    let throttle: Mutex<SignInThrottle>
    /// When each token's use was last written, so a busy script costs one write a minute, not one a request.
    let tokenUse = Mutex<[String: Date]>([:])

    init(
        database: LoaDatabase,
        clock: any WallClock = SystemWallClock(),
        throttle: SignInThrottle.Policy = .init(),
        logger: Logger = Logger(label: "loa.accounts")
    ) {
        self.database = database
        self.clock = clock
        self.throttle = Mutex(SignInThrottle(policy: throttle))
        self.logger = logger
    }

    /// The one refusal of a sign-in, whatever was wrong.
    static let refusal = OperationError(.unauthenticated, "the user name or password is wrong")

    // MARK: Authentication

    func verify(user: String, password: String, from origin: Caller.Origin) async throws(OperationError) -> Caller {
        let address = origin.description
        let now = clock.now()
        if let wait = throttle.withLock({ $0.wait(account: user, address: address, now: now) }) {
            await auditIfPossible(
                AuditEntry(actor: user, origin: address, action: "sign-in.throttled", detail: "retry after \(wait)")
            )
            throw OperationError(
                .throttled,
                "too many failed sign-ins; try again in \(wait.components.seconds) s",
                retryAfter: wait
            )
        }
        let stored = try await blocking { try self.database.account(named: user) }
        let hash = stored?.passwordHash ?? PasswordHasher.decoy
        let matches = await (try? BlockingCall.run { PasswordHasher.verify(password, hash: hash) }) ?? false
        guard matches, let account = stored?.account, !account.disabled else {
            let failures = throttle.withLock { throttle in
                throttle.recordFailure(account: user, address: address, now: now)
                return throttle.failures(account: user)
            }
            await auditIfPossible(
                AuditEntry(actor: user, origin: address, action: "sign-in.failed", detail: "failure \(failures)")
            )
            logger.notice("access.sign-in-failed", metadata: ["user": "\(user)", "origin": "\(address)"])
            throw Self.refusal
        }
        throttle.withLock { $0.recordSuccess(account: user) }
        let caller = Caller(name: account.name, role: account.role, origin: origin)
        await auditIfPossible(AuditEntry(caller: caller, action: "sign-in"))
        // Sessions that ended by themselves are swept here, a few times a day, so the table never grows.
        _ = try? await BlockingCall.run { [database] in try database.removeExpiredSessions(now: now) }
        return caller
    }

    func caller(forToken text: String, from origin: Caller.Origin) async -> Caller? {
        guard let presented = TokenSecret(parsing: text),
            let found = try? await BlockingCall.run({ try self.database.tokenAndAccount(id: presented.id) }),
            presented.matches(hash: found.secretHash), found.token.revokedAt == nil, !found.account.account.disabled
        else { return nil }
        let now = clock.now()
        if let expiry = found.token.expiresAt, expiry <= now { return nil }
        noteUse(of: found.token.id, at: now)
        return Caller(
            name: found.account.account.name,
            role: found.account.account.role,
            scope: found.token.scope,
            tokenID: found.token.id,
            origin: origin
        )
    }

    func caller(forAccount name: String, from origin: Caller.Origin) async throws(OperationError) -> Caller {
        guard let stored = try await blocking({ try self.database.account(named: name) }) else {
            throw OperationError(
                .forbidden,
                "there is no account '\(name)' on this gateway; create it with `sudo loa users add \(name) --role ROLE`"
            )
        }
        guard !stored.account.disabled else {
            throw OperationError(
                .forbidden,
                "the account '\(name)' is disabled; `loa users enable \(name)` restores it"
            )
        }
        return Caller(name: stored.account.name, role: stored.account.role, origin: origin)
    }

    // MARK: Accounts

    func users(by caller: Caller) async throws(OperationError) -> [UserAccount] {
        try caller.require(.read)
        return try await blocking { try self.database.accounts() }
    }

    func addUser(_ change: UserChange, by caller: Caller) async throws(OperationError) -> UserAccount {
        try caller.require(.manageAccounts)
        guard let name = change.name else { throw OperationError(.invalid, "a new account needs a name") }
        try UserAccount.validate(name: name)
        guard let role = change.role else {
            throw OperationError(
                .invalid,
                "give the account a role: --role \(OperatorRole.list.replacingOccurrences(of: ", ", with: "|"))"
            )
        }
        let hash = try await passwordHash(change.password)
        let account = UserAccount(
            name: name,
            role: role,
            hasPassword: hash != nil,
            disabled: change.disabled ?? false,
            createdAt: clock.now()
        )
        let added = try await blocking {
            try self.database.insertAccount(
                account,
                passwordHash: hash,
                audit: AuditEntry(caller: caller, action: "user.add", subject: name, detail: role.rawValue)
            )
        }
        guard added else {
            throw OperationError(.conflict, "the account '\(name)' exists already; see `loa users list`")
        }
        logger.notice(
            "access.user-added",
            metadata: ["user": "\(name)", "role": "\(role.rawValue)", "by": "\(caller.name)"]
        )
        return account
    }

    func changeUser(_ name: String, _ change: UserChange, by caller: Caller) async throws(OperationError) -> UserAccount
    {
        // Anyone may change their own password; everything else is a technician's.
        let ownPassword =
            change.password != nil && change.role == nil && change.disabled == nil
            && caller.name == name && caller.role != nil
        if !ownPassword { try caller.require(.manageAccounts) }
        let hash = try await passwordHash(change.password)
        var audit: [AuditEntry] = []
        if let role = change.role {
            audit.append(AuditEntry(caller: caller, action: "user.role", subject: name, detail: role.rawValue))
        }
        if hash != nil { audit.append(AuditEntry(caller: caller, action: "user.password", subject: name)) }
        if let disabled = change.disabled {
            audit.append(AuditEntry(caller: caller, action: disabled ? "user.disable" : "user.enable", subject: name))
        }
        let now = clock.now()
        let lines = audit
        let changed = try await blocking {
            let changed = try self.database.updateAccount(
                name,
                role: change.role,
                passwordHash: hash,
                disabled: change.disabled,
                at: now,
                audit: lines
            )
            // A new password or a disabled account ends the browser sessions signed in before.
            if changed, hash != nil || change.disabled == true { try self.database.removeSessions(account: name) }
            return changed
        }
        guard changed, let account = try await blocking({ try self.database.account(named: name) })?.account else {
            throw OperationError(.notFound, "there is no account '\(name)'; see `loa users list`")
        }
        return account
    }

    func removeUser(_ name: String, by caller: Caller) async throws(OperationError) {
        try caller.require(.manageAccounts)
        let removed = try await blocking {
            let removed = try self.database.deleteAccount(
                name,
                audit: AuditEntry(caller: caller, action: "user.remove", subject: name)
            )
            if removed { try self.database.removeSessions(account: name) }
            return removed
        }
        guard removed else { throw OperationError(.notFound, "there is no account '\(name)'; see `loa users list`") }
    }

    /// The bcrypt hash of `password` once it passes the policy; nil when no password was given.
    private func passwordHash(_ password: String?) async throws(OperationError) -> String? {
        guard let password else { return nil }
        try PasswordPolicy.validate(password)
        return try await blocking { PasswordHasher.hash(password) }
    }

    // MARK: Tokens

    func issueToken(_ request: TokenRequest, by caller: Caller) async throws(OperationError) -> IssuedToken {
        let account = request.account ?? caller.name
        // Your own token, at most as wide as the way you came in; anyone else's is a technician's to issue.
        if account != caller.name || caller.role == nil {
            try caller.require(.manageAccounts)
        } else if let scope = caller.scope, scope != .full {
            throw OperationError(.forbidden, "a \(scope.rawValue) token cannot issue tokens; sign in with a password")
        }
        guard let stored = try await blocking({ try self.database.account(named: account) }), !stored.account.disabled
        else {
            throw OperationError(.notFound, "there is no active account '\(account)'; see `loa users list`")
        }
        let label = request.label.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !label.isEmpty, label.count <= 100 else {
            throw OperationError(.invalid, "give the token a label of 1-100 characters, e.g. --label nagios")
        }
        if let days = request.days, !(1...3_650).contains(days) {
            throw OperationError(.invalid, "--days \(days) must be 1-3650")
        }
        let secret = TokenSecret()
        let now = clock.now()
        let token = APIToken(
            id: secret.id,
            account: account,
            scope: request.scope,
            label: label,
            createdAt: now,
            expiresAt: request.days.map { now.addingTimeInterval(Double($0) * 86_400) }
        )
        try await blocking {
            try self.database.insertToken(
                token,
                secretHash: secret.secretHash,
                audit: AuditEntry(
                    caller: caller,
                    action: "token.issue",
                    subject: secret.id,
                    detail: "\(account), \(request.scope.rawValue): \(label)"
                )
            )
        }
        return IssuedToken(token: secret.token, info: token, role: stored.account.role)
    }

    func tokens(by caller: Caller) async throws(OperationError) -> [APIToken] {
        let all = caller.may(.manageAccounts)
        return try await blocking { try self.database.tokens(account: all ? nil : caller.name) }
    }

    func revokeToken(id: String, by caller: Caller) async throws(OperationError) {
        guard let found = try await blocking({ try self.database.token(id: id) }) else {
            throw OperationError(.notFound, "there is no token '\(id)'; see `loa tokens list`")
        }
        if found.token.account != caller.name { try caller.require(.manageAccounts) }
        let revoked = try await blocking {
            try self.database.revokeToken(
                id: id,
                at: self.clock.now(),
                audit: AuditEntry(caller: caller, action: "token.revoke", subject: id)
            )
        }
        guard revoked else { throw OperationError(.notFound, "the token '\(id)' is already revoked") }
    }

    private func noteUse(of id: String, at now: Date) {
        let due = tokenUse.withLock { uses in
            guard let last = uses[id], now.timeIntervalSince(last) < 60 else {
                uses[id] = now
                return true
            }
            return false
        }
        guard due else { return }
        Task { [database] in _ = try? await BlockingCall.run { try database.touchToken(id: id, at: now) } }
    }

    // MARK: Audit

    func audit(_ action: String, subject: String?, by caller: Caller) async {
        await auditIfPossible(AuditEntry(caller: caller, action: action, subject: subject))
    }

    func auditLog(
        since: Date?,
        user: String?,
        limit: Int,
        by caller: Caller
    ) async throws(OperationError) -> [AuditRecord] {
        try caller.require(.read)
        return try await blocking {
            try self.database.recentAudit(since: since, actor: user, limit: limit).map(\.record)
        }
    }

    private func auditIfPossible(_ entry: AuditEntry) async {
        await BlockingCall.run { [database, logger] in database.auditIfPossible(entry, logger: logger) }
    }

    private func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws(OperationError) -> T {
        do { return try await BlockingCall.run(body) } catch let error as OperationError { throw error } catch {
            throw OperationError(.unavailable, "the store refused: \(error)")
        }
    }
}
