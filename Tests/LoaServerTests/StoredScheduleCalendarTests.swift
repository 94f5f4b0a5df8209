import Foundation
import GRDB
import LoaCore
import LoaStore
import LoaTestSupport
import Testing

/// Schedules stored before skip ranges and the short-month rule existed still load from a real SQLite file, with
/// their meaning unchanged and now said; new ones keep their ranges and lunar rules.
@Suite("Stored schedules and the calendar")
struct StoredScheduleCalendarTests {
    static func schedule(_ id: String, _ recurrence: Recurrence, skips: [DateRange]) -> Schedule {
        Schedule(
            id: id,
            announcement: Announcement(title: "Thông báo", content: .tts(text: "Kính thưa bà con", voice: "vi")),
            recurrence: recurrence,
            skipDates: skips,
            createdAt: Date(timeIntervalSince1970: 1_780_000_000)
        )
    }

    @Test func aDefinitionWithPlainSkipDatesAndAnUnsaidMonthlyRuleLoads() throws {
        let directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-calendar-store")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/loa.sqlite"
        let times = [try LocalTime(parsing: "08:00")]
        do {
            let database = try LoaDatabase(path: path)
            try database.insert(
                Self.schedule("sch-old", .daily(times: times), skips: []),
                actor: .system
            )
        }
        // The definition as it was written before ranges and the rule: plain dates, no `shortMonths`.
        let old = """
            {"latenessLimitSeconds":300,"recurrence":{"monthly":{"day":31,"times":["08:00"]}},"repeatCount":1,\
            "repeatGapSeconds":0,"skipDates":["2026-12-30","2027-01-01"],"targets":"all",\
            "timeZone":"Asia/Ho_Chi_Minh"}
            """
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "UPDATE schedule SET definition = ? WHERE id = 'sch-old'", arguments: [old])
        }
        try queue.close()

        let database = try LoaDatabase(path: path)
        let loaded = try #require(try database.schedule(id: "sch-old"))
        #expect(
            loaded.skipDates == [
                DateRange(try LocalDate(parsing: "2026-12-30")), DateRange(try LocalDate(parsing: "2027-01-01")),
            ]
        )
        #expect(loaded.recurrence == .monthly(day: 31, times: times, shortMonths: .skip))

        let tet = try DateRange(parsing: "2027-02-05..2027-02-10")
        try database.insert(
            Self.schedule(
                "sch-lunar",
                .lunarYearly(span: try LunarSpan(parsing: "29/12..5/1"), times: times),
                skips: [tet, DateRange(try LocalDate(parsing: "2026-12-30"))]
            ),
            actor: .system
        )
        let lunar = try #require(try database.schedule(id: "sch-lunar"))
        #expect(lunar.skipDates == [tet, DateRange(try LocalDate(parsing: "2026-12-30"))])
        #expect(lunar.recurrence == .lunarYearly(span: try LunarSpan(parsing: "29/12..5/1"), times: times))
    }
}
