import ArgumentParser
import Foundation
import LoaCore

extension ScheduleCommand {
    /// `loa schedule next`: what airs next, as an officer reads it: the day, the time, the title, how long, the
    /// hamlets by name, the priority.
    struct Next: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the next occurrences that will air: when, what, how long and where.",
            discussion: """
                By default the next 10. With --days N, every occurrence from now to the end of the Nth day \
                counted from today (--days 1: the rest of today; --days 7: today and the six days after it), at most 1000.
                """
        )
        @Option(help: "How many (default 10; with --days, at most this many).") var count: Int?
        @Option(help: ArgumentHelp("Every occurrence of today and the next N-1 days (1-31).", valueName: "N"))
        var days: Int?
        @Option(help: ArgumentHelp("Only those reaching this zone: its id or its name.", valueName: "ZONE"))
        var zone: String?
        @OptionGroup var daemon: DaemonOptions
        @Flag(help: "Print JSON.") var json = false

        /// What `--days` lists at most, as the daemon answers it.
        static let daysCountLimit = 1000

        func validate() throws {
            if let count, count < 1 { throw ValidationError("--count \(count) must be 1 or more") }
            if let days, !(1...31).contains(days) { throw ValidationError("--days \(days) must be 1-31") }
        }

        func run() async throws {
            let client = daemon.client
            let occurrences = try await client.call(
                "GET",
                "api/v1/occurrences",
                query: [
                    "count": count.map { String($0) } ?? (days == nil ? "10" : nil),
                    "days": days.map { String($0) },
                    "zone": zone,
                ],
                as: [Occurrence].self
            )
            if json { return try JSONOutput.print(occurrences) }
            guard !occurrences.isEmpty else {
                return print(days == nil ? "Nothing approved is scheduled." : "Nothing approved airs in these days.")
            }
            let inventory = try await client.call("GET", "api/v1/inventory", as: SiteInventory.self)
            print(Self.table(occurrences, inventory: inventory).render())
            if days != nil, count == nil, occurrences.count == Self.daysCountLimit {
                print("The first \(Self.daysCountLimit) only: fewer --days, or --zone, shows the rest.")
            }
            if let notes = ScheduleNotes.problems(occurrences.map { ($0.scheduleID, $0.problems) }) { print(notes) }
        }

        /// One row per occurrence: `Mon 2026-12-07  05:00  4m30s  Bản tin sáng  Thôn Đông, Thôn Tây  normal  sch-…`.
        static func table(_ occurrences: [Occurrence], inventory: SiteInventory) -> TextTable {
            var table = TextTable(
                "DATE",
                "TIME",
                "LENGTH",
                "TITLE",
                "TARGETS",
                "PRIORITY",
                "SCHEDULE",
                shrinking: ["TITLE", "TARGETS"]
            )
            for occurrence in occurrences {
                let weekday = occurrence.local.date.weekday.shortName
                table.add(
                    weekday.prefix(1).uppercased() + weekday.dropFirst() + " \(occurrence.local.date)",
                    occurrence.local.time.description,
                    length(occurrence.lengthMilliseconds),
                    occurrence.title ?? "—",
                    names(of: occurrence.targets, in: inventory),
                    occurrence.priority.rawValue,
                    ScheduleNotes.marked(occurrence.scheduleID, occurrence.problems)
                )
            }
            return table
        }

        /// `4m30s`, rounded to the second; `—` while the daemon does not know it.
        static func length(_ milliseconds: Int?) -> String {
            guard let milliseconds else { return "—" }
            return DurationText.text(seconds: (milliseconds + 500) / 1000)
        }

        /// The targets as people call them: `all`, the hamlets' names (`Thôn Đông, Thôn Tây`), or the receivers'
        /// names; an id the inventory no longer has stays as it is (and the row is marked with its problem).
        static func names(of targets: Targets, in inventory: SiteInventory) -> String {
            switch targets {
            case .all: "all"
            case .zones(let ids): ids.map { inventory.zone($0)?.name ?? $0 }.joined(separator: ", ")
            case .receivers(let ids): ids.map { inventory.receiver($0)?.name ?? $0 }.joined(separator: ", ")
            }
        }
    }
}
