import Foundation
import GRDB
import LoaCore

/// One line of the audit log: who did what to which thing, and when.
public struct AuditEntry: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "audit_log"

    public var id: Int64?
    public var at: Date
    /// A user name, or `system` for the daemon's own actions.
    public var actor: String
    /// Where the request came from: `socket (USER)`, a client's address, or `daemon` (migration v6).
    public var origin: String?
    public var action: String
    public var subject: String?
    public var detail: String?

    public init(
        at: Date = Date(),
        actor: String,
        origin: String? = nil,
        action: String,
        subject: String? = nil,
        detail: String? = nil
    ) {
        self.at = at
        self.actor = actor
        self.origin = origin
        self.action = action
        self.subject = subject
        self.detail = detail
    }

    /// A line naming an authenticated caller and where the request came from.
    public init(at: Date = Date(), caller: Caller, action: String, subject: String? = nil, detail: String? = nil) {
        self.init(
            at: at,
            actor: caller.name,
            origin: caller.origin.description,
            action: action,
            subject: subject,
            detail: detail
        )
    }

    /// The API's view of this line.
    public var record: AuditRecord {
        AuditRecord(
            id: id ?? 0,
            at: at,
            actor: actor,
            origin: origin,
            action: action,
            subject: subject,
            detail: detail
        )
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
