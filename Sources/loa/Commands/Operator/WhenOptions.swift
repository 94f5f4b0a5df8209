import ArgumentParser
import Foundation
import LoaCore

/// When a schedule airs: one shape of recurrence, with optional limits. Every date is typed as officers write it,
/// `30/12/2026`, or as `2026-12-30`.
struct WhenOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Once, at a local date and time, e.g. \"30/12/2026 19:30\" or \"2026-12-30 19:30\".",
            valueName: "\"DATE HH:MM\""
        )
    )
    var at: String?

    @Option(help: ArgumentHelp("Every day at these times.", valueName: "HH:MM[,HH:MM…]"))
    var daily: String?

    @Option(
        help: ArgumentHelp(
            "On these weekdays at these times, e.g. mon,tue,wed,thu,fri,sat@05:00,17:00.",
            valueName: "DAYS@TIMES"
        )
    )
    var weekly: String?

    @Option(
        name: .customLong("every-weeks"),
        help: ArgumentHelp("Every N weeks from --from (or this week), e.g. 2@fri@17:00.", valueName: "N@DAYS@TIMES")
    )
    var everyWeeks: String?

    @Option(
        help: ArgumentHelp(
            "On a day of each month, e.g. 15@08:00, or its last day: last@08:00. Day 29–31 needs --short-months.",
            valueName: "DAY@TIMES"
        )
    )
    var monthly: String?

    @Option(
        help: ArgumentHelp(
            "On days of every lunar month (âm lịch, leap months included), e.g. 1,15@05:00 for mùng 1 and rằm; last"
                + " for each month's last day. Day 30 needs --short-months.",
            valueName: "DAYS@TIMES"
        )
    )
    var lunar: String?

    @Option(
        name: .customLong("lunar-span"),
        help: ArgumentHelp(
            "Every day of a span of the lunar year, every year, e.g. 29/12..5/1@07:00 for Tết (a 30th in a month of"
                + " 29 days is its last day), or one day: 10/3@07:00.",
            valueName: "D/M..D/M@TIMES"
        )
    )
    var lunarSpan: String?

    @Option(
        name: .customLong("short-months"),
        help: ArgumentHelp(
            "With --monthly 29–31 or --lunar 30: skip the months without that day, or air on their last day.",
            valueName: "skip|last"
        )
    )
    var shortMonths: String?

    @Option(help: ArgumentHelp("First date it may air, e.g. 30/12/2026 or 2026-12-30.", valueName: "DATE"))
    var from: String?

    @Option(help: ArgumentHelp("Last date it may air.", valueName: "DATE"))
    var until: String?

    @Option(
        help: ArgumentHelp(
            "The dates it may air, instead of --from and --until, e.g. 01/01/2027..30/06/2027 (longer than a year"
                + " too; leave a side empty for no limit there).",
            valueName: "FIRST..LAST"
        )
    )
    var valid: String?

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp(
            "Dates it does not air: days or ranges of at most a year, e.g. 2027-02-05..2027-02-10 or"
                + " 30/12/2026,2027-01-01.",
            valueName: "DATE|FIRST..LAST"
        )
    )
    var skip: [String] = []

    @Option(
        name: .customLong("skip-lunar"),
        parsing: .upToNextOption,
        help: ArgumentHelp(
            "Lunar days it does not air, every year, e.g. 29/12..5/1 for no broadcasts in Tết (a 30th in a month of"
                + " 29 days is its last day).",
            valueName: "D/M..D/M"
        )
    )
    var skipLunar: [String] = []

    func validate() throws {
        let given = [at, daily, weekly, everyWeeks, monthly, lunar, lunarSpan].compactMap { $0 }.count
        guard given == 1 else {
            throw ValidationError(
                "say when: exactly one of --at, --daily, --weekly, --every-weeks, --monthly, --lunar or --lunar-span"
            )
        }
        if shortMonths != nil && monthly == nil && lunar == nil {
            throw ValidationError("--short-months goes with --monthly or --lunar only")
        }
        if valid != nil && (from != nil || until != nil) {
            throw ValidationError("give the dates it may air either as --valid FIRST..LAST or with --from/--until")
        }
        _ = try limits()
        _ = try lunarSkips()
        _ = try recurrence(today: LocalDate(dayNumber: 0))
    }

    func recurrence(today: LocalDate) throws -> Recurrence {
        let anchor = try limits().from ?? today
        do throws(ConfigurationError) {
            var rule: ShortMonthRule?
            if let shortMonths { rule = try ShortMonthRule(parsing: shortMonths) }
            if let at { return try RecurrenceSpec.once(at) }
            if let daily { return try RecurrenceSpec.daily(daily) }
            if let weekly { return try RecurrenceSpec.weekly(weekly) }
            if let everyWeeks { return try RecurrenceSpec.everyWeeks(everyWeeks, anchor: anchor) }
            if let lunar { return try RecurrenceSpec.lunar(lunar, shortMonths: rule) }
            if let lunarSpan { return try RecurrenceSpec.lunarSpan(lunarSpan) }
            return try RecurrenceSpec.monthly(monthly ?? "", shortMonths: rule)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// `--skip-lunar`: spans of the lunar year, comma-separated or repeated.
    func lunarSkips() throws -> [LunarSpan] {
        var spans: [LunarSpan] = []
        for text in skipLunar.flatMap({ $0.split(separator: ",") }).map(String.init) {
            do { spans.append(try LunarSpan(parsing: text)) } catch {
                throw ValidationError("--skip-lunar '\(text)' \(error.problem)")
            }
        }
        return spans
    }

    func limits() throws -> (from: LocalDate?, until: LocalDate?, skip: [DateRange]) {
        func date(_ text: String, _ flag: String) throws -> LocalDate {
            do { return try LocalDate(parsing: text.trimmingCharacters(in: .whitespaces)) } catch {
                throw ValidationError("\(flag) '\(text)' \(error.problem)")
            }
        }
        var skips: [DateRange] = []
        for text in skip.flatMap({ $0.split(separator: ",") }).map(String.init) {
            do { skips.append(try DateRange(parsing: text)) } catch {
                throw ValidationError("--skip '\(text)' \(error.problem)")
            }
        }
        guard let valid else {
            return (try from.map { try date($0, "--from") }, try until.map { try date($0, "--until") }, skips)
        }
        guard let separator = valid.range(of: "..") else {
            throw ValidationError("--valid '\(valid)' must be FIRST..LAST, e.g. 01/01/2027..30/06/2027")
        }
        let first = String(valid[..<separator.lowerBound]).trimmingCharacters(in: .whitespaces)
        let last = String(valid[separator.upperBound...]).trimmingCharacters(in: .whitespaces)
        let from = first.isEmpty ? nil : try date(first, "--valid")
        let until = last.isEmpty ? nil : try date(last, "--valid")
        if let from, let until, until < from {
            throw ValidationError("--valid '\(valid)' ends before it begins; write the earlier date first")
        }
        return (from, until, skips)
    }
}
