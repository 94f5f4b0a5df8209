import Foundation
import LoaCore
import Testing

/// The Vietnamese lunar calendar (UTC+7) against published dates.
///
/// Where the figures come from: Hồ Ngọc Đức's published year tables for the Vietnamese calendar (TK21, the tables
/// of amlich.js, as shipped in PyPI `vnlunar` 1.0.5, `get_lunar_date_from_table`), each figure checked again against
/// two independent implementations on PyPI for UTC+7: `lunar-vn` 1.4.0 (his astronomical algorithm) and
/// `vi-lunaire` 2026.4.11 (Meeus' full new-moon series). All three agree on every date below. Tết 2026–2029 are
/// also Vietnam's public holidays as announced. Tết 2030 is 2030-02-02 in Vietnam: the new moon falls at 23:07
/// UTC+7 on 2 February, which is 3 February in China's UTC+8 calendar (the date Chinese sources give).
@Suite("Vietnamese lunar calendar")
struct LunarCalendarTests {
    /// Mùng 1 tháng Giêng (Tết Nguyên Đán), 2026–2030.
    static let tet: [Int: String] = [
        2026: "2026-02-17", 2027: "2027-02-06", 2028: "2028-01-26", 2029: "2029-02-13", 2030: "2030-02-02",
    ]

    /// Mùng 1 and rằm of every month of lunar year 2027 (no leap month), in order.
    static let months2027: [(month: Int, first: String, fifteenth: String)] = [
        (1, "2027-02-06", "2027-02-20"), (2, "2027-03-08", "2027-03-22"), (3, "2027-04-07", "2027-04-21"),
        (4, "2027-05-06", "2027-05-20"), (5, "2027-06-05", "2027-06-19"), (6, "2027-07-04", "2027-07-18"),
        (7, "2027-08-02", "2027-08-16"), (8, "2027-09-01", "2027-09-15"), (9, "2027-09-30", "2027-10-14"),
        (10, "2027-10-29", "2027-11-12"), (11, "2027-11-28", "2027-12-12"), (12, "2027-12-28", "2028-01-11"),
    ]

    /// Mùng 1 of every month of lunar year 2028: month 5 is repeated (tháng 5 nhuận), the only leap month in 2026–2030.
    static let months2028: [(month: Int, isLeap: Bool, first: String)] = [
        (1, false, "2028-01-26"), (2, false, "2028-02-25"), (3, false, "2028-03-26"), (4, false, "2028-04-25"),
        (5, false, "2028-05-24"), (5, true, "2028-06-23"), (6, false, "2028-07-22"), (7, false, "2028-08-20"),
        (8, false, "2028-09-19"), (9, false, "2028-10-18"), (10, false, "2028-11-16"), (11, false, "2028-12-16"),
        (12, false, "2029-01-15"),
    ]

    static func day(_ text: String) -> LocalDate { try! LocalDate(parsing: text) }

    @Test func tetFallsOnThePublishedDays() throws {
        for (year, date) in Self.tet {
            #expect(VietnameseLunarCalendar.newYear(of: year) == Self.day(date), "Tết \(year)")
            #expect(VietnameseLunarCalendar.lunarDate(of: Self.day(date)) == LunarDate(year: year, month: 1, day: 1))
            let newYearsDay = try #require(LunarDate(year: year, month: 1, day: 1))
            #expect(VietnameseLunarCalendar.date(of: newYearsDay) == Self.day(date))
        }
    }

    /// Years in which Vietnam's Tết (UTC+7) differs from China's (UTC+8), as Hồ Ngọc Đức's tables give them: 1968
    /// (29 January, the North's new calendar; China 30 January), 1985 (21 January; China 20 February, a whole month
    /// later: China repeated month 10 of 1984, Vietnam month 2 of 1985) and 2007 (17 February; China 18 February).
    @Test func tetFollowsVietnamsTimeZoneNotChinas() {
        #expect(VietnameseLunarCalendar.newYear(of: 1968) == Self.day("1968-01-29"))
        #expect(VietnameseLunarCalendar.newYear(of: 1985) == Self.day("1985-01-21"))
        #expect(VietnameseLunarCalendar.leapMonth(ofYear: 1984) == nil)
        #expect(VietnameseLunarCalendar.leapMonth(ofYear: 1985) == 2)
        #expect(VietnameseLunarCalendar.newYear(of: 2007) == Self.day("2007-02-17"))
    }

    @Test func mung1AndRamOfEveryMonthOf2027() throws {
        let year = VietnameseLunarCalendar.months(ofYear: 2027)
        #expect(year.map(\.number) == Array(1...12))
        #expect(year.allSatisfy { !$0.isLeap })
        #expect(VietnameseLunarCalendar.leapMonth(ofYear: 2027) == nil)
        #expect(
            VietnameseLunarCalendar.dates(onLunarDay: 1, ofYear: 2027) == Self.months2027.map { Self.day($0.first) }
        )
        #expect(
            VietnameseLunarCalendar.dates(onLunarDay: 15, ofYear: 2027)
                == Self.months2027.map { Self.day($0.fifteenth) }
        )
        for (month, first, fifteenth) in Self.months2027 {
            let fullMoon = try #require(LunarDate(year: 2027, month: month, day: 15))
            #expect(VietnameseLunarCalendar.date(of: fullMoon) == Self.day(fifteenth))
            #expect(
                VietnameseLunarCalendar.lunarDate(of: Self.day(first)) == LunarDate(year: 2027, month: month, day: 1)
            )
        }
    }

    @Test func monthLengthsOf2027FollowTheNewMoons() {
        // Each month runs to the day before the next mùng 1; tháng Chạp to the day before Tết 2028.
        let firsts = Self.months2027.map { Self.day($0.first) } + [Self.day("2028-01-26")]
        let lengths = (0..<12).map { firsts[$0 + 1].dayNumber - firsts[$0].dayNumber }
        #expect(lengths == [30, 30, 29, 30, 29, 29, 30, 29, 29, 30, 30, 29])
        #expect((1...12).map { VietnameseLunarCalendar.length(ofMonth: $0, year: 2027) } == lengths)
        #expect(VietnameseLunarCalendar.dates(ofLunarMonth: 3, year: 2027).count == 29)
        #expect(VietnameseLunarCalendar.dates(ofLunarMonth: 3, year: 2027).first == Self.day("2027-04-07"))
        #expect(VietnameseLunarCalendar.dates(ofLunarMonth: 3, year: 2027).last == Self.day("2027-05-05"))
        // A 30th exists only in a 30-day month.
        #expect(VietnameseLunarCalendar.date(of: LunarDate(year: 2027, month: 3, day: 30)!) == nil)
        #expect(VietnameseLunarCalendar.date(of: LunarDate(year: 2027, month: 4, day: 30)!) == Self.day("2027-06-04"))
        #expect(VietnameseLunarCalendar.dates(onLunarDay: 30, ofYear: 2027).count == 6)
    }

    @Test func theLeapMonthOf2028IsTheFifth() throws {
        #expect(VietnameseLunarCalendar.leapMonth(ofYear: 2028) == 5)
        let year = VietnameseLunarCalendar.months(ofYear: 2028)
        #expect(year.map(\.number) == [1, 2, 3, 4, 5, 5, 6, 7, 8, 9, 10, 11, 12])
        #expect(year.map(\.isLeap) == Self.months2028.map(\.isLeap))
        #expect(year.map(\.firstDay) == Self.months2028.map { Self.day($0.first) })
        let leapFullMoon = try #require(LunarDate(year: 2028, month: 5, day: 15, isLeapMonth: true))
        #expect(VietnameseLunarCalendar.date(of: leapFullMoon) == Self.day("2028-07-07"))
        #expect(VietnameseLunarCalendar.lunarDate(of: Self.day("2028-07-07")) == leapFullMoon)
        // "Mùng 1 every month" hits the leap month too: 13 dates in 2028.
        #expect(
            VietnameseLunarCalendar.dates(onLunarDay: 1, ofYear: 2028) == Self.months2028.map { Self.day($0.first) }
        )
        #expect(VietnameseLunarCalendar.dates(onLunarDay: 15, ofYear: 2028).count == 13)
        // A leap month the year does not have does not exist.
        #expect(VietnameseLunarCalendar.date(of: LunarDate(year: 2028, month: 6, day: 1, isLeapMonth: true)!) == nil)
        #expect(VietnameseLunarCalendar.dates(ofLunarMonth: 4, year: 2027, isLeap: true).isEmpty)
    }

    @Test func leapMonthsIn2026Through2030AreOnlyIn2028() {
        #expect((2026...2030).map { VietnameseLunarCalendar.leapMonth(ofYear: $0) } == [nil, nil, 5, nil, nil])
        // Just outside: 2025 repeated month 6, 2031 repeats month 3 (same three sources).
        #expect(VietnameseLunarCalendar.leapMonth(ofYear: 2025) == 6)
        #expect(VietnameseLunarCalendar.leapMonth(ofYear: 2031) == 3)
    }

    @Test func tetSpansFromTheEveToMung5() throws {
        // Tháng Chạp of 2026 and of 2027 have 29 days: the span starts on the 29th.
        let tet2027 = try #require(VietnameseLunarCalendar.tetSpan(of: 2027))
        #expect(tet2027 == Self.day("2027-02-05")...Self.day("2027-02-10"))
        #expect(VietnameseLunarCalendar.lunarDate(of: tet2027.lowerBound) == LunarDate(year: 2026, month: 12, day: 29))
        #expect(VietnameseLunarCalendar.lunarDate(of: tet2027.upperBound) == LunarDate(year: 2027, month: 1, day: 5))
        #expect(VietnameseLunarCalendar.tetSpan(of: 2028) == Self.day("2028-01-25")...Self.day("2028-01-30"))
        // Tháng Chạp of 2023 had 30 days: the span starts on the 30th (Tết 2024 was 2024-02-10).
        let tet2024 = try #require(VietnameseLunarCalendar.tetSpan(of: 2024))
        #expect(tet2024 == Self.day("2024-02-09")...Self.day("2024-02-14"))
        #expect(VietnameseLunarCalendar.lunarDate(of: tet2024.lowerBound) == LunarDate(year: 2023, month: 12, day: 30))
    }

    @Test func everyDayFrom1900To2100GoesThereAndBack() throws {
        let first = Self.day("1900-01-01")
        let last = Self.day("2100-12-31")
        #expect(VietnameseLunarCalendar.supportedDates.contains(first))
        #expect(VietnameseLunarCalendar.supportedDates.contains(last))
        var previous = try #require(VietnameseLunarCalendar.lunarDate(of: first.adding(days: -1)))
        var failures: [String] = []
        for dayNumber in first.dayNumber...last.dayNumber {
            let date = LocalDate(dayNumber: dayNumber)
            guard let lunar = VietnameseLunarCalendar.lunarDate(of: date),
                VietnameseLunarCalendar.date(of: lunar) == date, previous < lunar
            else {
                failures.append("\(date)")
                continue
            }
            // The next day is the next lunar day, or mùng 1 of the next month after a 29th or 30th.
            if lunar.day != previous.day + 1 && !(lunar.day == 1 && (29...30).contains(previous.day)) {
                failures.append("\(date) after \(previous)")
            }
            previous = lunar
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    @Test func everyYearFrom1900To2100HasItsTwelveMonthsAndAtMostOneLeap() {
        for year in VietnameseLunarCalendar.supportedYears {
            let months = VietnameseLunarCalendar.months(ofYear: year)
            #expect(months.filter { !$0.isLeap }.map(\.number) == Array(1...12), "\(year)")
            #expect(months.filter(\.isLeap).count <= 1, "\(year)")
            #expect(months.allSatisfy { (29...30).contains($0.length) }, "\(year)")
            #expect(zip(months, months.dropFirst()).allSatisfy { $0.lastDay.adding(days: 1) == $1.firstDay }, "\(year)")
        }
        // Roughly 7 leap years in 19: 74 in 201 years.
        let leapYears = VietnameseLunarCalendar.supportedYears.filter {
            VietnameseLunarCalendar.leapMonth(ofYear: $0) != nil
        }
        #expect((70...78).contains(leapYears.count))
    }

    @Test func outsideTheSupportedSpanThereIsNoAnswer() {
        #expect(VietnameseLunarCalendar.lunarDate(of: Self.day("1800-01-01")) == nil)
        #expect(VietnameseLunarCalendar.lunarDate(of: Self.day("2200-01-01")) == nil)
        #expect(VietnameseLunarCalendar.newYear(of: 2150) == nil)
    }

    @Test func lunarDatesAreWrittenAndReadBack() throws {
        let fullMoon = try #require(LunarDate(year: 2027, month: 8, day: 15))
        #expect(fullMoon.code == "L2027-08-15")
        #expect(fullMoon.description == "15/8/2027 âm lịch")
        let leap = try #require(LunarDate(year: 2028, month: 5, day: 1, isLeapMonth: true))
        #expect(leap.code == "L2028-05+-01")
        #expect(leap.description == "1/5 nhuận/2028 âm lịch")
        #expect(try LunarDate(parsing: "L2027-08-15") == fullMoon)
        #expect(try LunarDate(parsing: "L2028-5+-1") == leap)
        #expect(LunarDate(year: 2028, month: 5, day: 30)! < leap)
        for bad in ["2027-08-15", "L2027-13-01", "L2027-08-31", "L2027-08", "L27-08-15", "L2027-+-15", "L2027-08-1x"] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try LunarDate(parsing: bad) }
        }
        let json = try JSONEncoder().encode([leap])
        #expect(String(decoding: json, as: UTF8.self) == #"["L2028-05+-01"]"#)
        #expect(try JSONDecoder().decode([LunarDate].self, from: json) == [leap])
    }
}
