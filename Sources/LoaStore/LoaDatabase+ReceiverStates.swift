import Foundation
import GRDB
import LoaCore

/// Receivers' state transitions: their history, availability and the states restored after a restart.
extension LoaDatabase: ReceiverHistoryStoring {
    /// Migration "v3: receiver states". Registered in `migrator`; never edited once shipped.
    static func createReceiverStates(_ db: Database) throws {
        try db.create(table: "receiver_transition") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("receiver_id", .text).notNull()  // no foreign key: strangers and removed receivers keep history
            t.column("from_state", .text).notNull()
            t.column("to_state", .text).notNull()
            t.column("at", .datetime).notNull()
            t.column("detail", .text)
        }
        try db.create(
            index: "receiver_transition_by_receiver",
            on: "receiver_transition",
            columns: ["receiver_id", "at"]
        )
        try db.create(index: "receiver_transition_by_time", on: "receiver_transition", columns: ["at"])
    }

    public func recordReceiverTransitions(_ transitions: [ReceiverTransition]) throws {
        guard !transitions.isEmpty else { return }
        try writer.write { db in
            let statement = try db.cachedStatement(
                sql:
                    "INSERT INTO receiver_transition (receiver_id, from_state, to_state, at, detail) VALUES (?, ?, ?, ?, ?)"
            )
            for transition in transitions {
                try statement.execute(arguments: [
                    transition.receiver, transition.from.rawValue, transition.to.rawValue, transition.at,
                    transition.detail,
                ])
            }
        }
    }

    public func latestReceiverTransitions() throws -> [String: ReceiverTransition] {
        try writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM receiver_transition
                    WHERE id IN (SELECT MAX(id) FROM receiver_transition GROUP BY receiver_id)
                    """
            )
            return Dictionary(
                rows.compactMap(Self.transition(from:)).map { ($0.receiver, $0) },
                uniquingKeysWith: { _, last in last }
            )
        }
    }

    public func receiverTransitions(receiver: String, since: Date, limit: Int) throws -> [ReceiverTransition] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM receiver_transition WHERE receiver_id = ? AND at >= ? ORDER BY at, id LIMIT ?",
                arguments: [receiver, since, limit]
            ).compactMap(Self.transition(from:))
        }
    }

    public func recentReceiverTransitions(receiver: String, limit: Int) throws -> [ReceiverTransition] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM receiver_transition WHERE receiver_id = ? ORDER BY at DESC, id DESC LIMIT ?",
                arguments: [receiver, limit]
            ).compactMap(Self.transition(from:))
        }
    }

    public func receiverTransition(receiver: String, before date: Date) throws -> ReceiverTransition? {
        try writer.read { db in
            try Row.fetchOne(
                db,
                sql:
                    "SELECT * FROM receiver_transition WHERE receiver_id = ? AND at < ? ORDER BY at DESC, id DESC LIMIT 1",
                arguments: [receiver, date]
            ).flatMap(Self.transition(from:))
        }
    }

    /// Every receiver's transitions during `window`, in order, and the last one before it (the state it
    /// entered the window in): what ``Availability/share(before:transitions:window:)`` needs, for all receivers
    /// in one read.
    public func receiverTransitions(
        during window: DateInterval
    ) throws -> (before: [String: ReceiverTransition], during: [String: [ReceiverTransition]]) {
        try writer.read { db in
            // SQLite takes a bare column's values from the row holding MAX(at).
            let before = try Row.fetchAll(
                db,
                sql: "SELECT *, MAX(at) FROM receiver_transition WHERE at < ? GROUP BY receiver_id",
                arguments: [window.start]
            ).compactMap(Self.transition(from:))
            let during = try Row.fetchAll(
                db,
                sql: "SELECT * FROM receiver_transition WHERE at >= ? AND at < ? ORDER BY at, id",
                arguments: [window.start, window.end]
            ).compactMap(Self.transition(from:))
            return (
                Dictionary(before.map { ($0.receiver, $0) }, uniquingKeysWith: { _, last in last }),
                Dictionary(grouping: during, by: \.receiver)
            )
        }
    }

    @discardableResult
    public func pruneReceiverTransitions(before date: Date) throws -> Int {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM receiver_transition WHERE at < ?", arguments: [date])
            return db.changesCount
        }
    }

    /// The broadcast log's entries by outcome, for `/metrics`.
    public func broadcastOutcomeCounts() throws -> [String: Int] {
        try writer.read { db in
            Dictionary(
                try Row.fetchAll(db, sql: "SELECT outcome, COUNT(*) AS n FROM broadcast GROUP BY outcome")
                    .map { ($0["outcome"] as String, $0["n"] as Int) },
                uniquingKeysWith: { first, _ in first }
            )
        }
    }

    /// A stored row; nil if a state name is one this version does not know (a newer daemon wrote it).
    static func transition(from row: Row) -> ReceiverTransition? {
        guard let from = ReceiverState(rawValue: row["from_state"]), let to = ReceiverState(rawValue: row["to_state"])
        else {
            return nil
        }
        return ReceiverTransition(
            receiver: row["receiver_id"],
            from: from,
            to: to,
            at: row["at"],
            detail: row["detail"]
        )
    }
}
