import Foundation
import LoaCore

/// What is next, as people read it: each occurrence with its schedule's title, length and problems, a zone
/// filter given by id or by name, and whole days (`loa schedule next --days N`).
extension ScheduleBook {
    /// The longest window `loa schedule next --days` lists: a month ahead, as an officer plans it.
    static let listedDaysLimit = 31
    /// The most occurrences one listing returns.
    static let listedCountLimit = 1000

    func occurrences(days: Int, count: Int, zone: String?) async throws(OperationError) -> [Occurrence] {
        guard (1...Self.listedDaysLimit).contains(days) else {
            throw OperationError(.invalid, "days \(days) must be 1-\(Self.listedDaysLimit)")
        }
        guard (1...Self.listedCountLimit).contains(count) else {
            throw OperationError(.invalid, "count \(count) must be 1-\(Self.listedCountLimit)")
        }
        let configs = currentConfigs
        let zone = try Self.zoneID(zone, in: configs.inventory)
        let now = clock.now()
        let end = Self.endOfListing(days: days, after: now, timeZone: configs.site?.timeZone)
        let index = ScheduleIndex(book.withLock { $0.schedules })
        return index.occurrences(from: now, to: end, zone: zone, zoneOfReceiver: configs.inventory.receiverZoneLookup)
            .prefix(count)
            .map { Self.listed($0, of: index[$0.scheduleID], in: configs.inventory) }
    }

    /// The end of `days` whole local days counted from today's (1: midnight tonight), in the site's time zone.
    static func endOfListing(days: Int, after now: Date, timeZone identifier: String?) -> Date {
        let timeZone =
            (try? Schedule.parseTimeZone(identifier ?? Schedule.defaultTimeZone)) ?? TimeZone(identifier: "UTC")!
        let today = LocalDateTime(instant: now, in: timeZone).date
        return today.adding(days: days).start(in: timeZone)
    }

    /// The id of the zone a listing's filter names (its id or its name); nil for no filter.
    static func zoneID(_ zone: String?, in inventory: SiteInventory) throws(OperationError) -> String? {
        guard let zone else { return nil }
        do { return try inventory.zoneID(named: zone) } catch { throw OperationError(.invalid, error.description) }
    }

    /// `occurrence` as listed: its schedule's title and length, and its targets' ``Schedule/problems``.
    ///
    /// The length is the schedule's measured one; on a day with one-off items it is not known (those items are
    /// not in the measure), and it is left nil rather than shown too short.
    static func listed(_ occurrence: Occurrence, of schedule: Schedule?, in inventory: SiteInventory) -> Occurrence {
        var listed = occurrence
        let problems = inventory.problems(with: occurrence.targets)
        listed.problems = problems.isEmpty ? nil : problems
        guard let schedule else { return listed }
        listed.title = schedule.announcement.title
        let oneOff = schedule.oneOffItems.contains { $0.date == occurrence.local.date }
        listed.lengthMilliseconds = oneOff ? nil : schedule.lengthMilliseconds
        return listed
    }
}
