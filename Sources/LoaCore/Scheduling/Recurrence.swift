/// When a schedule's occurrences fall, in the site's local time.
public enum Recurrence: Codable, Sendable, Hashable {
    /// Once, at a local date and time.
    case once(LocalDateTime)
    /// Every day at each of `times`.
    case daily(times: [LocalTime])
    /// On each of `days` of every week, at each of `times` (the 05:00 and 17:00 slots, Monday to Saturday).
    case weekly(days: [Weekday], times: [LocalTime])
    /// On `days` of every `interval`-th week, counted from the week (Monday to Sunday) containing `anchor`.
    case everyNWeeks(interval: Int, anchor: LocalDate, days: [Weekday], times: [LocalTime])
    /// On day `day` (1–31) of every month at each of `times`. `shortMonths` says what months without that day do
    /// (the last day of every month is day 31 with `.last`); nil, which only schedules stored before the rule existed
    /// carry, skips them.
    case monthly(day: Int, times: [LocalTime], shortMonths: ShortMonthRule? = nil)
    /// On each of `days` (1–30) of every lunar month (Vietnam's calendar, UTC+7), leap months included: "mùng 1 and
    /// rằm every month" is `[1, 15]`, as the offerings are made in a leap month too. `shortMonths` says what a month of
    /// 29 days does for a 30th (the last day of every lunar month is day 30 with `.last`).
    case lunarMonthly(days: [Int], times: [LocalTime], shortMonths: ShortMonthRule? = nil)
    /// Every day of a span of the lunar year, every year (Tết: `29/12..5/1`), at each of `times`.
    case lunarYearly(span: LunarSpan, times: [LocalTime])
}

extension Recurrence {
    /// The first day of a month that some months lack: 29 in the Gregorian calendar (February), 30 in the lunar one.
    public static let firstShortGregorianDay = 29
    public static let lunarMonthDays = 1...30

    /// The recurrence with its rule for short months said wherever it matters. Before the rule existed a monthly day
    /// some months lack (29–31) skipped them in silence: a stored schedule is read with that made explicit.
    public var sayingShortMonthRule: Recurrence {
        guard case .monthly(let day, let times, nil) = self, day >= Self.firstShortGregorianDay else { return self }
        return .monthly(day: day, times: times, shortMonths: .skip)
    }
}
