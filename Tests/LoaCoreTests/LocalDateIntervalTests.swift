import Foundation
import LoaCore
import Testing

/// A local day as instants (`LocalDate.interval(in:)`), which the console's week and day filters use.
@Suite("A local day's instants")
struct LocalDateIntervalTests {
    @Test func aDayInHoChiMinhCityRunsFrom17UTCTo17UTC() throws {
        let day = try #require(LocalDate(year: 2026, month: 12, day: 7))
        let interval = day.interval(in: try #require(TimeZone(identifier: "Asia/Ho_Chi_Minh")))
        #expect(interval.start == (try Date("2026-12-06T17:00:00Z", strategy: .iso8601)))
        #expect(interval.duration == 86_400)
    }

    @Test func aDayWhenClocksGoForwardIs23Hours() throws {
        let day = try #require(LocalDate(year: 2026, month: 3, day: 29))
        let interval = day.interval(in: try #require(TimeZone(identifier: "Europe/Berlin")))
        #expect(interval.start == (try Date("2026-03-28T23:00:00Z", strategy: .iso8601)))
        #expect(interval.duration == 23 * 3600)
    }
}
