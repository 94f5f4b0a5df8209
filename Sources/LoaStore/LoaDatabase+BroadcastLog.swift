import Foundation
import GRDB
import LoaCore

/// The broadcast log: one row per occurrence handled, written before and after it plays. The scheduler's
/// writes use GRDB's async API, so each fsync waits on GRDB's writer queue, not on a cooperative thread.
extension LoaDatabase: BroadcastLogging {
    public func append(_ entry: BroadcastLogEntry) async throws -> Int64 {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO broadcast (schedule_id, title, priority, targets, planned_at, planned_local, started_at, ended_at, outcome, detail, requested_by, source, source_missing_us, source_gaps, items)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (schedule_id, planned_at) DO UPDATE SET outcome = excluded.outcome, detail = excluded.detail
                    """,
                arguments: Self.arguments(entry)
            )
            return try Int64.fetchOne(
                db,
                sql: "SELECT id FROM broadcast WHERE schedule_id IS ? AND planned_at = ? ORDER BY id DESC LIMIT 1",
                arguments: [entry.scheduleID, entry.plannedAt]
            ) ?? db.lastInsertedRowID
        }
    }

    public func update(_ entry: BroadcastLogEntry) async throws {
        guard let id = entry.id else { return }
        try await writer.write { db in
            try db.execute(
                sql: """
                    UPDATE broadcast SET started_at = ?, ended_at = ?, outcome = ?, detail = ?,
                        source = ?, source_missing_us = ?, source_gaps = ? WHERE id = ?
                    """,
                arguments: [
                    entry.startedAt, entry.endedAt, entry.outcome.rawValue, entry.detail, entry.source,
                    entry.sourceMissingMicroseconds, entry.sourceGaps, id,
                ]
            )
        }
    }

    /// The entries a crashed or stopped run left open, once what it kept from a full disk is written.
    public func openEntries() async throws -> [BroadcastLogEntry] {
        await writeKept()
        return try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM broadcast WHERE outcome IN ('playing', 'waiting') ORDER BY id")
                .map(Self.entry(from:))
        }
    }

    /// One log entry with its receivers' reports; nil when there is none with that id.
    public func broadcastEntry(id: Int64) async throws -> BroadcastLogEntry? {
        try await writer.read { db in
            guard
                var entry = try Row.fetchOne(db, sql: "SELECT * FROM broadcast WHERE id = ?", arguments: [id])
                    .map(Self.entry(from:))
            else { return nil }
            entry.receivers = try receiverReports(db, broadcasts: [id])[id] ?? []
            return entry
        }
    }

    public func watermark() async throws -> Date? {
        try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM scheduler_state WHERE key = 'watermark'")
                .flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
        }
    }

    public func setWatermark(_ date: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql:
                    "INSERT INTO scheduler_state (key, value) VALUES ('watermark', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                arguments: [String(date.timeIntervalSince1970)]
            )
        }
    }

    /// A page of log entries planned at or after `since`, newest first (by planned instant, then id), each
    /// with its receivers' reports: a keyset after the cursor and `LIMIT` in SQL.
    public func broadcastLog(since: Date?, page: PageRequest) async throws -> Page<BroadcastLogEntry> {
        let key = try page.after.map { try PageCursor.decode($0, parts: 2) }
        return try await writer.read { db in
            var sql = "SELECT *, planned_at AS planned_key FROM broadcast WHERE planned_at >= ?"
            var arguments: StatementArguments = [since ?? Date.distantPast]
            if let key {
                guard let id = Int64(key[1]) else { throw PageCursor.invalid(page.after ?? "") }
                sql += " AND (planned_at, id) < (?, ?)"
                arguments += [key[0], id]
            }
            sql += " ORDER BY planned_at DESC, id DESC LIMIT ?"
            arguments += [page.limit + 1]
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            var entries = try rows.prefix(page.limit).map(Self.entry(from:))
            let reports = try receiverReports(db, broadcasts: entries.compactMap(\.id))
            for index in entries.indices {
                entries[index].receivers = entries[index].id.flatMap { reports[$0] } ?? []
            }
            guard rows.count > page.limit, let last = rows.prefix(page.limit).last else {
                return Page(items: entries, next: nil)
            }
            return Page(
                items: entries,
                next: PageCursor.encode([last["planned_key"] as String, String(last["id"] as Int64)])
            )
        }
    }

    /// Log entries planned at or after `since`, newest first, each with its receivers' reports.
    public func broadcastLog(since: Date? = nil, limit: Int = 200) throws -> [BroadcastLogEntry] {
        try writer.read { db in
            var entries = try Row.fetchAll(
                db,
                sql: "SELECT * FROM broadcast WHERE planned_at >= ? ORDER BY planned_at DESC, id DESC LIMIT ?",
                arguments: [since ?? Date.distantPast, limit]
            ).map(Self.entry(from:))
            let reports = try receiverReports(db, broadcasts: entries.compactMap(\.id))
            for index in entries.indices {
                entries[index].receivers = entries[index].id.flatMap { reports[$0] } ?? []
            }
            return entries
        }
    }

    static func arguments(_ entry: BroadcastLogEntry) throws -> StatementArguments {
        [
            entry.scheduleID, entry.title, entry.priority.rawValue, try json(entry.targets), entry.plannedAt,
            entry.plannedLocal, entry.startedAt, entry.endedAt, entry.outcome.rawValue, entry.detail, entry.requestedBy,
            entry.source, entry.sourceMissingMicroseconds, entry.sourceGaps, try entry.items.map { try json($0) },
        ]
    }

    static func entry(from row: Row) throws -> BroadcastLogEntry {
        guard let priority = Priority(rawValue: row["priority"]),
            let outcome = BroadcastOutcome(rawValue: row["outcome"])
        else {
            throw DatabaseError(message: "broadcast \(row["id"] as Int64? ?? 0) has an unknown priority or outcome")
        }
        return BroadcastLogEntry(
            id: row["id"],
            scheduleID: row["schedule_id"],
            title: row["title"],
            priority: priority,
            targets: try decode(Targets.self, row["targets"]),
            plannedAt: row["planned_at"],
            plannedLocal: row["planned_local"],
            startedAt: row["started_at"],
            endedAt: row["ended_at"],
            outcome: outcome,
            detail: row["detail"],
            requestedBy: row["requested_by"],
            source: row["source"],
            sourceMissingMicroseconds: row["source_missing_us"],
            sourceGaps: row["source_gaps"],
            items: try (row["items"] as String?).map { try decode([String].self, $0) }
        )
    }
}
