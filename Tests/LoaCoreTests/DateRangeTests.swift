import LoaCore
import Testing

/// Dates as officers type them: `dd/MM/yyyy` and ranges for days off.
@Suite("Typed dates and date ranges")
struct DateRangeTests {
    static func day(_ text: String) -> LocalDate { try! LocalDate(parsing: text) }

    @Test func officersDatesParseAsTheISOForm() throws {
        #expect(try LocalDate(parsing: "30/12/2026") == LocalDate(year: 2026, month: 12, day: 30))
        #expect(try LocalDate(parsing: "5/2/2027") == LocalDate(year: 2027, month: 2, day: 5))
        #expect(try LocalDate(parsing: "05/02/2027") == LocalDate(year: 2027, month: 2, day: 5))
        #expect(try LocalDate(parsing: "29/02/2028") == LocalDate(year: 2028, month: 2, day: 29))
        #expect(try LocalDate(parsing: "2026-12-30").description == "2026-12-30")
    }

    @Test func datesThatDoNotExistOrAreMistypedAreRefused() {
        let missing = #expect(throws: ConfigurationError.self) { try LocalDate(parsing: "31/02/2027") }
        #expect(missing?.problem == "does not exist in the calendar")
        #expect(throws: ConfigurationError.self) { try LocalDate(parsing: "29/02/2027") }
        for bad in ["12/30/26", "2026/12/30", "30-12-2026", "30/12/26", "300/12/2026", "2026-12-3", "+1/12/2026", ""] {
            let error = #expect(throws: ConfigurationError.self, "\(bad)") { try LocalDate(parsing: bad) }
            #expect(error?.problem.contains("dd/MM/yyyy") == true)
            #expect(error?.problem.contains("YYYY-MM-DD") == true)
        }
    }

    @Test func aRangeHoldsBothEnds() throws {
        let range = try DateRange(parsing: "2027-02-05..2027-02-10")
        #expect(range.first == Self.day("2027-02-05"))
        #expect(range.last == Self.day("2027-02-10"))
        #expect(range.count == 6)
        #expect(range.dates.map(\.description) == (5...10).map { "2027-02-\($0 < 10 ? "0" : "")\($0)" })
        #expect(range.contains(Self.day("2027-02-10")) && !range.contains(Self.day("2027-02-11")))
        #expect(range.description == "2027-02-05..2027-02-10")
        #expect(try DateRange(parsing: "05/02/2027..10/02/2027") == range)
        #expect(try DateRange(parsing: " 5/2/2027 .. 2027-02-10 ") == range)
    }

    @Test func aSingleDateIsAOneDayRange() throws {
        let one = try DateRange(parsing: "30/12/2026")
        #expect(one.dates == [Self.day("2026-12-30")])
        #expect(one.description == "2026-12-30")
        #expect(try DateRange(parsing: "2026-12-30..2026-12-30") == one)
    }

    @Test func rangesCrossMonthAndYearEnds() throws {
        let range = try DateRange(parsing: "30/12/2026..02/01/2027")
        #expect(range.dates.map(\.description) == ["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"])
        let leapYear = try DateRange(parsing: "2028-01-01..2028-12-31")
        #expect(leapYear.count == 366)
    }

    @Test func reversedAndOverLongRangesAreRefusedNamingTheFix() {
        let reversed = #expect(throws: ConfigurationError.self) { try DateRange(parsing: "2027-02-10..2027-02-05") }
        #expect(reversed?.problem.contains("2027-02-05..2027-02-10") == true)
        let long = #expect(throws: ConfigurationError.self) { try DateRange(parsing: "2027-02-05..2028-02-10") }
        #expect(long?.problem.contains("--from and --until") == true)
        #expect(long?.problem.contains("371 days") == true)
        #expect(throws: ConfigurationError.self) { try DateRange(parsing: "2027-02-05..") }
        #expect(throws: ConfigurationError.self) { try DateRange(parsing: "2027-02-05..31/02/2027") }
        #expect(DateRange(first: Self.day("2027-02-10"), last: Self.day("2027-02-05")) == nil)
    }
}
