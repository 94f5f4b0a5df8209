import LoaCore

/// How the Schedule page words a schedule: its recurrence ("Hằng ngày lúc 05:00, 17:00"), weekdays, dates
/// (`dd/MM/yyyy`, as everywhere in the console) and what it plays.
enum ScheduleWording {
    static func weekdayKey(_ day: Weekday) -> String {
        switch day {
        case .monday: "scheduleMonday"
        case .tuesday: "scheduleTuesday"
        case .wednesday: "scheduleWednesday"
        case .thursday: "scheduleThursday"
        case .friday: "scheduleFriday"
        case .saturday: "scheduleSaturday"
        case .sunday: "scheduleSunday"
        }
    }

    /// "T2", "CN" / "Mon", "Sun".
    static func shortWeekdayKey(_ day: Weekday) -> String { weekdayKey(day) + "Short" }

    /// `07/12`.
    static func dayMonth(_ date: LocalDate) -> String { "\(pad(date.day))/\(pad(date.month))" }

    /// `07/12/2026`.
    static func date(_ date: LocalDate) -> String { "\(dayMonth(date))/\(date.year)" }

    /// The recurrence as the commune says it: "Hằng ngày lúc 05:00, 17:00", "Một lần: 24/12/2026 lúc 19:30"…,
    /// with the dates it is limited to.
    static func recurrence(_ schedule: Schedule, language: ConsoleLanguage) -> String {
        let text = { (key: String) in ConsoleStrings.text(key, language) }
        let at = text("scheduleAt")
        func times(_ list: [LocalTime]) -> String { list.map(\.description).joined(separator: ", ") }
        func days(_ list: [Weekday]) -> String { list.map { text(shortWeekdayKey($0)) }.joined(separator: ", ") }
        var words: String
        switch schedule.recurrence {
        case .once(let when):
            words = "\(text("scheduleOnce")) \(date(when.date)) \(at) \(when.time)"
        case .daily(let list):
            words = "\(text("scheduleDaily")) \(at) \(times(list))"
        case .weekly(let weekdays, let list):
            words = "\(text("scheduleWeekly")) (\(days(weekdays))) \(at) \(times(list))"
        case .everyNWeeks(let interval, _, let weekdays, let list):
            words =
                "\(text("scheduleEvery")) \(interval) \(text("scheduleWeeks")) (\(days(weekdays))) \(at) \(times(list))"
        case .monthly(31, let list, .last):
            words = "\(text("scheduleMonthlyLast")) \(text("scheduleMonthly")) \(at) \(times(list))"
        case .monthly(let day, let list, let shortMonths):
            words = "\(text("scheduleMonthlyDay")) \(day) \(text("scheduleMonthly")) \(at) \(times(list))"
            if day >= Recurrence.firstShortGregorianDay { words += " (\(text(shortMonthsKey(shortMonths))))" }
        case .lunarMonthly(let days, let list, let shortMonths):
            let last = Recurrence.lunarMonthDays.upperBound
            let named = days.map { $0 == last && shortMonths == .last ? text("scheduleLastDay") : String($0) }
            words =
                "\(text("scheduleLunarDays")) \(named.joined(separator: ", ")) \(text("scheduleLunarMonthly")) \(at)"
                + " \(times(list))"
            if days.contains(last) && shortMonths != .last { words += " (\(text(shortMonthsKey(shortMonths))))" }
        case .lunarYearly(let span, let list):
            words = "\(text("scheduleLunarYearly")) \(lunarSpan(span)) \(at) \(times(list))"
        }
        if let from = schedule.validFrom { words += ", \(text("scheduleFromDate")) \(date(from))" }
        if let until = schedule.validUntil { words += ", \(text("scheduleUntilDate")) \(date(until))" }
        return words
    }

    /// `05/02/2027 – 10/02/2027`, or one day alone.
    static func dateRange(_ range: DateRange) -> String {
        range.first == range.last ? date(range.first) : "\(date(range.first)) – \(date(range.last))"
    }

    /// `29/12 – 5/1`, or one day alone (`10/3`), day first as the almanacs write it.
    static func lunarSpan(_ span: LunarSpan) -> String {
        let first = "\(span.firstDay)/\(span.firstMonth)"
        let last = "\(span.lastDay)/\(span.lastMonth)"
        return first == last ? first : "\(first) – \(last)"
    }

    private static func shortMonthsKey(_ rule: ShortMonthRule?) -> String {
        rule == .last ? "scheduleShortMonthsLast" : "scheduleShortMonthsSkip"
    }

    /// "Đọc văn bản: …" or "Tệp âm thanh".
    static func content(_ content: AnnouncementContent, language: ConsoleLanguage) -> String {
        switch content {
        case .tts(let spoken, _):
            let excerpt = spoken.count > 120 ? String(spoken.prefix(120)) + "…" : spoken
            return "\(ConsoleStrings.text("scheduleReads", language)) \(excerpt)"
        case .audio: return ConsoleStrings.text("schedulePlaysFile", language)
        case .relay(let source, _): return "\(ConsoleStrings.text("scheduleRelays", language)) \(source)"
        case .live: return ConsoleStrings.text("scheduleLive", language)
        }
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
