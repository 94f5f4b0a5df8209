/// A schedule's rules compiled to integers: which local days it airs on and at which seconds of those days.
///
/// Built once per schedule (`ScheduleIndex` keeps them); every question is then integer arithmetic on
/// `LocalDate.dayNumber`s. Days are found by jumping to the next matching one, never by walking a calendar,
/// so "the next airing of a monthly item on the 31st" or "every 4th week" costs a handful of steps.
struct OccurrencePlan: Sendable {
    enum DayRule: Sendable {
        case once(day: Int)
        case daily
        /// `mask` bit 0 is Monday … bit 6 Sunday.
        case weekly(mask: UInt8)
        case everyNWeeks(interval: Int, anchorMonday: Int, mask: UInt8)
        /// `toLastDay`: a month without `day` airs on its last day instead of not at all.
        case monthly(day: Int, toLastDay: Bool)
        /// Days of every lunar month, leap months included: bit `d` for day `d` (1–30), so the rule stays a plain
        /// value, copied without reference counting in the expansion's inner loop.
        case lunarMonthly(dayMask: UInt32, toLastDay: Bool)
        case lunarYearly(LunarSpan)
        /// Nothing ever airs (an empty day list, interval < 1, a monthly day outside 1…31).
        case never
    }

    let rule: DayRule
    /// Seconds since local midnight, ascending, no duplicates.
    let times: [Int]
    /// First and last local day it may air on (inclusive).
    let firstDay: Int
    let lastDay: Int
    /// First and last day of each skip range, in day numbers.
    let skipRanges: [(first: Int, last: Int)]
    /// Spans of the lunar year skipped every year.
    let skipLunar: [LunarSpan]

    init(_ schedule: Schedule) {
        func compile(_ times: [LocalTime]) -> [Int] { Array(Set(times.map(\.secondsOfDay))).sorted() }
        func mask(_ days: [Weekday]) -> UInt8 { days.reduce(0) { $0 | (1 << UInt8($1.rawValue - 1)) } }

        var rule: DayRule
        let times: [Int]
        switch schedule.recurrence {
        case .once(let at):
            rule = .once(day: at.date.dayNumber)
            times = [at.time.secondsOfDay]
        case .daily(let list):
            rule = .daily
            times = compile(list)
        case .weekly(let days, let list):
            rule = .weekly(mask: mask(days))
            times = compile(list)
        case .everyNWeeks(let interval, let anchor, let days, let list):
            rule = .everyNWeeks(
                interval: interval,
                anchorMonday: anchor.dayNumber - Self.weekdayIndex(ofDay: anchor.dayNumber),
                mask: mask(days)
            )
            times = compile(list)
        case .monthly(let day, let list, let shortMonths):
            rule = .monthly(day: day, toLastDay: shortMonths == .last)
            times = compile(list)
        case .lunarMonthly(let days, let list, let shortMonths):
            let mask = days.filter(Recurrence.lunarMonthDays.contains).reduce(UInt32(0)) { $0 | 1 << UInt32($1) }
            rule = mask == 0 ? .never : .lunarMonthly(dayMask: mask, toLastDay: shortMonths == .last)
            times = compile(list)
        case .lunarYearly(let span, let list):
            rule = .lunarYearly(span)
            times = compile(list)
        }
        switch rule {
        case .weekly(mask: 0), .everyNWeeks(interval: _, anchorMonday: _, mask: 0): rule = .never
        case .everyNWeeks(let interval, _, _) where interval < 1: rule = .never
        case .monthly(let day, _) where !(1...31).contains(day): rule = .never
        default: break
        }
        self.rule = times.isEmpty ? .never : rule
        self.times = times
        self.firstDay = schedule.validFrom?.dayNumber ?? Int.min
        self.lastDay = schedule.validUntil?.dayNumber ?? Int.max
        self.skipRanges = schedule.skipDates.map { (first: $0.first.dayNumber, last: $0.last.dayNumber) }
        self.skipLunar = schedule.skipLunar
    }

    var airsNever: Bool {
        if case .never = rule { return true }
        return firstDay > lastDay
    }

    /// 0 for Monday … 6 for Sunday (1970-01-01, day 0, was a Thursday).
    static func weekdayIndex(ofDay day: Int) -> Int { ((day % 7) + 7 + 3) % 7 }

    /// The first day on or after `day` that the recurrence selects, ignoring the valid range and skip dates.
    func nextRecurrenceDay(onOrAfter day: Int) -> Int? {
        switch rule {
        case .never:
            return nil
        case .once(let once):
            return once >= day ? once : nil
        case .daily:
            return day
        case .weekly(let mask):
            let weekday = Self.weekdayIndex(ofDay: day)
            for step in 0..<7 where mask & (1 << UInt8((weekday + step) % 7)) != 0 { return day + step }
            return nil
        case .everyNWeeks(let interval, let anchorMonday, let mask):
            var day = Swift.max(day, anchorMonday)
            var week = (day - anchorMonday) / 7
            if week % interval != 0 {
                week += interval - week % interval
                day = anchorMonday + week * 7
            }
            for index in (day - anchorMonday) % 7..<7 where mask & (1 << UInt8(index)) != 0 {
                return anchorMonday + week * 7 + index
            }
            week += interval
            for index in 0..<7 where mask & (1 << UInt8(index)) != 0 { return anchorMonday + week * 7 + index }
            return nil
        case .monthly(let wanted, let toLastDay):
            let start = LocalDate(dayNumber: day)
            var year = start.year
            var month = start.month
            // Every month has days 1–28; day 29–31 turns up within two months (or a year for 29 February).
            for _ in 0..<48 {
                let length = LocalDate.daysInMonth(year: year, month: month)
                if wanted <= length || toLastDay {
                    let found = Self.dayNumber(year: year, month: month, day: Swift.min(wanted, length))
                    if found >= day { return found }
                }
                (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
            }
            return nil
        case .lunarMonthly(let dayMask, let toLastDay):
            let months = VietnameseLunarCalendar.months
            guard let first = VietnameseLunarCalendar.monthIndex(containing: LocalDate(dayNumber: day)) else {
                return nil
            }
            // The next month always holds mùng 1; a skipped 30th can wait several months of 29 days (a year is ample).
            for month in months[first..<Swift.min(first + 13, months.count)] {
                let start = month.firstDay.dayNumber
                var remaining = dayMask
                while remaining != 0 {  // days ascending, lowest bit first
                    let wanted = remaining.trailingZeroBitCount
                    remaining &= remaining - 1
                    guard wanted <= month.length || toLastDay else { continue }
                    let found = start + Swift.min(wanted, month.length) - 1
                    if found >= day { return found }
                }
            }
            return nil
        case .lunarYearly(let span):
            guard let year = VietnameseLunarCalendar.month(containing: LocalDate(dayNumber: day))?.year else {
                return nil
            }
            // The span ending in this lunar year, else the next one's (which may begin in this year).
            for ending in year...(year + 1) {
                guard let dates = span.dates(endingInYear: ending) else { return nil }
                if dates.upperBound.dayNumber >= day { return Swift.max(day, dates.lowerBound.dayNumber) }
            }
            return nil
        }
    }

    /// The first day on or after `day` on which the schedule airs: selected by the recurrence, within
    /// validFrom…validUntil, and not a skip date.
    func nextAiringDay(onOrAfter day: Int) -> Int? {
        var day = Swift.max(day, firstDay)
        while day <= lastDay {
            guard let candidate = nextRecurrenceDay(onOrAfter: day), candidate <= lastDay else { return nil }
            if let skipped = skipRanges.first(where: { $0.first <= candidate && candidate <= $0.last }) {
                day = skipped.last + 1
            } else if let skipped = lunarSkip(holding: candidate) {
                day = skipped + 1
            } else {
                return candidate
            }
        }
        return nil
    }

    /// The last day of the yearly lunar skip holding `day`, or nil when none does.
    private func lunarSkip(holding day: Int) -> Int? {
        guard !skipLunar.isEmpty,
            let year = VietnameseLunarCalendar.month(containing: LocalDate(dayNumber: day))?.year
        else { return nil }
        for span in skipLunar {
            // The span ending in this lunar year, or the next one's when it runs over the new year.
            for ending in year...(year + 1) {
                if let dates = span.dates(endingInYear: ending), dates.contains(LocalDate(dayNumber: day)) {
                    return dates.upperBound.dayNumber
                }
            }
        }
        return nil
    }

    /// Appends each airing with `start <= instant < end` (instants in seconds since 1970 UTC), unsorted only on
    /// DST transition days.
    func appendAirings(
        from start: Int,
        to end: Int,
        calendar: inout ZoneCalendar,
        into airings: inout [(instant: Int, local: Int)]
    ) {
        guard start < end, !airsNever else { return }
        // A gap at the end of the previous day can shift its times into this one, so look one day back then.
        var day = calendar.localDay(ofInstant: start)
        if !calendar.offsets(forDay: day - 1).isUniform { day -= 1 }
        var lastDay = calendar.localDay(ofInstant: end - 1)
        if !calendar.offsets(forDay: lastDay + 1).isUniform { lastDay += 1 }
        while let airing = nextAiringDay(onOrAfter: day), airing <= lastDay {
            for time in times {
                let resolved = calendar.resolve(day: airing, secondsOfDay: time)
                if resolved.instant >= start && resolved.instant < end { airings.append(resolved) }
            }
            day = airing + 1
        }
    }

    /// The earliest airing strictly after `instant`.
    func nextAiring(after instant: Int, calendar: inout ZoneCalendar) -> (instant: Int, local: Int)? {
        guard !airsNever else { return nil }
        var day = calendar.localDay(ofInstant: instant)
        if !calendar.offsets(forDay: day - 1).isUniform { day -= 1 }
        while let airing = nextAiringDay(onOrAfter: day) {
            if let found = earliestAiring(onDay: airing, after: instant, calendar: &calendar) {
                // Near a transition a shifted time may pass the next day's first one: compare with it.
                guard !calendar.offsets(forDay: airing).isUniform, let next = nextAiringDay(onOrAfter: airing + 1),
                    let other = earliestAiring(onDay: next, after: instant, calendar: &calendar),
                    other.instant < found.instant
                else { return found }
                return other
            }
            day = airing + 1
        }
        return nil
    }

    private func earliestAiring(
        onDay day: Int,
        after instant: Int,
        calendar: inout ZoneCalendar
    ) -> (
        instant: Int, local: Int
    )? {
        let uniform = calendar.offsets(forDay: day).isUniform
        var best: (instant: Int, local: Int)?
        for time in times {
            let resolved = calendar.resolve(day: day, secondsOfDay: time)
            guard resolved.instant > instant else { continue }
            if uniform { return resolved }  // times are ascending, so are their instants
            if best == nil || resolved.instant < best!.instant { best = resolved }
        }
        return best
    }

    private static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        LocalDate(year: year, month: month, day: day)?.dayNumber ?? Int.max
    }
}
