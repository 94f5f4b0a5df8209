import Foundation
import GRDB
import LoaCore

/// Audio assets: content-addressed (SHA-256 of the normalised audio) with their measured metadata as JSON.
extension LoaDatabase {
    public func hasAsset(id: String) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM asset WHERE id = ?)", arguments: [id]) ?? false
        }
    }

    /// Records an asset (idempotent: the same content imported twice is one asset).
    public func recordAsset(id: String, originalName: String, metadataJSON: String, actor: String) throws {
        try writer.write { db in
            try db.execute(
                sql:
                    "INSERT INTO asset (id, original_name, metadata, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                arguments: [id, originalName, metadataJSON, Date()]
            )
            try Self.audit(db, AuditEntry(actor: actor, action: "asset.import", subject: id, detail: originalName))
        }
    }

    public func assetMetadataJSON(id: String) throws -> String? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT metadata FROM asset WHERE id = ?", arguments: [id])
        }
    }
}
