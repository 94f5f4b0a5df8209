/// What a commune aired in one month, as the district asks for it: airtime by hamlet and by priority, how many
/// broadcasts there were and how they ended, and the emergencies. A pure function of the broadcast log's
/// entries, the inventory and the site's time zone, so the page, the CSV and the tests agree on every figure.
///
/// The rules, which `loa log --json` is enough to check:
/// - a broadcast belongs to the month its **planned** instant falls in, in the site's zone (as `loa log
///   --since` selects);
/// - it **aired** when it ended `completed`, `partial` or `interrupted` with a start and an end; its airtime
///   is end − start, in whole seconds (rounded from milliseconds, half up), and totals add those seconds;
/// - a broadcast to the whole commune counts for every hamlet; to hamlets, for each of them; to receivers,
///   for each hamlet holding one of them (once per hamlet);
/// - `failed`, `missed` and `dropped` did not air; `playing` and `waiting` are not over yet and count in the
///   number of broadcasts only.
public struct MonthlyReport: Sendable {
    /// One broadcast of the month.
    public struct Line: Sendable, Hashable {
        public var entry: BroadcastLogEntry
        /// The hamlets it reached (zone ids), in the inventory's order, then any no longer in it.
        public var zones: [String]
        public var aired: Bool
        /// Its airtime in whole seconds; 0 when it did not air.
        public var airtimeSeconds: Int
    }

    /// Counts and airtime for one priority, one hamlet, or the whole month.
    public struct Tally: Sendable, Hashable {
        /// Broadcasts planned (any outcome).
        public var broadcasts = 0
        /// Of those, the ones that aired.
        public var aired = 0
        public var airtimeSeconds = 0

        public init(broadcasts: Int = 0, aired: Int = 0, airtimeSeconds: Int = 0) {
            self.broadcasts = broadcasts
            self.aired = aired
            self.airtimeSeconds = airtimeSeconds
        }

        mutating func add(_ line: Line) {
            broadcasts += 1
            if line.aired {
                aired += 1
                airtimeSeconds += line.airtimeSeconds
            }
        }
    }

    public let month: ReportMonth
    /// The month's span in the site's zone.
    public let interval: DateInterval
    /// The month's broadcasts, oldest first.
    public let lines: [Line]
    public let total: Tally
    /// Every priority, in `Priority.allCases` order, with zeros where none aired.
    public let byPriority: [(priority: Priority, tally: Tally)]
    /// Every hamlet of the inventory in its order (zeros included), then any other a broadcast reached.
    public let byZone: [(zone: String, tally: Tally)]
    /// How many broadcasts ended each way (every outcome, zeros included).
    public let outcomes: [BroadcastOutcome: Int]

    /// Broadcasts that did not air: failed, missed or dropped.
    public var notAired: Int { (outcomes[.failed] ?? 0) + (outcomes[.missed] ?? 0) + (outcomes[.dropped] ?? 0) }
    /// Broadcasts cut part-way by a higher priority or a stop.
    public var cut: Int { outcomes[.interrupted] ?? 0 }
    /// Broadcasts still on the air or waiting.
    public var open: Int { (outcomes[.playing] ?? 0) + (outcomes[.waiting] ?? 0) }
    /// The emergencies, oldest first, whatever their outcome.
    public var emergencies: [Line] { lines.filter { $0.entry.priority == .emergency } }

    /// The outcomes that count as having aired.
    public static let airedOutcomes: Set<BroadcastOutcome> = [.completed, .partial, .interrupted]

    /// - Parameter entries: log entries; those planned outside the month are left out, so a caller may pass
    ///   everything since the month's start.
    public init(month: ReportMonth, timeZone: TimeZone, entries: [BroadcastLogEntry], inventory: SiteInventory) {
        self.month = month
        let interval = month.interval(in: timeZone)
        self.interval = interval
        let order = Dictionary(
            inventory.zones.enumerated().map { ($1.id, $0) },
            uniquingKeysWith: { first, _ in first }
        )
        let zoneOfReceiver = inventory.receiverZoneLookup
        let lines =
            entries
            .filter { $0.plannedAt >= interval.start && $0.plannedAt < interval.end }
            .sorted { ($0.plannedAt, $0.id ?? 0) < ($1.plannedAt, $1.id ?? 0) }
            .map { entry in
                let aired = Self.airedOutcomes.contains(entry.outcome) && entry.startedAt != nil && entry.endedAt != nil
                let zones = Self.zones(of: entry.targets, inventory: inventory, zoneOfReceiver: zoneOfReceiver)
                    .sorted { (order[$0] ?? Int.max, $0) < (order[$1] ?? Int.max, $1) }
                return Line(
                    entry: entry,
                    zones: zones,
                    aired: aired,
                    airtimeSeconds: aired ? Self.wholeSeconds(from: entry.startedAt!, to: entry.endedAt!) : 0
                )
            }
        self.lines = lines

        var total = Tally()
        var priorities: [Priority: Tally] = [:]
        var zones: [String: Tally] = Dictionary(uniqueKeysWithValues: inventory.zones.map { ($0.id, Tally()) })
        var outcomes = Dictionary(uniqueKeysWithValues: BroadcastOutcome.allCases.map { ($0, 0) })
        for line in lines {
            total.add(line)
            priorities[line.entry.priority, default: Tally()].add(line)
            for zone in line.zones { zones[zone, default: Tally()].add(line) }
            outcomes[line.entry.outcome, default: 0] += 1
        }
        self.total = total
        byPriority = Priority.allCases.map { ($0, priorities[$0] ?? Tally()) }
        byZone = zones.keys.sorted { (order[$0] ?? Int.max, $0) < (order[$1] ?? Int.max, $1) }.map { ($0, zones[$0]!) }
        self.outcomes = outcomes
    }

    /// The hamlets `targets` reach: all of them, the ones listed, or those holding the receivers listed.
    static func zones(
        of targets: Targets,
        inventory: SiteInventory,
        zoneOfReceiver: (String) -> String?
    ) -> [String] {
        switch targets {
        case .all: inventory.zones.map(\.id)
        case .zones(let ids): Array(Set(ids))
        case .receivers(let ids): Array(Set(ids.compactMap(zoneOfReceiver)))
        }
    }

    /// `end − start` in whole seconds, rounded half up from whole milliseconds (the log's precision), so
    /// anyone adding the log's instants gets the same figure.
    public static func wholeSeconds(from start: Date, to end: Date) -> Int {
        let milliseconds = max(0, Int((end.timeIntervalSince(start) * 1000).rounded()))
        return (milliseconds + 500) / 1000
    }
}

extension ScheduleManaging {
    /// Every log entry planned in `month` (in `timeZone`), a page at a time. The log reads newest first from
    /// a start, so the entries planned after the month are read and left out.
    public func broadcastLog(
        in month: ReportMonth,
        timeZone: TimeZone
    ) async throws(OperationError)
        -> [BroadcastLogEntry]
    {
        let interval = month.interval(in: timeZone)
        var entries: [BroadcastLogEntry] = []
        var page = try PageRequest(limit: PageRequest.maximumLimit)
        while true {
            let fetched = try await broadcastLog(since: interval.start, zone: nil, page: page)
            entries += fetched.items.filter { $0.plannedAt < interval.end }
            guard let next = fetched.next else { return entries }
            page.after = next
        }
    }
}
