import Foundation
import GRDB
import LoaCore

/// Schedules and their announcements. A schedule row holds its rules as JSON; its announcement has a row of
/// its own, so the same content can later be scheduled more than once.
extension LoaDatabase {
    /// The parts of a schedule stored as JSON in `schedule.definition`.
    struct ScheduleDefinition: Codable {
        var recurrence: Recurrence
        var validFrom: LocalDate?
        var validUntil: LocalDate?
        var skipDates: [LocalDate]
        var timeZone: String
        var targets: Targets
        var volume: Int?
        var repeatCount: Int
        var repeatGapSeconds: Int
        var latenessLimitSeconds: Int
        /// A programme's items after the first, and the silence between items (absent before v9: one item).
        var followingItems: [ProgrammeItem]?
        var itemGapSeconds: Int?
        var oneOffItems: [DatedProgrammeItem]?
    }

    /// Stores a new schedule and its announcement in one transaction, and audits it.
    public func insert(_ schedule: Schedule, actor: Caller) throws {
        try writer.write { db in
            let content = try Self.json(schedule.announcement.content)
            var assetID: String?
            if case .audio(let id) = schedule.announcement.content { assetID = id }
            try db.execute(
                sql: """
                    INSERT INTO announcement (id, title, content, asset_id, chime, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    schedule.id, schedule.announcement.title, content, assetID, schedule.announcement.chime,
                    schedule.createdAt,
                ]
            )
            try db.execute(
                sql: """
                    INSERT INTO schedule (id, announcement_id, priority, approval, definition, created_by, created_at, approved_by, approved_at, revision, length_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    schedule.id, schedule.id, schedule.priority.rawValue, schedule.approval.rawValue,
                    try Self.json(Self.definition(of: schedule)), schedule.createdBy, schedule.createdAt,
                    schedule.approval == .approved ? actor.name : nil,
                    schedule.approval == .approved ? schedule.createdAt : nil,
                    schedule.revision, schedule.lengthMilliseconds,
                ]
            )
            try Self.audit(
                db,
                AuditEntry(
                    caller: actor,
                    action: "schedule.add",
                    subject: schedule.id,
                    detail: schedule.announcement.title
                )
            )
        }
    }

    /// All schedules, oldest first.
    public func schedules() throws -> [Schedule] {
        try writer.read { db in
            try Row.fetchAll(db, sql: Self.selectSchedules + " ORDER BY s.created_at, s.id").map(Self.schedule(from:))
        }
    }

    /// A page of schedules, oldest first (by creation instant, then id), in SQL: a keyset after the cursor
    /// and `LIMIT`, never the whole table.
    public func schedules(page: PageRequest) async throws -> Page<Schedule> {
        let key = try page.after.map { try PageCursor.decode($0, parts: 2) }
        return try await writer.read { db in
            var sql = Self.selectSchedules
            var arguments = StatementArguments()
            if let key {
                sql += " WHERE (s.created_at, s.id) > (?, ?)"
                arguments += [key[0], key[1]]
            }
            sql += " ORDER BY s.created_at, s.id LIMIT ?"
            arguments += [page.limit + 1]
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let items = try rows.prefix(page.limit).map(Self.schedule(from:))
            guard rows.count > page.limit, let last = rows.prefix(page.limit).last else {
                return Page(items: items, next: nil)
            }
            return Page(items: items, next: PageCursor.encode([last["created_at"] as String, last["id"] as String]))
        }
    }

    public func schedule(id: String) throws -> Schedule? {
        try writer.read { db in
            try Row.fetchOne(db, sql: Self.selectSchedules + " WHERE s.id = ?", arguments: [id]).map(
                Self.schedule(from:)
            )
        }
    }

    /// Marks a schedule approved; returns it, or nil if there is no such schedule.
    public func approve(scheduleID id: String, actor: Caller, at date: Date = Date()) throws -> Schedule? {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE schedule SET approval = 'approved', approved_by = ?, approved_at = ? WHERE id = ?",
                arguments: [actor.name, date, id]
            )
            guard db.changesCount > 0 else { return nil }
            try Self.audit(db, AuditEntry(at: date, caller: actor, action: "schedule.approve", subject: id))
            return try Row.fetchOne(db, sql: Self.selectSchedules + " WHERE s.id = ?", arguments: [id]).map(
                Self.schedule(from:)
            )
        }
    }

    /// Deletes a schedule (its broadcast log stays); returns whether it existed.
    public func deleteSchedule(id: String, actor: Caller) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM schedule WHERE id = ?", arguments: [id])
            guard db.changesCount > 0 else { return false }
            try db.execute(sql: "DELETE FROM announcement WHERE id = ?", arguments: [id])
            try Self.audit(db, AuditEntry(caller: actor, action: "schedule.remove", subject: id))
            return true
        }
    }

    static let selectSchedules = """
        SELECT s.id, s.priority, s.approval, s.definition, s.created_by, s.created_at, s.revision, s.length_ms,
               a.title, a.content, a.chime,
               p.kind AS pending_kind, p.revision AS pending_revision, p.proposed_by, p.proposed_at, p.changes
        FROM schedule s JOIN announcement a ON a.id = s.announcement_id
        LEFT JOIN schedule_pending p ON p.schedule_id = s.id
        """

    static func schedule(from row: Row) throws -> Schedule {
        let definition = try decode(ScheduleDefinition.self, row["definition"])
        let announcement = Announcement(
            title: row["title"],
            content: try decode(AnnouncementContent.self, row["content"]),
            chime: row["chime"],
            followingItems: definition.followingItems ?? [],
            itemGapSeconds: definition.itemGapSeconds ?? Announcement.defaultItemGapSeconds
        )
        guard let priority = Priority(rawValue: row["priority"]),
            let approval = ApprovalState(rawValue: row["approval"])
        else {
            throw DatabaseError(
                message: "schedule \(row["id"] as String? ?? "?") has an unknown priority or approval state"
            )
        }
        return Schedule(
            id: row["id"],
            announcement: announcement,
            recurrence: definition.recurrence,
            validFrom: definition.validFrom,
            validUntil: definition.validUntil,
            skipDates: definition.skipDates,
            timeZone: definition.timeZone,
            targets: definition.targets,
            priority: priority,
            volume: definition.volume,
            repeatCount: definition.repeatCount,
            repeatGapSeconds: definition.repeatGapSeconds,
            latenessLimitSeconds: definition.latenessLimitSeconds,
            approval: approval,
            createdBy: row["created_by"],
            createdAt: row["created_at"],
            oneOffItems: definition.oneOffItems ?? [],
            revision: row["revision"],
            pending: try pendingChange(from: row),
            lengthMilliseconds: row["length_ms"]
        )
    }

    /// The change waiting on a schedule's row (joined from `schedule_pending`), if any.
    static func pendingChange(from row: Row) throws -> PendingChange? {
        guard let kindText: String = row["pending_kind"] else { return nil }
        guard let kind = PendingChange.Kind(rawValue: kindText) else {
            throw DatabaseError(
                message: "schedule \(row["id"] as String? ?? "?") has an unknown pending change \(kindText)"
            )
        }
        return PendingChange(
            kind: kind,
            revision: row["pending_revision"],
            proposedBy: row["proposed_by"],
            proposedAt: row["proposed_at"],
            changes: try decode([String].self, row["changes"])
        )
    }

    static func definition(of schedule: Schedule) -> ScheduleDefinition {
        ScheduleDefinition(
            recurrence: schedule.recurrence,
            validFrom: schedule.validFrom,
            validUntil: schedule.validUntil,
            skipDates: schedule.skipDates,
            timeZone: schedule.timeZone,
            targets: schedule.targets,
            volume: schedule.volume,
            repeatCount: schedule.repeatCount,
            repeatGapSeconds: schedule.repeatGapSeconds,
            latenessLimitSeconds: schedule.latenessLimitSeconds,
            followingItems: schedule.announcement.followingItems.isEmpty ? nil : schedule.announcement.followingItems,
            itemGapSeconds: schedule.announcement.itemGapSeconds,
            oneOffItems: schedule.oneOffItems.isEmpty ? nil : schedule.oneOffItems
        )
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    static func audit(_ db: Database, _ entry: AuditEntry) throws {
        var entry = entry
        try entry.insert(db)
    }
}
