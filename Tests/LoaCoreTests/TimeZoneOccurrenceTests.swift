import Foundation
import LoaCore
import Testing

/// Sites outside Vietnam, with exact UTC instants across DST changes (checked against the IANA database).
@Suite("Occurrences in other time zones")
struct TimeZoneOccurrenceTests {
    @Test func berlinSpringForwardShiftsGapTimesForwardByTheGap() {
        // 2026-03-29: Berlin jumps from 02:00 CET to 03:00 CEST; 02:30 does not exist that day.
        let schedule = Fixture.schedule(
            .daily(times: Fixture.times("01:30", "02:30", "04:00")),
            timeZone: "Europe/Berlin"
        )
        let found = schedule.occurrences(from: Fixture.utc("2026-03-28 12:00"), to: Fixture.utc("2026-03-29 12:00"))
        #expect(
            found.map(\.plannedAt) == [
                Date(timeIntervalSince1970: 1_774_744_200),  // 01:30 CET = 00:30Z
                Date(timeIntervalSince1970: 1_774_747_800),  // 02:30 → 03:30 CEST = 01:30Z
                Fixture.utc("2026-03-29 02:00"),  // 04:00 CEST
            ]
        )
        #expect(Fixture.locals(found) == ["2026-03-29 01:30", "2026-03-29 03:30", "2026-03-29 04:00"])
    }

    @Test func aGapTimeShiftedOntoAnotherSlotAirsOnce() {
        let schedule = Fixture.schedule(.daily(times: Fixture.times("02:30", "03:30")), timeZone: "Europe/Berlin")
        let found = schedule.occurrences(from: Fixture.utc("2026-03-29 00:00"), to: Fixture.utc("2026-03-29 12:00"))
        #expect(found.map(\.plannedAt) == [Fixture.utc("2026-03-29 01:30")])
    }

    @Test func berlinFallBackUsesTheFirstOfTheRepeatedTimes() {
        // 2026-10-25: Berlin falls back from 03:00 CEST to 02:00 CET; 02:30 happens twice.
        let schedule = Fixture.schedule(.daily(times: Fixture.times("02:30")), timeZone: "Europe/Berlin")
        let found = schedule.occurrences(from: Fixture.utc("2026-10-23 12:00"), to: Fixture.utc("2026-10-26 12:00"))
        #expect(
            found.map(\.plannedAt) == [
                Fixture.utc("2026-10-24 00:30"),  // CEST
                Date(timeIntervalSince1970: 1_792_888_200),  // 2026-10-25 00:30Z, the first 02:30 (CEST)
                Fixture.utc("2026-10-26 01:30"),  // CET
            ]
        )
        #expect(Fixture.locals(found) == ["2026-10-24 02:30", "2026-10-25 02:30", "2026-10-26 02:30"])
        #expect(
            schedule.nextOccurrence(after: Fixture.utc("2026-10-25 00:30"))?.plannedAt
                == Fixture.utc("2026-10-26 01:30")
        )
    }

    @Test func losAngelesAcrossBothChanges() {
        let schedule = Fixture.schedule(
            .weekly(days: [.saturday, .sunday, .monday], times: Fixture.times("01:30", "02:30", "09:00")),
            timeZone: "America/Los_Angeles"
        )
        // Spring forward on Sunday 2026-03-08 at 02:00 PST → 03:00 PDT.
        let spring = schedule.occurrences(from: Fixture.utc("2026-03-07 16:00"), to: Fixture.utc("2026-03-09 17:00"))
        #expect(
            spring.map(\.plannedAt) == [
                Fixture.utc("2026-03-07 17:00"),  // Sat 09:00 PST
                Fixture.utc("2026-03-08 09:30"),  // Sun 01:30 PST
                Date(timeIntervalSince1970: 1_772_965_800),  // Sun 02:30 → 03:30 PDT = 10:30Z
                Fixture.utc("2026-03-08 16:00"),  // Sun 09:00 PDT
                Fixture.utc("2026-03-09 08:30"),  // Mon 01:30 PDT
                Fixture.utc("2026-03-09 09:30"),  // Mon 02:30 PDT
                Date(timeIntervalSince1970: 1_773_072_000),  // Mon 09:00 PDT = 16:00Z
            ]
        )
        // Fall back on Sunday 2026-11-01 at 02:00 PDT → 01:00 PST: 01:30 is the first (PDT).
        let fall = schedule.occurrences(from: Fixture.utc("2026-11-01 07:00"), to: Fixture.utc("2026-11-01 18:00"))
        #expect(
            fall.map(\.plannedAt) == [
                Date(timeIntervalSince1970: 1_793_521_800),  // 01:30 PDT = 08:30Z
                Fixture.utc("2026-11-01 10:30"),  // 02:30 PST
                Fixture.utc("2026-11-01 17:00"),  // 09:00 PST
            ]
        )
    }

    @Test func aWholeSkippedDayShiftsOntoTheNextOne() {
        // Samoa skipped 2011-12-30 (UTC−10 to UTC+14): that day's 10:00 lands on 12-31 10:00 and airs once.
        let schedule = Fixture.schedule(.daily(times: Fixture.times("10:00")), timeZone: "Pacific/Apia")
        let found = schedule.occurrences(from: Fixture.utc("2011-12-29 00:00"), to: Fixture.utc("2011-12-31 12:00"))
        #expect(found.map(\.plannedAt) == [Fixture.utc("2011-12-29 20:00"), Fixture.utc("2011-12-30 20:00")])
        #expect(Fixture.locals(found) == ["2011-12-29 10:00", "2011-12-31 10:00"])
    }

    @Test func hoChiMinhIsTheDefaultAndSevenHoursAhead() {
        let schedule = Fixture.schedule(.daily(times: Fixture.times("05:00")))
        #expect(schedule.timeZone == "Asia/Ho_Chi_Minh")
        #expect(
            schedule.nextOccurrence(after: Fixture.utc("2026-06-01 00:00"))?.plannedAt
                == Fixture.utc("2026-06-01 22:00")
        )
    }

    @Test func theSameLocalSlotIsADifferentInstantPerZone() {
        let hanoi = Fixture.schedule(.once(Fixture.at("2026-12-01 05:00")))
        let berlin = Fixture.schedule(.once(Fixture.at("2026-12-01 05:00")), timeZone: "Europe/Berlin")
        let after = Fixture.utc("2026-11-01 00:00")
        #expect(hanoi.nextOccurrence(after: after)?.plannedAt == Fixture.utc("2026-11-30 22:00"))
        #expect(berlin.nextOccurrence(after: after)?.plannedAt == Fixture.utc("2026-12-01 04:00"))
    }

    @Test(arguments: ["Asia/Ho_Chi_Minh", "Europe/Berlin", "America/Los_Angeles", "UTC", "Asia/Saigon"])
    func parsesKnownTimeZones(identifier: String) {
        #expect(throws: Never.self) { try Schedule.parseTimeZone(identifier) }
    }

    @Test(arguments: [
        ("Mars/Olympus", "use an IANA name such as Asia/Ho_Chi_Minh"),
        ("", "use an IANA name"),
        ("asia/ho_chi_minh", "did you mean Asia/Ho_Chi_Minh?"),
    ])
    func rejectsUnknownTimeZones(identifier: String, hint: String) {
        let error = #expect(throws: ConfigurationError.self) { try Schedule.parseTimeZone(identifier) }
        #expect(error?.value == identifier)
        #expect(error?.problem.contains("is not a known time zone") == true)
        #expect(error?.description.contains(hint) == true)
    }

    @Test func anUnknownZoneNeverAirs() {
        let schedule = Fixture.schedule(.daily(times: Fixture.times("05:00")), timeZone: "Mars/Olympus")
        #expect(
            schedule.occurrences(from: Fixture.utc("2026-01-01 00:00"), to: Fixture.utc("2026-02-01 00:00")).isEmpty
        )
        #expect(schedule.nextOccurrence(after: Fixture.utc("2026-01-01 00:00")) == nil)
    }
}
