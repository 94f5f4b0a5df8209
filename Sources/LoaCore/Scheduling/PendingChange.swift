/// A change to an approved programme that waits for an approver, while the approved revision keeps airing.
///
/// The proposed schedule itself is stored beside the approved one (``ScheduleManaging/pendingRevision(of:)``);
/// this is what a listing says about it.
public struct PendingChange: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable {
        /// A new revision: time, targets, skips, content or volume changed.
        case edit
        /// An operator asked to delete an approved programme.
        case delete
    }

    public var kind: Kind
    /// The revision number it would become (the approved one's plus one); for a delete, the approved one's.
    public var revision: Int
    public var proposedBy: String
    public var proposedAt: Date
    /// What changes, one line each, as the audit log and `loa schedule show` print them, e.g.
    /// `time: daily 05:00 → daily 05:30`.
    public var changes: [String]

    public init(kind: Kind, revision: Int, proposedBy: String, proposedAt: Date, changes: [String]) {
        self.kind = kind
        self.revision = revision
        self.proposedBy = proposedBy
        self.proposedAt = proposedAt
        self.changes = changes
    }
}
