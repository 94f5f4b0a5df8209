import Foundation
import LoaCore
import Testing

/// Issue 18's calendar: skip ranges, "the last day of the month", the rule for months too short for a monthly day,
/// and lunar recurrences expanded to Gregorian days, checked against published dates.
///
/// The lunar table below is Hồ Ngọc Đức's published year tables for the Vietnamese calendar (UTC+7, the tables of
/// amlich.js, as shipped in PyPI `vnlunar` 1.0.5, `get_lunar_date_from_table`): the Gregorian day of mùng 1 of every
/// lunar month from tháng Chạp of 2025 to Tết 2031. Every other expected day (rằm, a 30th, Tết's span) is counted from
/// those mùng 1s, never from the code under test. It agrees with `LunarCalendarTests`' tables, which were checked
/// against two further independent implementations.
@Suite("Calendar recurrences")
struct CalendarRecurrenceTests {
    /// (lunar year, month, leap, mùng 1), in order; each month runs to the day before the next one's mùng 1.
    static let firstDays: [(year: Int, month: Int, isLeap: Bool, first: String)] = [
        (2025, 12, false, "2026-01-19"),
        (2026, 1, false, "2026-02-17"), (2026, 2, false, "2026-03-19"), (2026, 3, false, "2026-04-17"),
        (2026, 4, false, "2026-05-17"), (2026, 5, false, "2026-06-15"), (2026, 6, false, "2026-07-14"),
        (2026, 7, false, "2026-08-13"), (2026, 8, false, "2026-09-11"), (2026, 9, false, "2026-10-10"),
        (2026, 10, false, "2026-11-09"), (2026, 11, false, "2026-12-09"), (2026, 12, false, "2027-01-08"),
        (2027, 1, false, "2027-02-06"), (2027, 2, false, "2027-03-08"), (2027, 3, false, "2027-04-07"),
        (2027, 4, false, "2027-05-06"), (2027, 5, false, "2027-06-05"), (2027, 6, false, "2027-07-04"),
        (2027, 7, false, "2027-08-02"), (2027, 8, false, "2027-09-01"), (2027, 9, false, "2027-09-30"),
        (2027, 10, false, "2027-10-29"), (2027, 11, false, "2027-11-28"), (2027, 12, false, "2027-12-28"),
        (2028, 1, false, "2028-01-26"), (2028, 2, false, "2028-02-25"), (2028, 3, false, "2028-03-26"),
        (2028, 4, false, "2028-04-25"), (2028, 5, false, "2028-05-24"), (2028, 5, true, "2028-06-23"),
        (2028, 6, false, "2028-07-22"), (2028, 7, false, "2028-08-20"), (2028, 8, false, "2028-09-19"),
        (2028, 9, false, "2028-10-18"), (2028, 10, false, "2028-11-16"), (2028, 11, false, "2028-12-16"),
        (2028, 12, false, "2029-01-15"),
        (2029, 1, false, "2029-02-13"), (2029, 2, false, "2029-03-15"), (2029, 3, false, "2029-04-14"),
        (2029, 4, false, "2029-05-13"), (2029, 5, false, "2029-06-12"), (2029, 6, false, "2029-07-11"),
        (2029, 7, false, "2029-08-10"), (2029, 8, false, "2029-09-08"), (2029, 9, false, "2029-10-08"),
        (2029, 10, false, "2029-11-06"), (2029, 11, false, "2029-12-05"), (2029, 12, false, "2030-01-04"),
        (2030, 1, false, "2030-02-02"), (2030, 2, false, "2030-03-04"), (2030, 3, false, "2030-04-03"),
        (2030, 4, false, "2030-05-02"), (2030, 5, false, "2030-06-01"), (2030, 6, false, "2030-07-01"),
        (2030, 7, false, "2030-07-30"), (2030, 8, false, "2030-08-29"), (2030, 9, false, "2030-09-27"),
        (2030, 10, false, "2030-10-27"), (2030, 11, false, "2030-11-25"), (2030, 12, false, "2030-12-25"),
        (2031, 1, false, "2031-01-23"),
    ]

    /// The published months as (mùng 1, length), tháng Chạp 2025 to tháng Chạp 2030.
    static var months: [(first: LocalDate, length: Int, month: Int, isLeap: Bool)] {
        zip(firstDays, firstDays.dropFirst()).map { month, next in
            let first = Fixture.day(month.first)
            return (first, Fixture.day(next.first).dayNumber - first.dayNumber, month.month, month.isLeap)
        }
    }

    /// 2026-01-01 00:00 to 2031-01-01 00:00 in Vietnam (UTC+7).
    static let start = Fixture.utc("2025-12-31 17:00")
    /// The first day the table covers (mùng 1 of tháng Chạp 2025): lunar days before it are not compared.
    static let tableStart = Fixture.day("2026-01-19")
    static let end = Fixture.utc("2030-12-31 17:00")

    static func days(_ schedule: Schedule, from start: Date = start, to end: Date = end) -> [LocalDate] {
        schedule.occurrences(from: start, to: end).map(\.local.date)
    }

    // MARK: Skip ranges

    @Test func aSkipRangeLeavesOutEveryDayOfItBothEndsIncluded() {
        let schedule = Fixture.schedule(
            .daily(times: Fixture.times("05:00")),
            skip: ["2027-02-05..2027-02-10", "30/12/2026", "2027-02-12"]
        )
        // Local midnight of 2026-12-28 to that of 2027-02-14 (UTC+7).
        let aired = Self.days(schedule, from: Fixture.utc("2026-12-27 17:00"), to: Fixture.utc("2027-02-13 17:00"))
        let skipped = Set(
            [
                "2026-12-30", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10",
                "2027-02-12",
            ].map(Fixture.day)
        )
        var expected: [LocalDate] = []
        var day = Fixture.day("2026-12-28")
        while day <= Fixture.day("2027-02-13") {
            if !skipped.contains(day) { expected.append(day) }
            day = day.adding(days: 1)
        }
        #expect(aired == expected)
        #expect(aired.contains(Fixture.day("2027-02-04")) && aired.contains(Fixture.day("2027-02-11")))
        // The next airing jumps the whole range.
        let next = schedule.nextOccurrence(after: Fixture.utc("2027-02-04 12:00"))
        #expect(next?.local.description == "2027-02-11 05:00")
    }

    @Test func skipDatesStoredAsPlainDatesReadAsOneDayRanges() throws {
        let old = try JSONDecoder().decode([DateRange].self, from: Data(#"["2026-12-30","2027-01-01"]"#.utf8))
        #expect(old == [DateRange(Fixture.day("2026-12-30")), DateRange(Fixture.day("2027-01-01"))])
        let ranges = [try DateRange(parsing: "05/02/2027..10/02/2027"), DateRange(Fixture.day("2026-12-30"))]
        let text = String(decoding: try JSONEncoder().encode(ranges), as: UTF8.self)
        #expect(text == #"["2027-02-05..2027-02-10","2026-12-30"]"#)
        #expect(try JSONDecoder().decode([DateRange].self, from: Data(text.utf8)) == ranges)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([DateRange].self, from: Data(#"["2027-02-10..2027-02-05"]"#.utf8))
        }
    }

    @Test func datesAreAcceptedAsOfficersWriteThem() throws {
        #expect(try LocalDateTime(parsing: "30/12/2026 19:30") == Fixture.at("2026-12-30 19:30"))
        #expect(try RecurrenceSpec.once("30/12/2026 19:30") == .once(Fixture.at("2026-12-30 19:30")))
        let error = #expect(throws: ConfigurationError.self) { try LocalDateTime(parsing: "30/12/2026") }
        #expect(error?.problem.contains("dd/MM/yyyy HH:MM") == true)
    }

    // MARK: Gregorian months

    @Test func lastDayOfTheMonthIsEveryMonthsLastDayFebruaryOfLeapAndCommonYearsToo() throws {
        let recurrence = try RecurrenceSpec.monthly("last@08:00")
        #expect(recurrence == .monthly(day: 31, times: Fixture.times("08:00"), shortMonths: .last))
        #expect(RecurrenceSpec.describe(recurrence) == "monthly last@08:00")
        let aired = Self.days(Fixture.schedule(recurrence))
        // Each month's last day is the day before the next month's first, 2026-01 to 2030-12.
        var expected: [LocalDate] = []
        for year in 2026...2030 {
            for month in 1...12 {
                let next =
                    month == 12
                    ? LocalDate(year: year + 1, month: 1, day: 1)! : LocalDate(year: year, month: month + 1, day: 1)!
                expected.append(next.adding(days: -1))
            }
        }
        #expect(aired == expected)
        #expect(aired.contains(Fixture.day("2027-02-28")) && aired.contains(Fixture.day("2028-02-29")))
        #expect(aired.contains(Fixture.day("2026-04-30")) && aired.contains(Fixture.day("2026-12-31")))
        #expect(aired.filter { $0.month == 2 }.map(\.day) == [28, 28, 29, 28, 28])
    }

    @Test func aMonthlyDaySomeMonthsLackNeedsTheRuleSaid() throws {
        let error = #expect(throws: ConfigurationError.self) { try RecurrenceSpec.monthly("31@08:00") }
        #expect(error?.problem.contains("--short-months skip") == true)
        #expect(error?.problem.contains("--short-months last") == true)
        #expect(throws: ConfigurationError.self) { try RecurrenceSpec.monthly("29@08:00") }
        #expect(try RecurrenceSpec.monthly("28@08:00") == .monthly(day: 28, times: Fixture.times("08:00")))

        let skipping = try RecurrenceSpec.monthly("31@08:00", shortMonths: .skip)
        #expect(RecurrenceSpec.describe(skipping) == "monthly 31@08:00, short months skip")
        let skipped = Self.days(Fixture.schedule(skipping), to: Fixture.utc("2026-12-31 17:00"))
        #expect(skipped.map(\.month) == [1, 3, 5, 7, 8, 10, 12])

        let clamped = try RecurrenceSpec.monthly("30@08:00", shortMonths: .last)
        #expect(RecurrenceSpec.describe(clamped) == "monthly 30@08:00, short months last")
        let aired = Self.days(Fixture.schedule(clamped), to: Fixture.utc("2028-12-31 17:00"))
        #expect(aired.count == 36)
        #expect(aired.filter { $0.month == 2 }.map(\.description) == ["2026-02-28", "2027-02-28", "2028-02-29"])
        #expect(aired.filter { $0.month != 2 }.allSatisfy { $0.day == 30 })

        // Refused when saved through the API too, unless said; a schedule stored before the rule skipped.
        let unsaid = Fixture.schedule(.monthly(day: 31, times: Fixture.times("08:00")))
        let refusal = #expect(throws: ConfigurationError.self) {
            try ScheduleValidator.validate(unsaid, now: Fixture.utc("2026-01-01 00:00"))
        }
        #expect(refusal?.key == "--short-months")
        #expect(unsaid.recurrence.sayingShortMonthRule == skipping)
        #expect(Self.days(unsaid, to: Fixture.utc("2026-12-31 17:00")) == skipped)
    }

    // MARK: Lunar months

    @Test func mung1AndRamEveryLunarMonthFallOnThePublishedDays2026To2030() throws {
        let recurrence = try RecurrenceSpec.lunar("1,15@05:00")
        #expect(recurrence == .lunarMonthly(days: [1, 15], times: Fixture.times("05:00")))
        #expect(RecurrenceSpec.describe(recurrence) == "lunar 1,15@05:00")
        let aired = Self.days(Fixture.schedule(recurrence)).filter { $0 >= Self.tableStart }
        let expected = Self.months.flatMap { [$0.first, $0.first.adding(days: 14)] }
            .filter { $0.year >= 2026 && $0.year <= 2030 }
        #expect(aired == expected)
        // The leap month counts: tháng 5 nhuận 2028's mùng 1 and rằm.
        #expect(aired.contains(Fixture.day("2028-06-23")) && aired.contains(Fixture.day("2028-07-07")))
        #expect(aired.count == 2 * (5 * 12 + 1 + 1) - 1)  // Chạp 2025 to Chạp 2030 with one leap month; not 2031's rằm
        let occurrences = Fixture.schedule(recurrence).occurrences(from: Self.start, to: Self.end)
        #expect(occurrences.allSatisfy { $0.local.time.description == "05:00" })
    }

    @Test func aLunar30thFollowsTheRuleInMonthsOf29Days() throws {
        #expect(throws: ConfigurationError.self) { try RecurrenceSpec.lunar("30@05:00") }
        let months = Self.months.filter { $0.first.year >= 2026 && $0.first.year <= 2030 }
        #expect(months.contains { $0.length == 29 } && months.contains { $0.length == 30 })

        let skipping = Self.days(Fixture.schedule(try RecurrenceSpec.lunar("30@05:00", shortMonths: .skip)))
            .filter { $0 >= Self.tableStart }
        let thirtieths = Self.months.filter { $0.length == 30 }.map { $0.first.adding(days: 29) }
        #expect(skipping == thirtieths.filter { $0.year >= 2026 && $0.year <= 2030 })

        let last = try RecurrenceSpec.lunar("last@05:00")
        #expect(last == .lunarMonthly(days: [30], times: Fixture.times("05:00"), shortMonths: .last))
        #expect(RecurrenceSpec.describe(last) == "lunar last@05:00")
        let lastDays = Self.months.map { $0.first.adding(days: $0.length - 1) }
        #expect(
            Self.days(Fixture.schedule(last)).filter { $0 >= Self.tableStart }
                == lastDays.filter { $0.year >= 2026 && $0.year <= 2030 }
        )
    }

    /// Over the whole calendar, a skipped 30th waits out any run of 29-day months, and `last` never misses a month.
    @Test func lunarMonthEndsHoldOverTwoCenturies() throws {
        let months = (1901...2099).flatMap { VietnameseLunarCalendar.months(ofYear: $0) }
        let start = Date(timeIntervalSince1970: Double(months.first!.firstDay.dayNumber * 86_400 - 7 * 3600))
        let end = Date(timeIntervalSince1970: Double((months.last!.lastDay.dayNumber + 1) * 86_400 - 7 * 3600))
        let thirtieths = Fixture.schedule(try RecurrenceSpec.lunar("30@05:00", shortMonths: .skip))
        #expect(Self.days(thirtieths, from: start, to: end) == months.filter { $0.length == 30 }.map(\.lastDay))
        var walked: [LocalDate] = []
        var instant = start
        while let next = thirtieths.nextOccurrence(after: instant), next.plannedAt < end {
            walked.append(next.local.date)
            instant = next.plannedAt
        }
        #expect(walked == months.filter { $0.length == 30 }.map(\.lastDay))
        let last = Fixture.schedule(try RecurrenceSpec.lunar("last@05:00"))
        #expect(Self.days(last, from: start, to: end) == months.map(\.lastDay))
    }

    /// Tết, `29/12..5/1`: from the 29th of tháng Chạp (two days before Tết after a Chạp of 30 days, the eve after one
    /// of 29) to mùng 5, every year.
    @Test func tetSpanRunsFromThe29thOfChapToMung5EveryYear() throws {
        let recurrence = try RecurrenceSpec.lunarSpan("29/12..5/1@07:00")
        #expect(
            recurrence
                == .lunarYearly(
                    span: LunarSpan(firstMonth: 12, firstDay: 29, lastMonth: 1, lastDay: 5)!,
                    times: Fixture.times("07:00")
                )
        )
        #expect(RecurrenceSpec.describe(recurrence) == "lunar span 29/12..5/1@07:00")
        let aired = Self.days(Fixture.schedule(recurrence))
        let chaps = Self.months.filter { $0.month == 12 }
        var expected: [LocalDate] = []
        for chap in chaps {
            let tet = chap.first.adding(days: chap.length)
            var day = chap.first.adding(days: 28)
            while day <= tet.adding(days: 4) {
                if day.year >= 2026 && day.year <= 2030 { expected.append(day) }
                day = day.adding(days: 1)
            }
        }
        #expect(aired == expected)
        // Chạp 2025 has 29 days (the 29th is the eve of Tết 2026); Chạp 2026 has 29 too; Chạp 2029 has 29.
        #expect(
            aired.prefix(6).map(\.description) == [
                "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21",
            ]
        )
        // "30/12" does not exist in a Chạp of 29 days: the span begins on its last day, the eve.
        let eve = Self.days(Fixture.schedule(try RecurrenceSpec.lunarSpan("30/12..5/1@07:00")))
        let eves = chaps.map { $0.first.adding(days: $0.length - 1) }.filter { $0.year >= 2026 && $0.year <= 2030 }
        #expect(eve.filter { !(1...5).contains(VietnameseLunarCalendar.lunarDate(of: $0)!.day) } == eves)
        #expect(eve.count == eves.count * 6)
    }

    /// A leap month counts where it lies: 2028 repeats month 5, so a span running into month 6 begins in the leap
    /// month, while a span within month 5 (a festival) airs in the ordinary month only.
    @Test func aYearlySpanCountsTheLeapMonthWhereItLies() throws {
        let into6 = Self.days(Fixture.schedule(try RecurrenceSpec.lunarSpan("25/5..2/6@07:00")))
        let leap5 = Fixture.day("2028-06-23")  // mùng 1 tháng 5 nhuận
        let month6 = Fixture.day("2028-07-22")
        #expect(
            into6.filter { $0.year == 2028 } == (24..<31).map { leap5.adding(days: $0) }.filter { $0 < month6 } + [
                month6, month6.adding(days: 1),
            ]
        )
        let within5 = Self.days(Fixture.schedule(try RecurrenceSpec.lunarSpan("10/5..12/5@07:00")))
        #expect(within5.filter { $0.year == 2028 }.map(\.description) == ["2028-06-02", "2028-06-03", "2028-06-04"])
        let gioTo = Self.days(Fixture.schedule(try RecurrenceSpec.lunarSpan("10/3@07:00")))
        #expect(gioTo == Self.months.filter { $0.month == 3 }.map { $0.first.adding(days: 9) })
        // The calendar has no leap tháng Chạp in 1900–2100; 2033 repeats month 11, so a span from month 11 into
        // tháng Chạp begins in the leap month, right before Chạp, as Tết's would in a leap Chạp.
        #expect(VietnameseLunarCalendar.leapMonth(ofYear: 2033) == 11)
        let leap11 = try #require(VietnameseLunarCalendar.month(11, ofYear: 2033, isLeap: true))
        let chap = try #require(VietnameseLunarCalendar.month(12, ofYear: 2033))
        let span = try #require(try LunarSpan(parsing: "25/11..2/12").dates(endingInYear: 2033))
        #expect(span == leap11.firstDay.adding(days: 24)...chap.firstDay.adding(days: 1))
    }

    /// "No broadcasts in Tết": a yearly lunar skip leaves out the 29th of tháng Chạp to mùng 5 every year.
    @Test func aYearlyLunarSkipLeavesOutTetEveryYear() throws {
        var schedule = Fixture.schedule(.daily(times: Fixture.times("05:00")))
        schedule.skipLunar = [try LunarSpan(parsing: "29/12..5/1")]
        let aired = Set(Self.days(schedule))
        var tet: Set<LocalDate> = []
        for chap in Self.months.filter({ $0.month == 12 }) {
            let newYear = chap.first.adding(days: chap.length)
            var day = chap.first.adding(days: 28)
            while day <= newYear.adding(days: 4) {
                tet.insert(day)
                day = day.adding(days: 1)
            }
        }
        var expected: Set<LocalDate> = []
        var day = Fixture.day("2026-01-01")
        while day <= Fixture.day("2030-12-31") {
            if !tet.contains(day) { expected.insert(day) }
            day = day.adding(days: 1)
        }
        #expect(aired == expected)
        #expect(!aired.contains(Fixture.day("2027-02-05")) && aired.contains(Fixture.day("2027-02-11")))
        let next = schedule.nextOccurrence(after: Fixture.utc("2030-01-31 12:00"))
        #expect(next?.local.description == "2030-02-07 05:00")  // Tết 2030 is 2030-02-02: 29 Chạp is 02-01
    }

    /// `nextOccurrence` jumps from airing to airing; it must find what `occurrences` lists.
    @Test(arguments: [
        "lunar 1,15@05:00", "lunar last@05:00,17:00", "span 29/12..5/1@07:00", "span 10/3@07:00", "monthly last@08:00",
    ])
    func nextOccurrenceAgreesWithTheExpansion(rule: String) throws {
        let parts = rule.split(separator: " ").map(String.init)
        let recurrence =
            switch parts[0] {
            case "lunar": try RecurrenceSpec.lunar(parts[1])
            case "span": try RecurrenceSpec.lunarSpan(parts[1])
            default: try RecurrenceSpec.monthly(parts[1])
            }
        let schedule = Fixture.schedule(recurrence, skip: ["2027-02-05..2027-02-10"])
        let all = schedule.occurrences(from: Self.start, to: Self.end)
        #expect(!all.isEmpty)
        var instant = Self.start.addingTimeInterval(-1)
        var walked: [Occurrence] = []
        while let next = schedule.nextOccurrence(after: instant), next.plannedAt < Self.end {
            walked.append(next)
            instant = next.plannedAt
        }
        #expect(walked == all)
    }

    @Test func lunarRulesAreCheckedWhenSaved() throws {
        let now = Fixture.utc("2026-01-01 00:00")
        let unsaid = Fixture.schedule(.lunarMonthly(days: [1, 30], times: Fixture.times("05:00")))
        let error = #expect(throws: ConfigurationError.self) { try ScheduleValidator.validate(unsaid, now: now) }
        #expect(error?.key == "--short-months")
        let outside = Fixture.schedule(.lunarMonthly(days: [0], times: Fixture.times("05:00"), shortMonths: .skip))
        #expect(throws: ConfigurationError.self) { try ScheduleValidator.validate(outside, now: now) }
        try ScheduleValidator.validate(Fixture.schedule(try RecurrenceSpec.lunar("1,15@05:00")), now: now)
        try ScheduleValidator.validate(Fixture.schedule(try RecurrenceSpec.lunarSpan("29/12..5/1@07:00")), now: now)
        // Recurrences go through the API and the store as JSON.
        let recurrences = [
            try RecurrenceSpec.lunar("1,15,30@05:00", shortMonths: .last),
            try RecurrenceSpec.lunarSpan("30/12..5/1@07:00"),
            try RecurrenceSpec.monthly("last@08:00"),
        ]
        let data = try JSONEncoder().encode(recurrences)
        #expect(try JSONDecoder().decode([Recurrence].self, from: data) == recurrences)
        // A monthly rule stored before `shortMonths` existed still reads.
        let stored = #"{"monthly":{"day":31,"times":["08:00"]}}"#
        #expect(
            try JSONDecoder().decode(Recurrence.self, from: Data(stored.utf8))
                == .monthly(day: 31, times: Fixture.times("08:00"))
        )
    }
}
