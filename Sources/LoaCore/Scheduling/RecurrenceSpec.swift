/// Parses the operator's recurrence flags (`--daily 05:00,17:00`, `--weekly mon,wed@05:00`,
/// `--every-weeks 2@fri@17:00`, `--monthly 15@08:00`, `--monthly last@08:00`, `--lunar 1,15@05:00`,
/// `--lunar-span 29/12..5/1@07:00`, `--at "2026-12-24 19:30"`, `--at "24/12/2026 19:30"`), and prints a
/// recurrence back the same way.
public enum RecurrenceSpec {
    public static func daily(_ text: String) throws(ConfigurationError) -> Recurrence {
        .daily(times: try times(text, flag: "--daily"))
    }

    public static func weekly(_ text: String) throws(ConfigurationError) -> Recurrence {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else {
            throw ConfigurationError(
                key: "--weekly",
                value: text,
                problem: "must be DAYS@TIMES, e.g. mon,wed@05:00,17:00"
            )
        }
        return .weekly(days: try days(parts[0], flag: "--weekly"), times: try times(parts[1], flag: "--weekly"))
    }

    /// `N@DAYS@TIMES`, counted from the week containing `anchor`.
    public static func everyWeeks(_ text: String, anchor: LocalDate) throws(ConfigurationError) -> Recurrence {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let interval = Int(parts[0]), interval >= 1 else {
            throw ConfigurationError(
                key: "--every-weeks",
                value: text,
                problem: "must be N@DAYS@TIMES, e.g. 2@fri@17:00"
            )
        }
        return .everyNWeeks(
            interval: interval,
            anchor: anchor,
            days: try days(parts[1], flag: "--every-weeks"),
            times: try times(parts[2], flag: "--every-weeks")
        )
    }

    /// `DAY@TIMES` (`15@08:00`), or `last@TIMES` for the last day of every month. A day some months lack (29–31)
    /// needs `shortMonths`, so that no month passes in silence.
    public static func monthly(
        _ text: String,
        shortMonths: ShortMonthRule? = nil
    ) throws(ConfigurationError) -> Recurrence {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false).map(String.init)
        let form = "must be DAY@TIMES with DAY 1-31 or last, e.g. 15@08:00 or last@08:00"
        guard parts.count == 2 else { throw ConfigurationError(key: "--monthly", value: text, problem: form) }
        let times = try times(parts[1], flag: "--monthly")
        if parts[0].trimmingWhitespace().lowercased() == "last" {
            return .monthly(day: 31, times: times, shortMonths: .last)
        }
        guard let day = Int(parts[0].trimmingWhitespace()), (1...31).contains(day) else {
            throw ConfigurationError(key: "--monthly", value: text, problem: form)
        }
        if day >= Recurrence.firstShortGregorianDay && shortMonths == nil {
            let lacking =
                switch day {
                case 29: "February has it only in leap years"
                case 30: "February lacks it"
                default: "February, April, June, September and November lack it"
                }
            throw ConfigurationError(
                key: "--monthly",
                value: text,
                problem: "names day \(day), which not every month has (\(lacking)); add --short-months skip to leave"
                    + " those months out, or --short-months last to air on their last day instead"
                    + (day == 31 ? " (the same as --monthly last@\(parts[1]))" : "")
            )
        }
        return .monthly(
            day: day,
            times: times,
            shortMonths: day >= Recurrence.firstShortGregorianDay ? shortMonths : nil
        )
    }

    /// `DAYS@TIMES` of every lunar month, leap months included: `1,15@05:00` for mùng 1 and rằm; `last` is the last
    /// day of each lunar month. A 30th (months have 29 or 30 days) needs `shortMonths`.
    public static func lunar(
        _ text: String,
        shortMonths: ShortMonthRule? = nil
    ) throws(ConfigurationError) -> Recurrence {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false).map(String.init)
        let form = "must be DAYS@TIMES of the lunar month, days 1-30 or last, e.g. 1,15@05:00 for mùng 1 and rằm"
        guard parts.count == 2 else { throw ConfigurationError(key: "--lunar", value: text, problem: form) }
        let times = try times(parts[1], flag: "--lunar")
        var days: [Int] = []
        var rule = shortMonths
        for item in parts[0].split(separator: ",").map({ String($0).trimmingWhitespace().lowercased() }) {
            if item == "last" {
                days.append(Recurrence.lunarMonthDays.upperBound)
                rule = .last
            } else if let day = Int(item), Recurrence.lunarMonthDays.contains(day) {
                days.append(day)
            } else {
                throw ConfigurationError(key: "--lunar", value: text, problem: form)
            }
        }
        guard !days.isEmpty else { throw ConfigurationError(key: "--lunar", value: text, problem: form) }
        let needsRule = days.contains(Recurrence.lunarMonthDays.upperBound)
        if needsRule && rule == nil {
            throw ConfigurationError(
                key: "--lunar",
                value: text,
                problem: "names day 30, which a lunar month of 29 days lacks; add --short-months skip to leave those"
                    + " months out, or --short-months last to air on their 29th instead (the same as last@\(parts[1]))"
            )
        }
        return .lunarMonthly(days: Array(Set(days)).sorted(), times: times, shortMonths: needsRule ? rule : nil)
    }

    /// `SPAN@TIMES`, every day of a span of the lunar year every year: `29/12..5/1@07:00` for Tết, `10/3@07:00` for
    /// one day.
    public static func lunarSpan(_ text: String) throws(ConfigurationError) -> Recurrence {
        guard let at = text.lastIndex(of: "@") else {
            throw ConfigurationError(
                key: "--lunar-span",
                value: text,
                problem: "must be D/M..D/M@TIMES in the lunar calendar, e.g. 29/12..5/1@07:00 for Tết"
            )
        }
        let span: LunarSpan
        do { span = try LunarSpan(parsing: String(text[..<at])) } catch {
            throw ConfigurationError(key: "--lunar-span", value: text, problem: error.problem)
        }
        return .lunarYearly(span: span, times: try times(String(text[text.index(after: at)...]), flag: "--lunar-span"))
    }

    public static func once(_ text: String) throws(ConfigurationError) -> Recurrence {
        do { return .once(try LocalDateTime(parsing: text)) } catch {
            throw ConfigurationError(key: "--at", value: text, problem: error.problem)
        }
    }

    static func times(_ text: String, flag: String) throws(ConfigurationError) -> [LocalTime] {
        let items = text.split(separator: ",").map { String($0).trimmingWhitespace() }
        guard !items.isEmpty else {
            throw ConfigurationError(key: flag, value: text, problem: "names no time; write HH:MM[,HH:MM…]")
        }
        var result: [LocalTime] = []
        for item in items {
            do { result.append(try LocalTime(parsing: item)) } catch {
                throw ConfigurationError(key: flag, value: item, problem: error.problem)
            }
        }
        return result.sorted()
    }

    static func days(_ text: String, flag: String) throws(ConfigurationError) -> [Weekday] {
        var result: [Weekday] = []
        for item in text.split(separator: ",").map({ String($0).trimmingWhitespace() }) {
            do { result.append(try Weekday(parsing: item)) } catch {
                throw ConfigurationError(key: flag, value: item, problem: error.problem)
            }
        }
        guard !result.isEmpty else { throw ConfigurationError(key: flag, value: text, problem: "names no weekday") }
        return Array(Set(result)).sorted()
    }

    /// The recurrence as an operator would have typed it.
    public static func describe(_ recurrence: Recurrence) -> String {
        func list(_ times: [LocalTime]) -> String { times.map(\.description).joined(separator: ",") }
        func list(_ days: [Weekday]) -> String { days.map(\.shortName).joined(separator: ",") }
        switch recurrence {
        case .once(let at): return "once \(at)"
        case .daily(let times): return "daily \(list(times))"
        case .weekly(let days, let times): return "weekly \(list(days))@\(list(times))"
        case .everyNWeeks(let interval, let anchor, let days, let times):
            return "every \(interval) weeks \(list(days))@\(list(times)) from \(anchor)"
        case .monthly(let day, let times, let rule):
            if day == 31 && rule == .last { return "monthly last@\(list(times))" }
            guard day >= Recurrence.firstShortGregorianDay else { return "monthly \(day)@\(list(times))" }
            return "monthly \(day)@\(list(times)), short months \((rule ?? .skip).rawValue)"
        case .lunarMonthly(let days, let times, let rule):
            let last = Recurrence.lunarMonthDays.upperBound
            let named = days.map { $0 == last && rule == .last ? "last" : String($0) }.joined(separator: ",")
            let short = days.contains(last) && rule != .last ? ", short months \((rule ?? .skip).rawValue)" : ""
            return "lunar \(named)@\(list(times))\(short)"
        case .lunarYearly(let span, let times): return "lunar span \(span)@\(list(times))"
        }
    }
}
