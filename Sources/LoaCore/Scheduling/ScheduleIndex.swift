/// Many schedules, compiled once, answering "what airs next" and "what airs between two instants" across all
/// of them: the scheduler's plan and `loa schedule next --count N --zone Z`.
///
/// Each schedule's rules are compiled to integers on insertion and time zones are resolved once per zone, so a
/// query over 10,000 schedules costs one jump to each schedule's next airing plus a min-heap merge.
/// Only approved schedules are considered unless a query passes `includeDrafts: true`.
public struct ScheduleIndex: Sendable {
    private struct Entry: Sendable {
        var schedule: Schedule
        var plan: OccurrencePlan
        /// Index into `zones`; nil for an unknown time zone (such a schedule never airs).
        var zone: Int?
    }

    /// Entries sorted by schedule id, so an entry's position is its rank in the id tie-break of `Occurrence`.
    private var entries: [Entry] = []
    private var zones: [TimeZone] = []
    private var zoneSlots: [String: Int] = [:]

    public init(_ schedules: some Sequence<Schedule> = []) {
        var byID: [String: Schedule] = [:]
        for schedule in schedules { byID[schedule.id] = schedule }  // the last one with an id wins
        for schedule in byID.values.sorted(by: { $0.id < $1.id }) { entries.append(makeEntry(schedule)) }
    }

    /// The schedules, by id.
    public var schedules: [Schedule] { entries.map(\.schedule) }
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    public subscript(id: String) -> Schedule? {
        let position = position(of: id)
        return position < entries.count && entries[position].schedule.id == id ? entries[position].schedule : nil
    }

    /// Adds a schedule, or replaces the one with the same id.
    public mutating func upsert(_ schedule: Schedule) {
        let position = position(of: schedule.id)
        let entry = makeEntry(schedule)
        if position < entries.count && entries[position].schedule.id == schedule.id {
            entries[position] = entry
        } else {
            entries.insert(entry, at: position)
        }
    }

    /// Removes and returns the schedule with this id, if any.
    @discardableResult
    public mutating func remove(id: String) -> Schedule? {
        let position = position(of: id)
        guard position < entries.count && entries[position].schedule.id == id else { return nil }
        return entries.remove(at: position).schedule
    }

    // MARK: Queries

    /// The next `count` airings strictly after `instant`, earliest first (same instant: higher priority first,
    /// then by schedule id).
    ///
    /// - Parameters:
    ///   - zone: only schedules that play in this zone (`.all` plays everywhere; `.receivers` when one of
    ///     its receivers is in the zone); nil for all.
    ///   - includeDrafts: consider draft schedules too (the scheduler never does).
    ///   - zoneOfReceiver: a receiver's zone, from the inventory; only asked when `zone` is set.
    public func next(
        count: Int,
        after instant: Date,
        zone: String? = nil,
        includeDrafts: Bool = false,
        zoneOfReceiver: (String) -> String? = { _ in nil }
    ) -> [Occurrence] {
        guard count > 0 else { return [] }
        let after = instant.wholeSecondsRoundingDown
        var calendars = zones.map(ZoneCalendar.init(timeZone:))
        var firsts: [Airing] = []
        for (rank, entry) in entries.enumerated()
        where considers(entry, zone: zone, includeDrafts: includeDrafts, zoneOfReceiver: zoneOfReceiver) {
            guard let slot = entry.zone,
                let airing = entry.plan.nextAiring(after: after, calendar: &calendars[slot])
            else { continue }
            firsts.append(Airing(airing, priority: entry.schedule.priority, rank: rank))
        }
        var heap = MinHeap(firsts)
        var result: [Occurrence] = []
        result.reserveCapacity(Swift.min(count, heap.count))
        while result.count < count, let airing = heap.popMin() {
            let entry = entries[airing.rank]
            result.append(entry.schedule.occurrence(at: (airing.instant, airing.local)))
            if let slot = entry.zone,
                let next = entry.plan.nextAiring(after: airing.instant, calendar: &calendars[slot])
            {
                heap.insert(Airing(next, priority: entry.schedule.priority, rank: airing.rank))
            }
        }
        return result
    }

    /// Every airing in `[start, end)` across the schedules, in `Occurrence` order.
    public func occurrences(
        from start: Date,
        to end: Date,
        zone: String? = nil,
        includeDrafts: Bool = false,
        zoneOfReceiver: (String) -> String? = { _ in nil }
    ) -> [Occurrence] {
        let (from, to) = (start.wholeSecondsRoundingUp, end.wholeSecondsRoundingUp)
        guard from < to else { return [] }
        var calendars = zones.map(ZoneCalendar.init(timeZone:))
        var airings: [Airing] = []
        var buffer: [(instant: Int, local: Int)] = []
        for (rank, entry) in entries.enumerated()
        where considers(entry, zone: zone, includeDrafts: includeDrafts, zoneOfReceiver: zoneOfReceiver) {
            guard let slot = entry.zone else { continue }
            buffer.removeAll(keepingCapacity: true)
            entry.plan.appendAirings(from: from, to: to, calendar: &calendars[slot], into: &buffer)
            for airing in buffer { airings.append(Airing(airing, priority: entry.schedule.priority, rank: rank)) }
        }
        airings.sort()
        var result: [Occurrence] = []
        result.reserveCapacity(airings.count)
        var previous: Airing?
        for airing in airings where airing != previous {  // two times shifted onto one instant air once
            result.append(entries[airing.rank].schedule.occurrence(at: (airing.instant, airing.local)))
            previous = airing
        }
        return result
    }

    // MARK: Internals

    /// An airing as integers; ordered like `Occurrence` (instant, higher priority, id rank).
    private struct Airing: Comparable {
        var instant: Int
        var priorityRank: Int
        var rank: Int
        var local: Int

        init(_ airing: (instant: Int, local: Int), priority: Priority, rank: Int) {
            self.instant = airing.instant
            self.priorityRank = priority.rank
            self.rank = rank
            self.local = airing.local
        }

        static func < (lhs: Airing, rhs: Airing) -> Bool {
            if lhs.instant != rhs.instant { return lhs.instant < rhs.instant }
            if lhs.priorityRank != rhs.priorityRank { return lhs.priorityRank > rhs.priorityRank }
            return lhs.rank < rhs.rank
        }

        static func == (lhs: Airing, rhs: Airing) -> Bool { lhs.instant == rhs.instant && lhs.rank == rhs.rank }
    }

    private func considers(
        _ entry: Entry,
        zone: String?,
        includeDrafts: Bool,
        zoneOfReceiver: (String) -> String?
    ) -> Bool {
        guard includeDrafts || entry.schedule.approval == .approved else { return false }
        guard let zone else { return true }
        return entry.schedule.targets.reaches(zone: zone, zoneOfReceiver: zoneOfReceiver)
    }

    /// Where `id` is or would be inserted in `entries`.
    private func position(of id: String) -> Int {
        var (low, high) = (0, entries.count)
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].schedule.id < id { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private mutating func makeEntry(_ schedule: Schedule) -> Entry {
        let slot: Int?
        if let known = zoneSlots[schedule.timeZone] {
            slot = known
        } else if let timeZone = try? Schedule.parseTimeZone(schedule.timeZone) {
            zones.append(timeZone)
            zoneSlots[schedule.timeZone] = zones.count - 1
            slot = zones.count - 1
        } else {
            slot = nil
        }
        return Entry(schedule: schedule, plan: OccurrencePlan(schedule), zone: slot)
    }
}
