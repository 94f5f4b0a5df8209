import Foundation
import GRDB

/// Receivers' broker credentials: only each one's hash, when it was issued, and whether it was revoked. The
/// broker's password file is written from these (and the inventory) on every start and change.
extension LoaDatabase {
    /// Migration "v5: receiver credentials". Registered in `migrator`; never edited once shipped.
    static func createReceiverCredentials(_ db: Database) throws {
        try db.create(table: "receiver_credential") { t in
            t.primaryKey("receiver_id", .text)
            t.column("secret_hash", .text)  // null once revoked
            t.column("issued_at", .datetime).notNull()
            t.column("revoked_at", .datetime)
        }
    }

    /// Replaces each receiver's credential with a new one (enrolling again revokes the old secret), in one
    /// transaction.
    public func issueCredentials(_ credentials: [(receiver: String, hash: String)], at date: Date) throws {
        try writer.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO receiver_credential (receiver_id, secret_hash, issued_at, revoked_at)
                    VALUES (?, ?, ?, NULL)
                    ON CONFLICT(receiver_id) DO UPDATE SET
                        secret_hash = excluded.secret_hash, issued_at = excluded.issued_at, revoked_at = NULL
                    """
            )
            for credential in credentials {
                try statement.execute(arguments: [credential.receiver, credential.hash, date])
            }
        }
    }

    /// Revokes `receiver`'s credential; false when it had none in force.
    public func revokeCredential(receiver: String, at date: Date) throws -> Bool {
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE receiver_credential SET secret_hash = NULL, revoked_at = ?
                    WHERE receiver_id = ? AND secret_hash IS NOT NULL
                    """,
                arguments: [date, receiver]
            )
            return db.changesCount > 0
        }
    }

    /// The hash of every credential in force, by receiver id.
    public func activeCredentials() throws -> [String: String] {
        try writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT receiver_id, secret_hash FROM receiver_credential WHERE secret_hash IS NOT NULL"
            )
            return Dictionary(
                rows.map { ($0["receiver_id"], $0["secret_hash"]) },
                uniquingKeysWith: { _, last in last }
            )
        }
    }
}
