import Foundation
import GRDB
import LoaCore

/// The daemon's SQLite store: one writer, migrations run on open, and methods named for what the daemon
/// does with them. Only `loa serve` opens it; the CLI goes through the HTTP API.
public struct LoaDatabase: Sendable {
    let connection: StoreConnection
    public var path: String { connection.path }

    /// The connection: a pool (WAL mode: readers never block the scheduler's writes), or a read-only one while
    /// the disk is too full to open the store for writing.
    var writer: any DatabaseWriter { connection.writer }

    /// Opens (creating if needed) the database at `path` and brings its schema up to date. On a disk too full
    /// for that, an existing up-to-date store is opened read-only (``readOnlyReason``).
    public init(path: String) throws {
        connection = try StoreConnection(path: path, migrator: Self.migrator)
    }

    /// Why the store is read-only (the error that kept it from opening for writing), or nil when it is writable.
    public var readOnlyReason: String? { connection.readOnly?.reason }

    /// Tries to make a read-only store writable again (once the disk has room); true when it is writable.
    public func reopenForWriting() -> Bool {
        connection.reopenForWriting(migrator: Self.migrator)
    }

    /// Schema history. A migration is never edited once shipped: add a new one instead.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: audit log") { db in
            try db.create(table: "audit_log") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull().indexed()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("subject", .text)
                t.column("detail", .text)
            }
        }
        migrator.registerMigration("v2: inventory, assets, schedules, broadcast log") { db in
            try db.create(table: "zone") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
            }
            try db.create(table: "receiver") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("zone_id", .text).notNull().indexed()
                t.column("latitude", .double)
                t.column("longitude", .double)
            }
            try db.create(table: "asset") { t in
                t.primaryKey("id", .text)  // SHA-256 of the normalised audio, hex
                t.column("original_name", .text).notNull()
                t.column("metadata", .jsonText).notNull()
                t.column("created_at", .datetime).notNull()
            }
            try db.create(table: "announcement") { t in
                t.primaryKey("id", .text)
                t.column("title", .text).notNull()
                t.column("content", .jsonText).notNull()
                t.column("asset_id", .text).references("asset")
                t.column("chime", .boolean).notNull()
                t.column("created_at", .datetime).notNull()
            }
            try db.create(table: "schedule") { t in
                t.primaryKey("id", .text)
                t.column("announcement_id", .text).notNull().references("announcement")
                t.column("priority", .text).notNull()
                t.column("approval", .text).notNull()
                t.column("definition", .jsonText).notNull()  // recurrence, limits, targets, options
                t.column("created_by", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("approved_by", .text)
                t.column("approved_at", .datetime)
            }
            try db.create(table: "broadcast") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("schedule_id", .text)  // no foreign key: the log outlives deleted schedules
                t.column("title", .text).notNull()
                t.column("priority", .text).notNull()
                t.column("targets", .jsonText).notNull()
                t.column("planned_at", .datetime).notNull().indexed()
                t.column("planned_local", .text).notNull()
                t.column("started_at", .datetime)
                t.column("ended_at", .datetime)
                t.column("outcome", .text).notNull()
                t.column("detail", .text)
                t.uniqueKey(["schedule_id", "planned_at"])
            }
            try db.create(table: "broadcast_receiver") { t in
                t.column("broadcast_id", .integer).notNull().references("broadcast", onDelete: .cascade)
                t.column("receiver_id", .text).notNull()
                t.column("state", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("detail", .text)
                t.primaryKey(["broadcast_id", "receiver_id"])
            }
            try db.create(table: "scheduler_state") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
        }
        migrator.registerMigration("v3: receiver states", migrate: createReceiverStates)
        migrator.registerMigration("v4: receiver acknowledgements", migrate: addReceiverAcknowledgements)
        migrator.registerMigration("v5: receiver credentials", migrate: createReceiverCredentials)
        migrator.registerMigration("v6: accounts, tokens, sessions", migrate: createAccounts)
        migrator.registerMigration("v7: who asked for each broadcast") { db in
            try db.alter(table: "broadcast") { t in t.add(column: "requested_by", .text) }
            // Entries from before: the account that made their schedule, where the schedule is still there.
            try db.execute(
                sql: """
                    UPDATE broadcast SET requested_by = (SELECT created_by FROM schedule WHERE schedule.id = broadcast.schedule_id)
                    """
            )
        }
        migrator.registerMigration("v8: live and relayed broadcasts' sources") { db in
            try db.alter(table: "broadcast") { t in
                t.add(column: "source", .text)
                t.add(column: "source_missing_us", .integer)
                t.add(column: "source_gaps", .integer)
            }
        }
        migrator.registerMigration("v9: programmes, revisions and changes waiting for approval") { db in
            try db.alter(table: "schedule") { t in
                t.add(column: "revision", .integer).notNull().defaults(to: 1)
                t.add(column: "length_ms", .integer)
            }
            // A change or delete of an approved programme that waits for an approver; the approved revision
            // keeps airing meanwhile. At most one per schedule.
            try db.create(table: "schedule_pending") { t in
                t.primaryKey("schedule_id", .text).references("schedule", onDelete: .cascade)
                t.column("kind", .text).notNull()
                t.column("revision", .integer).notNull()
                t.column("proposed_by", .text).notNull()
                t.column("proposed_at", .datetime).notNull()
                t.column("changes", .text).notNull()
                // The whole proposed schedule as JSON; null for a delete.
                t.column("proposal", .text)
            }
            try db.alter(table: "broadcast") { t in t.add(column: "items", .text) }
        }
        return migrator
    }

    /// Records who did what; the audit log is append-only.
    public func audit(_ entry: AuditEntry) throws {
        try writer.write { db in
            var record = entry
            try record.insert(db)
        }
    }

    /// The most recent audit entries, newest first: since `since`, by `actor`, when given.
    public func recentAudit(since: Date? = nil, actor: String? = nil, limit: Int = 100) throws -> [AuditEntry] {
        try writer.read { db in
            var request = AuditEntry.order(Column("id").desc)
            if let since { request = request.filter(Column("at") >= since) }
            if let actor { request = request.filter(Column("actor") == actor) }
            return try request.limit(limit).fetchAll(db)
        }
    }

    /// A cheap query that proves the file is readable and the schema is in place, for `/healthz`.
    public func checkHealth() -> ComponentHealth {
        if let reason = readOnlyReason {
            return ComponentHealth(
                condition: .failed,
                summary: "read-only (\(reason)); it airs and stops, but keeps nothing new until the disk has room",
                detail: path
            )
        }
        do {
            let applied = try writer.read { db in try Self.migrator.hasCompletedMigrations(db) }
            return applied
                ? ComponentHealth(condition: .ok, summary: "ok", detail: path)
                : ComponentHealth(condition: .failed, summary: "schema out of date", detail: path)
        } catch {
            return ComponentHealth(condition: .failed, summary: "failed (\(error))", detail: path)
        }
    }
}
