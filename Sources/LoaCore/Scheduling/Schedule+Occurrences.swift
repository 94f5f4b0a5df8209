extension Schedule {
    /// Every airing that starts in `[start, end)`, earliest first.
    ///
    /// Honours the recurrence, `validFrom`/`validUntil` (inclusive local dates), `skipDates` and `timeZone`.
    /// Around DST changes a local time in a spring-forward gap airs shifted forward by the gap (02:30 → 03:30),
    /// and one that happens twice in a fall-back airs at the first (see `ZoneCalendar`); the occurrence's
    /// `local` is the wall-clock time at `plannedAt`. A schedule whose `timeZone` is unknown has no occurrences
    /// (`ScheduleValidator` rejects it).
    public func occurrences(from start: Date, to end: Date) -> [Occurrence] {
        guard let timeZone = try? Schedule.parseTimeZone(timeZone) else { return [] }
        var calendar = ZoneCalendar(timeZone: timeZone)
        var airings: [(instant: Int, local: Int)] = []
        OccurrencePlan(self).appendAirings(
            from: start.wholeSecondsRoundingUp,
            to: end.wholeSecondsRoundingUp,
            calendar: &calendar,
            into: &airings
        )
        airings.sort { $0.instant < $1.instant }
        var result: [Occurrence] = []
        result.reserveCapacity(airings.count)
        var previous: Int?
        for airing in airings where airing.instant != previous {  // two times shifted onto one instant air once
            result.append(occurrence(at: airing))
            previous = airing.instant
        }
        return result
    }

    /// The first airing strictly after `instant`, or nil if it never airs again.
    ///
    /// Jumps from airing day to airing day (next matching weekday, active week or month) rather than expanding
    /// a range, so it is cheap whatever the recurrence.
    public func nextOccurrence(after instant: Date) -> Occurrence? {
        guard let timeZone = try? Schedule.parseTimeZone(timeZone) else { return nil }
        var calendar = ZoneCalendar(timeZone: timeZone)
        return OccurrencePlan(self).nextAiring(after: instant.wholeSecondsRoundingDown, calendar: &calendar)
            .map(occurrence(at:))
    }

    func occurrence(at airing: (instant: Int, local: Int)) -> Occurrence {
        Occurrence(
            scheduleID: id,
            plannedAt: Date(timeIntervalSince1970: Double(airing.instant)),
            local: LocalDateTime(localSeconds: airing.local),
            priority: priority,
            targets: targets
        )
    }
}

extension LocalDateTime {
    /// The wall-clock time `seconds` after 1970-01-01 00:00 local (seconds are dropped).
    init(localSeconds seconds: Int) {
        let day = seconds.floorDivided(by: ZoneCalendar.secondsPerDay)
        let secondsOfDay = seconds - day * ZoneCalendar.secondsPerDay
        self.init(
            date: LocalDate(dayNumber: day),
            time: LocalTime(hour: secondsOfDay / 3600, minute: secondsOfDay % 3600 / 60)!
        )
    }
}

extension Date {
    /// Whole seconds since 1970: `instant >= self` ⇔ `instant >= wholeSecondsRoundingUp` for whole-second
    /// instants, and `instant < self` ⇔ `instant < wholeSecondsRoundingUp`. Clamped to ±10¹² s (±31,000 years).
    var wholeSecondsRoundingUp: Int { Int(Self.clamped(timeIntervalSince1970).rounded(.up)) }

    /// Whole seconds since 1970: `instant > self` ⇔ `instant > wholeSecondsRoundingDown` for whole-second instants.
    var wholeSecondsRoundingDown: Int { Int(Self.clamped(timeIntervalSince1970).rounded(.down)) }

    private static func clamped(_ seconds: Double) -> Double {
        seconds.isNaN ? 0 : Swift.min(Swift.max(seconds, -1e12), 1e12)
    }
}
