/// One line of the audit log as `loa audit` shows it: who (the authenticated account), from where, did what.
public struct AuditRecord: Codable, Sendable, Hashable {
    public var id: Int64
    public var at: Date
    public var actor: String
    /// `socket (root)`, a client's address, or `daemon`; nil for lines written before sign-in existed.
    public var origin: String?
    public var action: String
    public var subject: String?
    public var detail: String?

    public init(
        id: Int64,
        at: Date,
        actor: String,
        origin: String?,
        action: String,
        subject: String?,
        detail: String?
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.origin = origin
        self.action = action
        self.subject = subject
        self.detail = detail
    }
}
