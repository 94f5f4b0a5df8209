import Foundation
import LoaCore
import Testing

@testable import LoaServer

/// What `loa schedule next` is given (issue 18): each occurrence with its schedule's title and measured length
/// (none on a day whose one-off items the measure leaves out), and `--days N` ending at a local midnight.
@Suite("Schedule book listings")
struct ScheduleBookListingsTests {
    let inventory = SiteInventory(zones: [Zone(id: "thon-dong", name: "Thôn Đông")])

    func schedule(length: Int?) throws -> Schedule {
        Schedule(
            id: "sch-1",
            announcement: Announcement(title: "Bản tin sáng", content: .tts(text: "Kính thưa bà con", voice: "vi")),
            recurrence: try RecurrenceSpec.daily("05:00"),
            targets: .zones(["thon-dong"]),
            approval: .approved,
            oneOffItems: [
                DatedProgrammeItem(
                    date: LocalDate(year: 2026, month: 12, day: 9)!,
                    item: ProgrammeItem(content: .tts(text: "Thông báo thêm", voice: "vi"))
                )
            ],
            lengthMilliseconds: length
        )
    }

    func occurrence(on day: Int, targets: Targets = .zones(["thon-dong"])) throws -> Occurrence {
        Occurrence(
            scheduleID: "sch-1",
            plannedAt: Date(timeIntervalSince1970: 0),
            local: try LocalDateTime(parsing: "2026-12-0\(day) 05:00"),
            priority: .normal,
            targets: targets
        )
    }

    @Test func anOccurrenceIsListedWithItsTitleAndMeasuredLength() throws {
        let listed = ScheduleBook.listed(try occurrence(on: 8), of: try schedule(length: 272_400), in: inventory)
        #expect(listed.title == "Bản tin sáng")
        #expect(listed.lengthMilliseconds == 272_400)
        #expect(listed.problems == nil)
        let unmeasured = ScheduleBook.listed(try occurrence(on: 8), of: try schedule(length: nil), in: inventory)
        #expect(unmeasured.title == "Bản tin sáng" && unmeasured.lengthMilliseconds == nil)
    }

    @Test func aDayWithOneOffItemsHasNoLengthRatherThanAShortOne() throws {
        let listed = ScheduleBook.listed(try occurrence(on: 9), of: try schedule(length: 272_400), in: inventory)
        #expect(listed.title == "Bản tin sáng")
        #expect(listed.lengthMilliseconds == nil)
    }

    @Test func aTargetTheInventoryLostIsAProblem() throws {
        let gone = try occurrence(on: 8, targets: .zones(["thon-cu"]))
        let listed = ScheduleBook.listed(gone, of: try schedule(length: nil), in: inventory)
        #expect(listed.problems == ["zone thon-cu is no longer in the inventory"])
    }

    @Test(arguments: [(1, "2026-12-07T17:00:00Z"), (2, "2026-12-08T17:00:00Z"), (7, "2026-12-13T17:00:00Z")])
    func daysEndAtALocalMidnight(days: Int, end: String) throws {
        // 23:30 on 2026-12-07 in Vietnam (UTC+7).
        let now = try Date("2026-12-07T16:30:00Z", strategy: .iso8601)
        let expected = try Date(end, strategy: .iso8601)
        #expect(ScheduleBook.endOfListing(days: days, after: now, timeZone: "Asia/Ho_Chi_Minh") == expected)
    }
}
