import Foundation
import GRDB
import LoaCore

/// Changes to stored schedules: a draft edited in place, a change or delete of an approved programme proposed
/// beside it (`schedule_pending`) and applied when an approver approves it. Each write is audited with what
/// changed, in the same transaction.
extension LoaDatabase {
    /// Replaces a schedule's stored revision with `schedule` (same id): its announcement row and its rules. A
    /// change waiting on it is dropped when `dropPending` (it was just applied). Returns false when there is no
    /// such schedule.
    public func replaceSchedule(_ schedule: Schedule, dropPending: Bool, audit entry: AuditEntry) throws -> Bool {
        try writer.write { db in
            var assetID: String?
            if case .audio(let id) = schedule.announcement.content { assetID = id }
            try db.execute(
                sql: """
                    UPDATE schedule SET priority = ?, approval = ?, definition = ?, revision = ?, length_ms = ?,
                        approved_by = CASE WHEN ? THEN ? ELSE approved_by END,
                        approved_at = CASE WHEN ? THEN ? ELSE approved_at END
                    WHERE id = ?
                    """,
                arguments: [
                    schedule.priority.rawValue, schedule.approval.rawValue,
                    try Self.json(Self.definition(of: schedule)), schedule.revision, schedule.lengthMilliseconds,
                    dropPending, entry.actor, dropPending, entry.at, schedule.id,
                ]
            )
            guard db.changesCount > 0 else { return false }
            try db.execute(
                sql: "UPDATE announcement SET title = ?, content = ?, asset_id = ?, chime = ? WHERE id = ?",
                arguments: [
                    schedule.announcement.title, try Self.json(schedule.announcement.content), assetID,
                    schedule.announcement.chime, schedule.id,
                ]
            )
            if dropPending {
                try db.execute(sql: "DELETE FROM schedule_pending WHERE schedule_id = ?", arguments: [schedule.id])
            }
            try Self.audit(db, entry)
            return true
        }
    }

    /// Proposes `change` to schedule `id` (replacing any change already waiting on it), with the proposed schedule
    /// for an edit. Returns false when there is no such schedule.
    public func propose(
        _ change: PendingChange,
        proposal: Schedule?,
        forSchedule id: String,
        audit entry: AuditEntry
    ) throws -> Bool {
        try writer.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM schedule WHERE id = ?", arguments: [id]) != nil else {
                return false
            }
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO schedule_pending (schedule_id, kind, revision, proposed_by, proposed_at, changes, proposal)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, change.kind.rawValue, change.revision, change.proposedBy, change.proposedAt,
                    try Self.json(change.changes), try proposal.map { try Self.json($0) },
                ]
            )
            try Self.audit(db, entry)
            return true
        }
    }

    /// The schedule an edit waiting on schedule `id` proposes; nil when none waits (or it is a delete).
    public func proposal(forSchedule id: String) throws -> Schedule? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT proposal FROM schedule_pending WHERE schedule_id = ?", arguments: [id])
                .map { try Self.decode(Schedule.self, $0) }
        }
    }

    /// Drops the change waiting on schedule `id`; returns whether there was one.
    public func discardPending(forSchedule id: String, audit entry: AuditEntry) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM schedule_pending WHERE schedule_id = ?", arguments: [id])
            guard db.changesCount > 0 else { return false }
            try Self.audit(db, entry)
            return true
        }
    }

    /// Records how long one airing of schedule `id`'s current revision lasts.
    public func setLength(milliseconds: Int?, forSchedule id: String, revision: Int) throws {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE schedule SET length_ms = ? WHERE id = ? AND revision = ?",
                arguments: [milliseconds, id, revision]
            )
        }
    }
}
