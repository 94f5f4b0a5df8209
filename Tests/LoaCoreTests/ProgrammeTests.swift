import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// Programmes (chương trình): several items aired as one broadcast in one slot, one-off items of a day, and what
/// an edit changes, as the core sees them.
@Suite("Programmes in the core")
struct ProgrammeTests {
    static func programme(_ id: String = "sang") throws -> Schedule {
        var schedule = SchedulerTests.schedule(id, .daily(times: [try LocalTime(parsing: "05:00")]))
        schedule.announcement.title = "Chương trình sáng"
        schedule.announcement.followingItems = [
            ProgrammeItem(title: "Thời tiết", content: .tts(text: "Trời nắng", voice: "vi")),
            ProgrammeItem(content: .audio(assetID: "abc")),
        ]
        schedule.oneOffItems = [
            DatedProgrammeItem(
                date: try LocalDate(parsing: "2026-12-02"),
                item: ProgrammeItem(title: "Họp dân", content: .tts(text: "Họp dân tối nay", voice: "vi"))
            )
        ]
        return schedule
    }

    @Test func aProgrammeAirsAsOneBroadcastAndTheLogListsItsItemsWithTheDaysOneOffs() async throws {
        let h = await SchedulerTests.Harness(now: "2026-12-01 04:58", playFor: 30, schedules: [try Self.programme()])
        h.clock.advance(to: SchedulerTests.vn("2026-12-01 05:00"))
        #expect(await h.settle { h.player.started.count == 1 })
        h.clock.advance(by: 31)
        #expect(await h.settle { h.outcomes("sang") == [.completed] })
        #expect(h.log.entries.first?.items == ["Chương trình sáng (1)", "Thời tiết", "Chương trình sáng (3)"])
        #expect(h.player.started.first?.announcement.items.count == 3)

        // The next day's airing carries that day's one-off item at its end, still one broadcast.
        h.clock.advance(to: SchedulerTests.vn("2026-12-02 05:00"))
        #expect(await h.settle { h.player.started.count == 2 })
        h.clock.advance(by: 31)
        #expect(await h.settle { h.outcomes("sang") == [.completed, .completed] })
        #expect(h.log.entries.last?.items?.last == "Họp dân")
        #expect(h.player.started.last?.announcement.items.count == 4)
        await h.stop()
    }

    @Test func anAnnouncementStoredBeforeProgrammesReadsAsOneItem() throws {
        let old = #"{"title":"Họp dân","content":{"tts":{"text":"Xin chào","voice":"vi"}},"chime":true}"#
        let announcement = try JSONDecoder().decode(Announcement.self, from: Data(old.utf8))
        #expect(announcement.items == [ProgrammeItem(content: .tts(text: "Xin chào", voice: "vi"))])
        #expect(!announcement.isProgramme)
        #expect(announcement.itemGapSeconds == Announcement.defaultItemGapSeconds)
        #expect(announcement.title(ofItem: 0) == "Họp dân")
        let again = try JSONDecoder().decode(
            Announcement.self,
            from: try JSONEncoder().encode(try Self.programme().announcement)
        )
        #expect(again == (try Self.programme().announcement))
    }

    @Test func aDayWithoutOneOffItemsAirsTheProgrammeAsItIs() throws {
        let schedule = try Self.programme()
        #expect(schedule.airing(on: try LocalDate(parsing: "2026-12-01")) == schedule)
        #expect(schedule.airing(on: try LocalDate(parsing: "2026-12-02")).announcement.items.count == 4)
    }

    @Test func anEditIsDescribedFieldByField() throws {
        let old = try Self.programme()
        var new = old
        new.recurrence = .daily(times: [try LocalTime(parsing: "05:30")])
        new.volume = 80
        new.announcement.itemGapSeconds = 5
        new.announcement.followingItems.removeLast()
        let lines = ScheduleChanges.lines(from: old, to: new)
        #expect(lines.contains("time: daily 05:00 → daily 05:30"))
        #expect(lines.contains("volume: receivers' own → 80"))
        #expect(lines.contains("gap between items: 2s → 5s"))
        #expect(lines.contains { $0.hasPrefix("items: [") && $0.contains("asset abc") })
        #expect(ScheduleChanges.lines(from: old, to: old).isEmpty)
    }

    @Test func aProgrammesItemsAreCheckedOneByOne() throws {
        var schedule = try Self.programme()
        schedule.oneOffItems = []
        try ScheduleValidator.validateProgramme(schedule, voices: ["vi"])
        schedule.announcement.followingItems.append(ProgrammeItem(content: .live))
        #expect(throws: ConfigurationError.self) { try ScheduleValidator.validateProgramme(schedule, voices: ["vi"]) }
        schedule.announcement.followingItems.removeLast()
        schedule.announcement.itemGapSeconds = 61
        #expect(throws: ConfigurationError.self) { try ScheduleValidator.validateProgramme(schedule, voices: ["vi"]) }
        schedule.announcement.itemGapSeconds = 2
        schedule.announcement.followingItems.append(ProgrammeItem(content: .tts(text: "x", voice: "klingon")))
        #expect(throws: ConfigurationError.self) { try ScheduleValidator.validateProgramme(schedule, voices: ["vi"]) }
        schedule.announcement.followingItems = Array(
            repeating: ProgrammeItem(content: .audio(assetID: "abc")),
            count: ScheduleValidator.maximumProgrammeItems
        )
        #expect(throws: ConfigurationError.self) { try ScheduleValidator.validateProgramme(schedule, voices: ["vi"]) }
    }
}
