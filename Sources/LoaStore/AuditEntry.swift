import Foundation
import GRDB

/// One line of the audit log: who did what to which thing, and when.
public struct AuditEntry: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "audit_log"

    public var id: Int64?
    public var at: Date
    /// A user name, or `system` for the daemon's own actions.
    public var actor: String
    public var action: String
    public var subject: String?
    public var detail: String?

    public init(at: Date = Date(), actor: String, action: String, subject: String? = nil, detail: String? = nil) {
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.detail = detail
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
