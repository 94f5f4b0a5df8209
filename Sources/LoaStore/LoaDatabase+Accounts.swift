import Foundation
import GRDB
import LoaCore

/// Operators' accounts and their API tokens. Passwords are kept only as bcrypt hashes and tokens only as
/// SHA-256 hashes of their secrets; neither is ever read back out through the API.
extension LoaDatabase {
    /// Migration "v6: accounts, tokens, sessions". Registered in `migrator`; never edited once shipped.
    static func createAccounts(_ db: Database) throws {
        try db.create(table: "account") { t in
            t.primaryKey("name", .text)
            t.column("role", .text).notNull()
            t.column("password_hash", .text)  // bcrypt; null until a password is set
            t.column("disabled", .boolean).notNull().defaults(to: false)
            t.column("created_at", .datetime).notNull()
            t.column("updated_at", .datetime).notNull()
        }
        try db.create(table: "api_token") { t in
            t.primaryKey("id", .text)
            t.column("account", .text).notNull().indexed().references("account", onDelete: .cascade)
            t.column("secret_hash", .text).notNull()  // SHA-256 of the secret, hex
            t.column("scope", .text).notNull()
            t.column("label", .text).notNull()
            t.column("created_at", .datetime).notNull()
            t.column("expires_at", .datetime)
            t.column("last_used_at", .datetime)
            t.column("revoked_at", .datetime)
        }
        // Browser sessions (hummingbird-auth's session middleware): the key is a hash of the cookie's value.
        try db.create(table: "web_session") { t in
            t.primaryKey("key", .text)
            t.column("value", .blob).notNull()
            t.column("expires_at", .datetime).indexed()
        }
        try db.alter(table: "audit_log") { t in t.add(column: "origin", .text) }
    }

    /// An account with its password hash, for the daemon's own checks only.
    public struct StoredAccount: Sendable, Hashable {
        public var account: UserAccount
        public var passwordHash: String?
    }

    public func account(named name: String) throws -> StoredAccount? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = ?", arguments: [name]).map(Self.account)
        }
    }

    public func accounts() throws -> [UserAccount] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY name").map { Self.account($0).account }
        }
    }

    /// Creates `account`; false when the name is taken.
    public func insertAccount(_ account: UserAccount, passwordHash: String?, audit: AuditEntry) throws -> Bool {
        try writer.write { db in
            let taken = try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE name = ?", arguments: [account.name])
            guard taken != true else { return false }
            try db.execute(
                sql: """
                    INSERT INTO account (name, role, password_hash, disabled, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    account.name, account.role.rawValue, passwordHash, account.disabled, account.createdAt,
                    account.createdAt,
                ]
            )
            try Self.audit(db, audit)
            return true
        }
    }

    /// Changes what is given of `name`'s role, password hash and disabled flag; false when there is no such
    /// account. Disabling an account or changing its password revokes its tokens.
    public func updateAccount(
        _ name: String,
        role: OperatorRole?,
        passwordHash: String?,
        disabled: Bool?,
        at date: Date,
        audit: [AuditEntry]
    ) throws -> Bool {
        try writer.write { db in
            var sets = ["updated_at = ?"]
            var arguments: [any DatabaseValueConvertible] = [date]
            if let role {
                sets.append("role = ?")
                arguments.append(role.rawValue)
            }
            if let passwordHash {
                sets.append("password_hash = ?")
                arguments.append(passwordHash)
            }
            if let disabled {
                sets.append("disabled = ?")
                arguments.append(disabled)
            }
            arguments.append(name)
            try db.execute(
                sql: "UPDATE account SET \(sets.joined(separator: ", ")) WHERE name = ?",
                arguments: StatementArguments(arguments)
            )
            guard db.changesCount > 0 else { return false }
            if passwordHash != nil || disabled == true {
                try db.execute(
                    sql: "UPDATE api_token SET revoked_at = ? WHERE account = ? AND revoked_at IS NULL",
                    arguments: [date, name]
                )
            }
            for entry in audit { try Self.audit(db, entry) }
            return true
        }
    }

    /// Removes `name` and its tokens; false when there is no such account.
    public func deleteAccount(_ name: String, audit: AuditEntry) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM api_token WHERE account = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM account WHERE name = ?", arguments: [name])
            guard db.changesCount > 0 else { return false }
            try Self.audit(db, audit)
            return true
        }
    }

    // MARK: Tokens

    public func insertToken(_ token: APIToken, secretHash: String, audit: AuditEntry) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO api_token (id, account, secret_hash, scope, label, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    token.id, token.account, secretHash, token.scope.rawValue, token.label, token.createdAt,
                    token.expiresAt,
                ]
            )
            try Self.audit(db, audit)
        }
    }

    /// Token `id` with its secret's hash, revoked or not.
    public func token(id: String) throws -> (token: APIToken, secretHash: String)? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_token WHERE id = ?", arguments: [id]).map {
                (Self.token($0), $0["secret_hash"])
            }
        }
    }

    /// Token `id`, its secret's hash and its account, in one read: what each request with a token needs.
    public func tokenAndAccount(id: String) throws -> (token: APIToken, secretHash: String, account: StoredAccount)? {
        try writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_token WHERE id = ?", arguments: [id]),
                let owner = try Row.fetchOne(
                    db,
                    sql: "SELECT * FROM account WHERE name = ?",
                    arguments: [row["account"] as String]
                )
            else { return nil }
            return (Self.token(row), row["secret_hash"], Self.account(owner))
        }
    }

    /// Every token, or `account`'s, newest first.
    public func tokens(account: String? = nil) throws -> [APIToken] {
        try writer.read { db in
            let rows =
                if let account {
                    try Row.fetchAll(
                        db,
                        sql: "SELECT * FROM api_token WHERE account = ? ORDER BY created_at DESC",
                        arguments: [account]
                    )
                } else {
                    try Row.fetchAll(db, sql: "SELECT * FROM api_token ORDER BY created_at DESC")
                }
            return rows.map(Self.token)
        }
    }

    /// Revokes token `id`; false when it is unknown or already revoked.
    public func revokeToken(id: String, at date: Date, audit: AuditEntry) throws -> Bool {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [date, id]
            )
            guard db.changesCount > 0 else { return false }
            try Self.audit(db, audit)
            return true
        }
    }

    /// Notes when token `id` was last used (at most once a minute is enough for the listing).
    public func touchToken(id: String, at date: Date) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE api_token SET last_used_at = ? WHERE id = ?", arguments: [date, id])
        }
    }

    static func account(_ row: Row) -> StoredAccount {
        StoredAccount(
            account: UserAccount(
                name: row["name"],
                role: OperatorRole(rawValue: row["role"]) ?? .viewer,
                hasPassword: (row["password_hash"] as String?) != nil,
                disabled: row["disabled"],
                createdAt: row["created_at"]
            ),
            passwordHash: row["password_hash"]
        )
    }

    static func token(_ row: Row) -> APIToken {
        APIToken(
            id: row["id"],
            account: row["account"],
            scope: TokenScope(rawValue: row["scope"]) ?? .health,
            label: row["label"],
            createdAt: row["created_at"],
            expiresAt: row["expires_at"],
            lastUsedAt: row["last_used_at"],
            revokedAt: row["revoked_at"]
        )
    }
}
