/// One occurrence in the broadcast log: what was planned, what happened, and (later) each receiver's report.
public struct BroadcastLogEntry: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64?
    /// Nil for an ad-hoc `loa announce`.
    public var scheduleID: String?
    public var title: String
    public var priority: Priority
    public var targets: Targets
    public var plannedAt: Date
    /// The planned time as the operator sees it, in the schedule's time zone.
    public var plannedLocal: String
    public var startedAt: Date?
    public var endedAt: Date?
    public var outcome: BroadcastOutcome
    public var detail: String?
    /// Each receiver's report, sorted by receiver id; filled in by the log's reader, nil where not read.
    public var receivers: [BroadcastReceiverReport]?
    /// Who asked for it: the account that aired it at once (`loa announce`, the console's emergency), or the
    /// one that made its schedule. Nil only where the store could not tell (a schedule deleted before v7).
    public var requestedBy: String?
    /// For a live or relayed broadcast: where its audio came from (`live:{device}`, the relay's URL).
    public var source: String?
    /// For a relayed broadcast: how long its stream was missing or silent while it aired (µs), the fallback
    /// airing instead, and in how many gaps.
    public var sourceMissingMicroseconds: Int64?
    public var sourceGaps: Int?
    /// For a programme of several items: each item's title, in the order they aired (one-off items of the day
    /// included); nil for a single item.
    public var items: [String]?

    public init(
        id: Int64? = nil,
        scheduleID: String?,
        title: String,
        priority: Priority,
        targets: Targets,
        plannedAt: Date,
        plannedLocal: String,
        startedAt: Date? = nil,
        endedAt: Date? = nil,
        outcome: BroadcastOutcome,
        detail: String? = nil,
        receivers: [BroadcastReceiverReport]? = nil,
        requestedBy: String? = nil,
        source: String? = nil,
        sourceMissingMicroseconds: Int64? = nil,
        sourceGaps: Int? = nil,
        items: [String]? = nil
    ) {
        self.items = items
        self.id = id
        self.scheduleID = scheduleID
        self.title = title
        self.priority = priority
        self.targets = targets
        self.plannedAt = plannedAt
        self.plannedLocal = plannedLocal
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.outcome = outcome
        self.detail = detail
        self.receivers = receivers
        self.requestedBy = requestedBy
        self.source = source
        self.sourceMissingMicroseconds = sourceMissingMicroseconds
        self.sourceGaps = sourceGaps
    }
}
