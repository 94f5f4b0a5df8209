/// Finds a schedule that would air at the same minute, at the same priority, on the same loudspeakers.
///
/// Two items of equal priority cannot both start on a receiver at once, so the operator is told before saving.
/// Items of different priority do not conflict: the higher one is played first. Emergency items never
/// conflict: they preempt everything. Drafts count, since they may be approved later.
public enum ConflictDetector {
    /// The first clash of `candidate` with one of `existing` between `now` and `horizonDays` days later.
    ///
    /// "First" is the earliest clashing minute; at the same minute, the schedule that comes first in `existing`.
    /// A schedule with the candidate's own id is skipped (editing a schedule does not clash with its old self).
    /// - Returns: the existing schedule and its occurrence at the clashing minute, or nil.
    public static func conflict(
        for candidate: Schedule,
        among existing: [Schedule],
        now: Date,
        horizonDays: Int = 366,
        zoneOfReceiver: (String) -> String?
    ) -> (existing: Schedule, at: Occurrence)? {
        guard candidate.priority != .emergency, horizonDays > 0 else { return nil }
        let start = now.wholeSecondsRoundingUp
        let end = start + horizonDays * ZoneCalendar.secondsPerDay

        var calendars: [String: ZoneCalendar] = [:]
        func airings(of schedule: Schedule, before limit: Int) -> [(instant: Int, local: Int)] {
            guard let timeZone = try? Schedule.parseTimeZone(schedule.timeZone) else { return [] }
            var buffer: [(instant: Int, local: Int)] = []
            OccurrencePlan(schedule).appendAirings(
                from: start,
                to: limit,
                calendar: &calendars[schedule.timeZone, default: ZoneCalendar(timeZone: timeZone)],
                into: &buffer
            )
            return buffer.sorted { $0.instant < $1.instant }
        }

        let candidateMinutes = Set(airings(of: candidate, before: end).map { $0.instant.floorDivided(by: 60) })
        guard !candidateMinutes.isEmpty else { return nil }

        var found: (existing: Schedule, airing: (instant: Int, local: Int))?
        for other in existing
        where other.id != candidate.id && other.priority == candidate.priority
            && candidate.targets.overlap(with: other.targets, zoneOfReceiver: zoneOfReceiver) != nil
        {
            // Only a strictly earlier clash can replace the one found: ties go to the earlier schedule in the list.
            let limit = found?.airing.instant ?? end
            if let clash = airings(of: other, before: limit).first(where: {
                candidateMinutes.contains($0.instant.floorDivided(by: 60))
            }) {
                found = (other, clash)
            }
        }
        return found.map { ($0.existing, $0.existing.occurrence(at: $0.airing)) }
    }

    /// The sentence an operator reads, e.g.
    /// `conflicts with schedule sch-12 'Tin sáng' at 2026-12-01 05:00 (same priority normal, zone thon-dong)`.
    public static func describe(
        _ conflict: (existing: Schedule, at: Occurrence),
        candidate: Schedule,
        zoneOfReceiver: (String) -> String?
    ) -> String {
        let existing = conflict.existing
        let shared = candidate.targets.overlap(with: existing.targets, zoneOfReceiver: zoneOfReceiver)
        let place = shared.map { ", \($0)" } ?? ""
        return "conflicts with schedule \(existing.id) '\(existing.announcement.title)' at \(conflict.at.local)"
            + " (same priority \(existing.priority.rawValue)\(place))"
    }
}
