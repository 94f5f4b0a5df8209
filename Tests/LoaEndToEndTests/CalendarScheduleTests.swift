import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// Issue 18's calendar through a running `loa serve` and the `loa` CLI: skip ranges, `--valid`, dates typed as
/// officers write them, the last day of the month, the rule for short months, and lunar rules.
///
/// Expected lunar days are from Hồ Ngọc Đức's published tables (see `CalendarRecurrenceTests` in LoaCoreTests): tháng
/// Chạp of 2029 begins on 2030-01-04 and has 29 days, Tết 2030 is 2030-02-02, tháng Hai 2030 begins on 2030-03-04 and
/// tháng Ba on 2030-04-03.
@Suite("Calendar rules through a running daemon")
struct CalendarScheduleTests {
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try APICoding.decoder().decode(T.self, from: Data(text.utf8))
    }

    static func days(_ from: String, through last: String) -> [String] {
        var day = try! LocalDate(parsing: from)
        var result: [String] = []
        while day <= (try! LocalDate(parsing: last)) {
            result.append(day.description)
            day = day.adding(days: 1)
        }
        return result
    }

    /// Adds, approves and returns the schedule; then the local times of its upcoming airings, from `schedule next`.
    static func addApproved(_ daemon: DaemonUnderTest, _ arguments: [String]) async throws -> Schedule {
        let added = try await daemon.loa(["schedule", "add", "--text", "Kính thưa bà con"] + arguments + ["--json"])
        #expect(added.status == 0, "\(arguments): \(added.stderr)")
        let schedule = try decode(Schedule.self, added.stdout)
        let approved = try await daemon.loa(["schedule", "approve", schedule.id])
        #expect(approved.status == 0, "\(approved.stderr)")
        return schedule
    }

    static func upcoming(_ daemon: DaemonUnderTest, of schedule: Schedule) async throws -> [String] {
        let next = try await daemon.loa(["schedule", "next", "--count", "1000", "--json"])
        #expect(next.status == 0, "\(next.stderr)")
        return try decode([Occurrence].self, next.stdout).filter { $0.scheduleID == schedule.id }.map(
            \.local.description
        )
    }

    @Test func skipRangesValidityAndCalendarRulesAirOnTheRightDays() async throws {
        let daemon = try await DaemonUnderTest()

        // --skip with a range and with a list typed as officers write dates; --from and --until as dd/MM/yyyy.
        let daily = try await Self.addApproved(
            daemon,
            [
                "--daily", "05:00", "--all", "--from", "20/12/2029", "--until", "28/02/2030",
                "--skip", "2030-02-01..2030-02-06", "--skip", "30/12/2029,2030-01-01",
            ]
        )
        #expect(daily.skipDates.map(\.description) == ["2030-02-01..2030-02-06", "2029-12-30", "2030-01-01"])
        let skipped = Set(Self.days("2030-02-01", through: "2030-02-06") + ["2029-12-30", "2030-01-01"])
        let expectedDaily = Self.days("2029-12-20", through: "2030-02-28").filter { !skipped.contains($0) }
        #expect(try await Self.upcoming(daemon, of: daily) == expectedDaily.map { "\($0) 05:00" })
        let shown = try await daemon.loa(["schedule", "show", daily.id])
        #expect(shown.stdout.contains("skips      2030-02-01..2030-02-06, 2029-12-30, 2030-01-01"), "\(shown.stdout)")
        #expect(shown.stdout.contains("valid      2029-12-20 to 2030-02-28"), "\(shown.stdout)")

        // The last day of every month of 2030, given with --valid.
        let last = try await Self.addApproved(
            daemon,
            ["--monthly", "last@08:00", "--all", "--valid", "01/01/2030..31/12/2030"]
        )
        #expect(
            try await Self.upcoming(daemon, of: last)
                == [
                    "2030-01-31", "2030-02-28", "2030-03-31", "2030-04-30", "2030-05-31", "2030-06-30", "2030-07-31",
                    "2030-08-31", "2030-09-30", "2030-10-31", "2030-11-30", "2030-12-31",
                ].map { "\($0) 08:00" }
        )
        #expect(try await daemon.loa(["schedule", "show", last.id]).stdout.contains("monthly last@08:00"))

        // Mùng 1 and rằm, and Tết from the 29th of tháng Chạp to mùng 5.
        let lunar = try await Self.addApproved(
            daemon,
            ["--lunar", "1,15@05:30", "--all", "--valid", "2030-01-01..2030-04-20"]
        )
        #expect(
            try await Self.upcoming(daemon, of: lunar)
                == [
                    "2030-01-04", "2030-01-18", "2030-02-02", "2030-02-16", "2030-03-04", "2030-03-18", "2030-04-03",
                    "2030-04-17",
                ].map { "\($0) 05:30" }
        )
        let tet = try await Self.addApproved(
            daemon,
            ["--lunar-span", "29/12..5/1@07:00", "--all", "--valid", "2029-06-01..2030-12-31"]
        )
        #expect(
            try await Self.upcoming(daemon, of: tet)
                == Self.days("2030-02-01", through: "2030-02-06").map { "\($0) 07:00" }
        )
        let tetShown = try await daemon.loa(["schedule", "show", tet.id])
        #expect(tetShown.stdout.contains("lunar span 29/12..5/1@07:00"), "\(tetShown.stdout)")

        // No broadcasts in Tết, every year: 29 tháng Chạp 2029 is 2030-02-01, mùng 5 is 2030-02-06.
        let noTet = try await Self.addApproved(
            daemon,
            ["--daily", "09:45", "--all", "--valid", "2030-01-28..2030-02-09", "--skip-lunar", "29/12..5/1"]
        )
        #expect(
            try await Self.upcoming(daemon, of: noTet)
                == ["2030-01-28", "2030-01-29", "2030-01-30", "2030-01-31", "2030-02-07", "2030-02-08", "2030-02-09"]
                .map { "\($0) 09:45" }
        )
        let noTetShown = try await daemon.loa(["schedule", "show", noTet.id])
        #expect(noTetShown.stdout.contains("skips      29/12..5/1 âm lịch, every year"), "\(noTetShown.stdout)")

        // A one-off typed dd/MM/yyyy.
        let once = try await daemon.loa(
            ["schedule", "add", "--text", "Họp thôn", "--at", "30/12/2029 19:30", "--all", "--json"])
        #expect(once.status == 0, "\(once.stderr)")
        #expect(
            try Self.decode(Schedule.self, once.stdout).recurrence
                == .once(try LocalDateTime(parsing: "2029-12-30 19:30"))
        )

        // A monthly day some months lack is refused until the rule is said, and the rule is kept.
        let unsaid = try await daemon.loa(["schedule", "add", "--text", "A", "--monthly", "31@09:00", "--all"])
        #expect(unsaid.status == 64, "\(unsaid.stderr)")
        #expect(
            unsaid.stderr.contains("--short-months skip") && unsaid.stderr.contains("--short-months last"),
            "\(unsaid.stderr)"
        )
        let said = try await daemon.loa(
            ["schedule", "add", "--text", "A", "--monthly", "31@09:00", "--short-months", "skip", "--all", "--json"])
        #expect(said.status == 0, "\(said.stderr)")
        let saidSchedule = try Self.decode(Schedule.self, said.stdout)
        #expect(
            saidSchedule.recurrence == .monthly(day: 31, times: [try LocalTime(parsing: "09:00")], shortMonths: .skip)
        )
        #expect(
            try await daemon.loa(["schedule", "show", saidSchedule.id]).stdout.contains(
                "monthly 31@09:00, short months skip"
            )
        )

        // A skip range that is reversed or longer than a year is refused, naming the flag.
        let reversed = try await daemon.loa(
            ["schedule", "add", "--text", "A", "--daily", "09:30", "--all", "--skip", "2030-02-10..2030-02-05"])
        #expect(
            reversed.status == 64 && reversed.stderr.contains("--skip '2030-02-10..2030-02-05'"),
            "\(reversed.stderr)"
        )

        // Everything survives a restart: ranges and rules are stored.
        #expect(await daemon.stop() == 0)
        try await daemon.start()
        let listed = try Self.decode([Schedule].self, try await daemon.loa(["schedule", "list", "--json"]).stdout)
        #expect(listed.first { $0.id == daily.id }?.skipDates == daily.skipDates)
        #expect(listed.first { $0.id == tet.id }?.recurrence == tet.recurrence)
        #expect(listed.first { $0.id == noTet.id }?.skipLunar == [try LunarSpan(parsing: "29/12..5/1")])
        #expect(await daemon.stop() == 0)
    }
}
