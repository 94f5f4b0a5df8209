import ArgumentParser
import Foundation
import LoaCore

/// When a schedule airs: one shape of recurrence, with optional limits.
struct WhenOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Once, at a local date and time.", valueName: "\"YYYY-MM-DD HH:MM\""))
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

    @Option(help: ArgumentHelp("On a day of each month, e.g. 15@08:00.", valueName: "DAY@TIMES"))
    var monthly: String?

    @Option(help: ArgumentHelp("First date it may air.", valueName: "YYYY-MM-DD"))
    var from: String?

    @Option(help: ArgumentHelp("Last date it may air.", valueName: "YYYY-MM-DD"))
    var until: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Dates it does not air.", valueName: "YYYY-MM-DD"))
    var skip: [String] = []

    func validate() throws {
        let given = [at, daily, weekly, everyWeeks, monthly].compactMap { $0 }.count
        guard given == 1 else {
            throw ValidationError("say when: exactly one of --at, --daily, --weekly, --every-weeks or --monthly")
        }
        _ = try limits()
        _ = try recurrence(today: LocalDate(dayNumber: 0))
    }

    func recurrence(today: LocalDate) throws -> Recurrence {
        let anchor = try limits().from ?? today
        do throws(ConfigurationError) {
            if let at { return try RecurrenceSpec.once(at) }
            if let daily { return try RecurrenceSpec.daily(daily) }
            if let weekly { return try RecurrenceSpec.weekly(weekly) }
            if let everyWeeks { return try RecurrenceSpec.everyWeeks(everyWeeks, anchor: anchor) }
            return try RecurrenceSpec.monthly(monthly ?? "")
        } catch {
            throw ValidationError(error.description)
        }
    }

    func limits() throws -> (from: LocalDate?, until: LocalDate?, skip: [LocalDate]) {
        func date(_ text: String, _ flag: String) throws -> LocalDate {
            do { return try LocalDate(parsing: text) } catch {
                throw ValidationError("\(flag) '\(text)' \(error.problem)")
            }
        }
        let skipDates = try skip.flatMap { $0.split(separator: ",").map(String.init) }.map { try date($0, "--skip") }
        return (try from.map { try date($0, "--from") }, try until.map { try date($0, "--until") }, skipDates)
    }
}
