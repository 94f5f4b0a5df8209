/// Parses the operator's recurrence flags (`--daily 05:00,17:00`, `--weekly mon,wed@05:00`,
/// `--every-weeks 2@fri@17:00`, `--monthly 15@08:00`, `--at "2026-12-24 19:30"`), and prints a
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

    public static func monthly(_ text: String) throws(ConfigurationError) -> Recurrence {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let day = Int(parts[0]), (1...31).contains(day) else {
            throw ConfigurationError(
                key: "--monthly",
                value: text,
                problem: "must be DAY@TIMES with DAY 1-31, e.g. 15@08:00"
            )
        }
        return .monthly(day: day, times: try times(parts[1], flag: "--monthly"))
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
        case .monthly(let day, let times): return "monthly \(day)@\(list(times))"
        }
    }
}
