/// One planned airing of a schedule: the instant it should start, and the local time an operator sees.
public struct Occurrence: Codable, Sendable, Hashable, Comparable {
    public var scheduleID: String
    /// The UTC instant it should start.
    public var plannedAt: Date
    /// The same instant in the schedule's time zone, as the operator wrote it.
    public var local: LocalDateTime
    public var priority: Priority
    public var targets: Targets
    /// Its schedule's ``Schedule/problems``, so a listing of what is next shows them too.
    public var problems: [String]?
    /// Its schedule's title and length, for listings of what is next; nil when not filled in.
    public var title: String?
    public var lengthMilliseconds: Int?

    public init(scheduleID: String, plannedAt: Date, local: LocalDateTime, priority: Priority, targets: Targets) {
        self.scheduleID = scheduleID
        self.plannedAt = plannedAt
        self.local = local
        self.priority = priority
        self.targets = targets
    }

    /// Earlier first; at the same instant, higher priority first, then by schedule id for a stable order.
    public static func < (lhs: Occurrence, rhs: Occurrence) -> Bool {
        if lhs.plannedAt != rhs.plannedAt { return lhs.plannedAt < rhs.plannedAt }
        if lhs.priority != rhs.priority { return lhs.priority > rhs.priority }
        return lhs.scheduleID < rhs.scheduleID
    }
}
