/// The Vietnamese lunar calendar (âm lịch), for Vietnam's time zone (UTC+7), as the state calendar computes it.
///
/// The rules, after Hồ Ngọc Đức's published method (see `LunarAstronomy`):
/// - a month begins on the local day of a new moon;
/// - the month holding the winter solstice is month 11;
/// - when 13 new moons begin between one month 11 and the next, the first of them in which no major solar term
///   begins is the leap month (tháng nhuận) and repeats the number of the month before it.
///
/// Every month from month 11 of 1899 to month 10 of 2101 is computed once, on first use (about 2,500 new moons,
/// a few milliseconds), so a conversion is then a binary search: expanding a year of thousands of lunar schedules
/// stays cheap. Days outside that span give nil.
///
/// UTC+7 throughout: Vietnam's almanacs used China's UTC+8 calendar before 1968, so for earlier years this can
/// differ from them by a day, or a month around a leap month (Hồ Ngọc Đức's own tables switch at 1968). From 1968 it
/// agrees with his tables on every day to 2053; the few months after that where new moons fall within minutes of
/// midnight (2054, 2072, 2077) are where low-precision formulas and fuller ephemerides part.
///
/// Leap months count as months: "mùng 1 and rằm every month" (`dates(onLunarDay:ofYear:)`) hits a leap month's
/// mùng 1 and rằm too, as the offerings are made on them, while a yearly date such as 10/3 (Giỗ Tổ) falls in the
/// ordinary month only, unless the `LunarDate` asks for the leap one.
public enum VietnameseLunarCalendar {
    /// Vietnam's standard time since 1975 (the calendar is computed for it throughout, as published calendars do).
    public static let timeZoneHours = 7

    /// Lunar years known from their first day to their last.
    public static let supportedYears: ClosedRange<Int> = 1900...2100

    /// Every Gregorian day the calendar can convert: a little more than 1900-01-01...2100-12-31.
    public static var supportedDates: ClosedRange<LocalDate> { months.first!.firstDay...months.last!.lastDay }

    /// The lunar date of a Gregorian day, or nil outside `supportedDates`.
    public static func lunarDate(of date: LocalDate) -> LunarDate? {
        guard let month = month(containing: date) else { return nil }
        let day = date.dayNumber - month.firstDay.dayNumber + 1
        return LunarDate(year: month.year, month: month.number, day: day, isLeapMonth: month.isLeap)
    }

    /// The Gregorian day of a lunar date, or nil when it does not exist (a 30th in a 29-day month, a leap month the
    /// year does not have) or lies outside the supported span.
    public static func date(of lunar: LunarDate) -> LocalDate? {
        month(lunar.month, ofYear: lunar.year, isLeap: lunar.isLeapMonth)?.date(ofDay: lunar.day)
    }

    /// The lunar month holding a Gregorian day.
    public static func month(containing date: LocalDate) -> LunarMonth? {
        monthIndex(containing: date).map { months[$0] }
    }

    /// Where the month holding a Gregorian day is in `months`: expansion walks on from it month by month.
    static func monthIndex(containing date: LocalDate) -> Int? {
        guard supportedDates.contains(date) else { return nil }
        var low = 0
        var high = months.count - 1
        while low < high {  // the last month starting on or before `date`
            let middle = (low + high + 1) / 2
            if months[middle].firstDay <= date { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// A lunar month (the leap one with `isLeap`), or nil when the year has no such month.
    public static func month(_ number: Int, ofYear year: Int, isLeap: Bool = false) -> LunarMonth? {
        index(ofMonth: number, year: year, isLeap: isLeap).map { months[$0] }
    }

    /// The months of a lunar year in order, from tháng Giêng to tháng Chạp: 12, or 13 with a leap month.
    public static func months(ofYear year: Int) -> [LunarMonth] {
        guard let start = index(ofMonth: 1, year: year, isLeap: false) else { return [] }
        return Array(months[start...].prefix { $0.year == year })
    }

    /// The number of the month a lunar year repeats (2028 repeats month 5), or nil in a 12-month year.
    public static func leapMonth(ofYear year: Int) -> Int? { months(ofYear: year).first(where: \.isLeap)?.number }

    /// 29 or 30, or nil when the year has no such month.
    public static func length(ofMonth number: Int, year: Int, isLeap: Bool = false) -> Int? {
        month(number, ofYear: year, isLeap: isLeap)?.length
    }

    /// The Gregorian days of a lunar month, mùng 1 first; empty when the year has no such month.
    public static func dates(ofLunarMonth number: Int, year: Int, isLeap: Bool = false) -> [LocalDate] {
        month(number, ofYear: year, isLeap: isLeap)?.dates ?? []
    }

    /// Day `day` of every month of a lunar year, leap month included, in order: "mùng 1 and rằm every month" is
    /// `dates(onLunarDay: 1, …)` and `dates(onLunarDay: 15, …)`. A 30th is missing from 29-day months (never moved to
    /// another day: the caller decides whether "the last day of the month" is what it wants, with `LunarMonth.lastDay`).
    public static func dates(onLunarDay day: Int, ofYear year: Int) -> [LocalDate] {
        months(ofYear: year).compactMap { $0.date(ofDay: day) }
    }

    /// Mùng 1 tháng Giêng: Tết Nguyên Đán, the first day of lunar year `year`.
    public static func newYear(of year: Int) -> LocalDate? { month(1, ofYear: year)?.firstDay }

    /// The Tết holiday of lunar year `year`: from the last day of the year before (tháng Chạp's 29th or 30th,
    /// whichever ends the month: the eve, giao thừa) to mùng 5 tháng Giêng, seven or so days.
    public static func tetSpan(of year: Int) -> ClosedRange<LocalDate>? {
        guard let first = newYear(of: year), let eve = month(containing: first.adding(days: -1)) else { return nil }
        return eve.lastDay...first.adding(days: 4)
    }

    /// Every month from month 11 of lunar year 1899 to month 10 of 2101, in order.
    static let months: [LunarMonth] = {
        let zone = Double(timeZoneHours)
        let month11Starts = (1899...2101).map { LunarAstronomy.month11Start(ofYear: $0, timeZone: zone) }
        var months: [LunarMonth] = []
        for (index, start) in month11Starts.dropLast().enumerated() {
            let year = 1899 + index
            let next = month11Starts[index + 1]
            let firstMoon = LunarAstronomy.newMoonIndex(near: start)
            let count = Int((Double(next - start) / 29.530588853).rounded())
            let leapOffset = count == 13 ? LunarAstronomy.leapMonthOffset(after: start, timeZone: zone) : nil
            var starts = (0..<count).map { LunarAstronomy.newMoonDay(firstMoon + $0, timeZone: zone) }
            starts.append(next)
            for offset in 0..<count {
                let isLeap = offset == leapOffset
                let ordinal = offset - ((leapOffset.map { offset >= $0 } ?? false) ? 1 : 0)  // 0 is month 11
                let number = (ordinal + 10) % 12 + 1
                let firstDay = LocalDate(dayNumber: starts[offset] - LunarAstronomy.julianDayOfEpoch)
                months.append(
                    LunarMonth(
                        year: number >= 11 ? year : year + 1,
                        number: number,
                        isLeap: isLeap,
                        firstDay: firstDay,
                        length: starts[offset + 1] - starts[offset]
                    )
                )
            }
        }
        return months
    }()

    /// Where a month is in `months`, by binary search on the calendar's order.
    private static func index(ofMonth number: Int, year: Int, isLeap: Bool) -> Int? {
        let key = sortKey(year: year, number: number, isLeap: isLeap)
        var low = 0
        var high = months.count
        while low < high {
            let middle = (low + high) / 2
            if sortKey(months[middle]) < key { low = middle + 1 } else { high = middle }
        }
        return low < months.count && sortKey(months[low]) == key ? low : nil
    }

    private static func sortKey(year: Int, number: Int, isLeap: Bool) -> Int {
        (year * 12 + number) * 2 + (isLeap ? 1 : 0)
    }

    private static func sortKey(_ month: LunarMonth) -> Int {
        sortKey(year: month.year, number: month.number, isLeap: month.isLeap)
    }
}
