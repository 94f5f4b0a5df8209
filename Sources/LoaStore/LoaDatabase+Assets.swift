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

    /// Records an asset (idempotent: the same content imported twice is one asset). Importing it again restarts
    /// its grace period, so audio uploaded for a schedule about to be added is not reclaimed in between.
    public func recordAsset(
        id: String,
        originalName: String,
        metadataJSON: String,
        actor: Caller,
        at date: Date = Date()
    ) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO asset (id, original_name, metadata, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at
                    """,
                arguments: [id, originalName, metadataJSON, date]
            )
            try Self.audit(db, AuditEntry(caller: actor, action: "asset.import", subject: id, detail: originalName))
        }
    }

    public func assetMetadataJSON(id: String) throws -> String? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT metadata FROM asset WHERE id = ?", arguments: [id])
        }
    }

    /// A page of assets, by name then id, with whether a schedule plays it: a keyset after the cursor and
    /// `LIMIT` in SQL.
    public func assetRecords(page: PageRequest) async throws -> Page<AssetRecord> {
        let key = try page.after.map { try PageCursor.decode($0, parts: 2) }
        return try await writer.read { db in
            var arguments = StatementArguments()
            var filter = ""
            if let key {
                filter = "WHERE (a.original_name, a.id) > (?, ?)"
                arguments += [key[0], key[1]]
            }
            arguments += [page.limit + 1]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.id, a.original_name, a.created_at,
                           json_extract(a.metadata, '$.durationSeconds') AS duration,
                           (\(Self.assetInUse)) AS referenced
                    FROM asset a \(filter) ORDER BY a.original_name, a.id LIMIT ?
                    """,
                arguments: arguments
            )
            let items = rows.prefix(page.limit).map(Self.assetRecord)
            guard rows.count > page.limit, let last = items.last else { return Page(items: items, next: nil) }
            return Page(items: items, next: PageCursor.encode([last.originalName, last.id]))
        }
    }

    /// Whether a schedule plays asset `a`: as its first item (the announcement's foreign key), as a later item of
    /// a programme or a one-off item (in its definition's JSON), or in a change waiting for approval. Asset ids
    /// are SHA-256 hex, so finding one in the JSON's text cannot match anything else.
    static let assetInUse = """
        EXISTS (SELECT 1 FROM announcement n WHERE n.asset_id = a.id)
        OR EXISTS (SELECT 1 FROM schedule s WHERE instr(s.definition, a.id) > 0)
        OR EXISTS (SELECT 1 FROM schedule_pending p WHERE instr(p.proposal, a.id) > 0)
        """

    /// An asset's row, as the listings select it.
    static func assetRecord(_ row: Row) -> AssetRecord {
        AssetRecord(
            id: row["id"],
            originalName: row["original_name"],
            durationSeconds: row["duration"] ?? 0,
            importedAt: row["created_at"],
            referenced: row["referenced"]
        )
    }

    /// Every asset, by name, with whether a schedule plays it.
    public func assetRecords() throws -> [AssetRecord] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.id, a.original_name, a.created_at,
                           json_extract(a.metadata, '$.durationSeconds') AS duration,
                           (\(Self.assetInUse)) AS referenced
                    FROM asset a ORDER BY a.original_name, a.id
                    """
            ).map(Self.assetRecord)
        }
    }

    /// Forgets the assets that no schedule plays and that were last imported before `cutoff`, and audits it;
    /// returns their ids, for the caller to remove their files. Checked and deleted in one transaction, so a
    /// schedule added meanwhile either keeps its asset or is refused by the foreign key.
    public func removeUnreferencedAssets(importedBefore cutoff: Date) throws -> [String] {
        try writer.write { db in
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT id FROM asset a
                    WHERE a.created_at < ? AND NOT (\(Self.assetInUse))
                    """,
                arguments: [cutoff]
            )
            for id in ids {
                try db.execute(sql: "DELETE FROM asset WHERE id = ?", arguments: [id])
                try Self.audit(db, AuditEntry(caller: .system, action: "asset.reclaim", subject: id))
            }
            return ids
        }
    }
}
