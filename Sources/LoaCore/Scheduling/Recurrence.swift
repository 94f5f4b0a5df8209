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
    /// On day `day` (1–31) of every month at each of `times`; months without that day are skipped.
    case monthly(day: Int, times: [LocalTime])
}
