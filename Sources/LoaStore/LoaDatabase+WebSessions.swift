import Foundation
import GRDB
import LoaCore

/// Browser sessions, as a key-value store with expiry (what hummingbird-auth's session middleware needs).
/// Keys arrive already hashed: a copy of the store holds no usable cookie.
extension LoaDatabase {
    public func setSession(key: String, value: Data, expiresAt: Date?) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO web_session (key, value, expires_at) VALUES (?, ?, ?)
                    ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
                    """,
                arguments: [key, value, expiresAt]
            )
        }
    }

    /// The session under `key` and when it expires, unless it has expired by `now`.
    public func session(key: String, now: Date) throws -> (value: Data, expiresAt: Date?)? {
        try writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM web_session WHERE key = ?", arguments: [key])
            else { return nil }
            let expiresAt: Date? = row["expires_at"]
            if let expiresAt, expiresAt <= now { return nil }
            return (row["value"], expiresAt)
        }
    }

    public func removeSession(key: String) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM web_session WHERE key = ?", arguments: [key])
        }
    }

    /// Drops sessions that expired before `now`; how many.
    @discardableResult
    public func removeExpiredSessions(now: Date) throws -> Int {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM web_session WHERE expires_at <= ?", arguments: [now])
            return db.changesCount
        }
    }

    /// Ends every session of `account` (disabled, removed, or its password changed). Sessions are JSON
    /// holding the account's name.
    public func removeSessions(account: String) throws {
        try writer.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT key, value FROM web_session")
            for row in rows {
                let value: Data = row["value"]
                struct Owner: Decodable { var user: String }
                if (try? JSONDecoder().decode(Owner.self, from: value))?.user == account {
                    try db.execute(sql: "DELETE FROM web_session WHERE key = ?", arguments: [row["key"] as String])
                }
            }
        }
    }
}

extension LoaDatabase: WebSessionStoring {}
