import Foundation
import LoaCore
import Testing

/// Expansion in the default zone, Asia/Ho_Chi_Minh (UTC+7, no DST).
@Suite("Occurrence expansion")
struct OccurrenceExpansionTests {
    @Test func utcFixtureMatchesKnownEpochSeconds() {
        #expect(Fixture.utc("2026-01-01 00:00") == Date(timeIntervalSince1970: 1_767_225_600))
        #expect(Fixture.utc("2026-12-31 16:30") == Date(timeIntervalSince1970: 1_798_734_600))
    }

    @Test func dailySlotsCrossMidnightAndTheYearEnd() {
        let schedule = Fixture.schedule(.daily(times: Fixture.times("23:30", "00:30")))
        // Local [2026-12-31 07:00, 2027-01-02 07:00).
        let found = schedule.occurrences(from: Fixture.utc("2026-12-31 00:00"), to: Fixture.utc("2027-01-02 00:00"))
        #expect(
            Fixture.locals(found) == ["2026-12-31 23:30", "2027-01-01 00:30", "2027-01-01 23:30", "2027-01-02 00:30"]
        )
        #expect(
            found.map(\.plannedAt) == [
                Fixture.utc("2026-12-31 16:30"), Fixture.utc("2026-12-31 17:30"), Fixture.utc("2027-01-01 16:30"),
                Fixture.utc("2027-01-01 17:30"),
            ]
        )
        #expect(found.allSatisfy { $0.scheduleID == "sch-1" && $0.priority == .normal && $0.targets == .all })
    }

    @Test func dailySlotsCrossAMonthEnd() {
        let schedule = Fixture.schedule(.daily(times: Fixture.times("00:00", "23:59")))
        let found = schedule.occurrences(from: Fixture.utc("2026-04-29 17:00"), to: Fixture.utc("2026-05-01 17:00"))
        #expect(
            Fixture.locals(found) == ["2026-04-30 00:00", "2026-04-30 23:59", "2026-05-01 00:00", "2026-05-01 23:59"]
        )
    }

    @Test func weekdaySlotsSkipSunday() {
        let days: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday, .saturday]
        let schedule = Fixture.schedule(.weekly(days: days, times: Fixture.times("17:00", "05:00")))
        // Local Sunday 2026-05-31 00:00 to Sunday 2026-06-07 24:00.
        let found = schedule.occurrences(from: Fixture.utc("2026-05-30 17:00"), to: Fixture.utc("2026-06-07 17:00"))
        #expect(found.count == 12)
        #expect(Fixture.locals(found).prefix(3) == ["2026-06-01 05:00", "2026-06-01 17:00", "2026-06-02 05:00"])
        #expect(Fixture.locals(found).last == "2026-06-06 17:00")
        #expect(found.allSatisfy { $0.local.date.weekday != .sunday })
        #expect(found.first?.plannedAt == Fixture.utc("2026-05-31 22:00"))
    }

    @Test func rangeIsHalfOpen() {
        let schedule = Fixture.schedule(.daily(times: Fixture.times("05:00")))
        let five = Fixture.utc("2026-06-09 22:00")  // 2026-06-10 05:00 local
        #expect(
            Fixture.locals(schedule.occurrences(from: five, to: five.addingTimeInterval(86_400))) == [
                "2026-06-10 05:00"
            ]
        )
        #expect(schedule.occurrences(from: five.addingTimeInterval(-86_400), to: five).count == 1)
        #expect(schedule.occurrences(from: five, to: five).isEmpty)
        #expect(schedule.occurrences(from: five.addingTimeInterval(1), to: five.addingTimeInterval(3600)).isEmpty)
    }

    @Test(arguments: [
        (31, ["01-31", "03-31", "05-31", "07-31", "08-31", "10-31", "12-31"]),
        (30, ["01-30", "03-30", "04-30", "05-30", "06-30", "07-30", "08-30", "09-30", "10-30", "11-30", "12-30"]),
        (29, ["01-29", "03-29", "04-29", "05-29", "06-29", "07-29", "08-29", "09-29", "10-29", "11-29", "12-29"]),
        (
            28,
            [
                "01-28", "02-28", "03-28", "04-28", "05-28", "06-28", "07-28", "08-28", "09-28", "10-28", "11-28",
                "12-28",
            ]
        ),
    ])
    func monthlySkipsMonthsWithoutTheDayIn2026(day: Int, expected: [String]) {
        let schedule = Fixture.schedule(.monthly(day: day, times: Fixture.times("08:00")))
        let found = schedule.occurrences(from: Fixture.utc("2025-12-31 17:00"), to: Fixture.utc("2026-12-31 17:00"))
        #expect(Fixture.locals(found) == expected.map { "2026-\($0) 08:00" })
    }

    @Test(arguments: [(2027, false), (2028, true), (2100, false), (2000, true)])
    func monthly29thFebruaryOnlyInLeapYears(year: Int, airs: Bool) {
        let schedule = Fixture.schedule(.monthly(day: 29, times: Fixture.times("08:00")))
        let found = schedule.occurrences(
            from: Fixture.utc("\(year)-02-01 00:00"),
            to: Fixture.utc("\(year)-03-01 00:00")
        )
        #expect(Fixture.locals(found) == (airs ? ["\(year)-02-29 08:00"] : []))
        let next = schedule.nextOccurrence(after: Fixture.utc("\(year)-02-01 00:00"))
        #expect(next?.local.description == (airs ? "\(year)-02-29 08:00" : "\(year)-03-29 08:00"))
    }

    @Test func yearlyCampaignOn29FebruaryViaOnceAndDailyWithRange() {
        let once = Fixture.schedule(.once(Fixture.at("2028-02-29 19:30")))
        #expect(
            Fixture.locals(once.occurrences(from: Fixture.utc("2028-01-01 00:00"), to: Fixture.utc("2029-01-01 00:00")))
                == ["2028-02-29 19:30"]
        )
        let campaign = Fixture.schedule(
            .daily(times: Fixture.times("06:00")),
            validFrom: "2028-02-28",
            validUntil: "2028-03-01"
        )
        #expect(
            Fixture.locals(
                campaign.occurrences(from: Fixture.utc("2028-01-01 00:00"), to: Fixture.utc("2029-01-01 00:00"))
            )
                == ["2028-02-28 06:00", "2028-02-29 06:00", "2028-03-01 06:00"]
        )
    }

    @Test(arguments: [
        (2, ["2026-06-08 07:00", "2026-06-10 07:00", "2026-06-22 07:00", "2026-06-24 07:00", "2026-07-06 07:00"]),
        (3, ["2026-06-08 07:00", "2026-06-10 07:00", "2026-06-29 07:00", "2026-07-01 07:00"]),
    ])
    func everyNWeeksCountsWeeksFromTheAnchorWeek(interval: Int, expected: [String]) {
        // Anchor Wednesday 2026-06-10: its week runs Monday 06-08 to Sunday 06-14. Nothing before that week.
        let schedule = Fixture.schedule(
            .everyNWeeks(
                interval: interval,
                anchor: Fixture.day("2026-06-10"),
                days: [.wednesday, .monday],
                times: Fixture.times("07:00")
            )
        )
        let found = schedule.occurrences(from: Fixture.utc("2026-05-01 00:00"), to: Fixture.utc("2026-07-07 00:00"))
        #expect(Fixture.locals(found) == expected)
    }

    @Test func everyNWeeksNextJumpsOverInactiveWeeks() {
        let schedule = Fixture.schedule(
            .everyNWeeks(interval: 4, anchor: Fixture.day("2026-06-14"), days: [.sunday], times: Fixture.times("09:00"))
        )
        // Active Sundays: 06-14, 07-12, 08-09, …
        #expect(
            schedule.nextOccurrence(after: Fixture.utc("2026-01-01 00:00"))?.local.description == "2026-06-14 09:00"
        )
        #expect(
            schedule.nextOccurrence(after: Fixture.utc("2026-06-14 02:00"))?.local.description == "2026-07-12 09:00"
        )
        #expect(
            schedule.nextOccurrence(after: Fixture.utc("2026-07-12 03:00"))?.local.description == "2026-08-09 09:00"
        )
    }

    @Test func validRangeIsInclusiveAndSkipDatesAreSkipped() {
        let schedule = Fixture.schedule(
            .daily(times: Fixture.times("05:00")),
            validFrom: "2026-06-10",
            validUntil: "2026-06-14",
            skip: ["2026-06-12", "2026-07-01"]
        )
        let found = schedule.occurrences(from: Fixture.utc("2026-06-01 00:00"), to: Fixture.utc("2026-07-01 00:00"))
        #expect(
            Fixture.locals(found) == ["2026-06-10 05:00", "2026-06-11 05:00", "2026-06-13 05:00", "2026-06-14 05:00"]
        )
        #expect(
            schedule.nextOccurrence(after: Fixture.utc("2026-06-01 00:00"))?.local.description == "2026-06-10 05:00"
        )
        #expect(
            schedule.nextOccurrence(after: Fixture.utc("2026-06-10 23:00"))?.local.description == "2026-06-13 05:00"
        )
        #expect(schedule.nextOccurrence(after: Fixture.utc("2026-06-13 22:00")) == nil)
    }

    @Test func onceYieldsOneOccurrence() {
        let schedule = Fixture.schedule(.once(Fixture.at("2026-12-24 19:30")))
        let found = schedule.occurrences(from: Fixture.utc("2026-01-01 00:00"), to: Fixture.utc("2027-12-31 00:00"))
        #expect(found.map(\.plannedAt) == [Fixture.utc("2026-12-24 12:30")])
        #expect(
            schedule.nextOccurrence(after: Fixture.utc("2026-12-24 12:29"))?.plannedAt
                == Fixture.utc("2026-12-24 12:30")
        )
        #expect(schedule.nextOccurrence(after: Fixture.utc("2026-12-24 12:30")) == nil)  // strictly after
        let outside = Fixture.schedule(.once(Fixture.at("2026-12-24 19:30")), validUntil: "2026-12-23")
        #expect(outside.nextOccurrence(after: Fixture.utc("2026-01-01 00:00")) == nil)
    }

    @Test func nextOccurrenceIsStrictlyAfterAndFindsFarMonthlyDays() {
        let schedule = Fixture.schedule(.monthly(day: 31, times: Fixture.times("05:00", "17:00")))
        let first = schedule.nextOccurrence(after: Fixture.utc("2026-04-01 00:00"))
        #expect(first?.local.description == "2026-05-31 05:00")
        let second = first.flatMap { schedule.nextOccurrence(after: $0.plannedAt) }
        #expect(second?.local.description == "2026-05-31 17:00")
        let third = second.flatMap { schedule.nextOccurrence(after: $0.plannedAt) }
        #expect(third?.local.description == "2026-07-31 05:00")
    }

    @Test func duplicateTimesAndDaysAirOnce() {
        let schedule = Fixture.schedule(.weekly(days: [.monday, .monday], times: Fixture.times("05:00", "05:00")))
        let found = schedule.occurrences(from: Fixture.utc("2026-06-07 00:00"), to: Fixture.utc("2026-06-14 00:00"))
        #expect(Fixture.locals(found) == ["2026-06-08 05:00"])
    }

    @Test func emptyOrInvalidRecurrencesNeverAir() {
        let never: [Recurrence] = [
            .daily(times: []), .weekly(days: [], times: Fixture.times("05:00")),
            .everyNWeeks(
                interval: 0,
                anchor: Fixture.day("2026-06-10"),
                days: [.monday],
                times: Fixture.times("05:00")
            ),
            .monthly(day: 32, times: Fixture.times("05:00")), .monthly(day: 0, times: Fixture.times("05:00")),
        ]
        for recurrence in never {
            let schedule = Fixture.schedule(recurrence)
            #expect(
                schedule.occurrences(from: Fixture.utc("2026-01-01 00:00"), to: Fixture.utc("2027-01-01 00:00")).isEmpty
            )
            #expect(schedule.nextOccurrence(after: Fixture.utc("2026-01-01 00:00")) == nil)
        }
    }

    /// `nextOccurrence` and `occurrences` must agree for every shape, walking a whole year occurrence by occurrence.
    @Test(arguments: [Schedule.defaultTimeZone, "Europe/Berlin", "America/Los_Angeles"])
    func nextOccurrenceWalksTheSameSequenceAsExpansion(timeZone: String) {
        let recurrences: [Recurrence] = [
            .daily(times: Fixture.times("02:30", "05:00", "17:00")),
            .weekly(days: [.sunday, .wednesday], times: Fixture.times("01:30", "23:45")),
            .everyNWeeks(
                interval: 3,
                anchor: Fixture.day("2026-02-05"),
                days: [.sunday, .tuesday],
                times: Fixture.times("02:15")
            ),
            .monthly(day: 31, times: Fixture.times("00:00", "02:30")),
            .monthly(day: 29, times: Fixture.times("12:00")),
        ]
        let start = Fixture.utc("2026-01-01 00:00")
        let end = Fixture.utc("2027-01-01 00:00")
        for recurrence in recurrences {
            let schedule = Fixture.schedule(recurrence, skip: ["2026-04-05", "2026-07-01"], timeZone: timeZone)
            let expanded = schedule.occurrences(from: start, to: end)
            var walked: [Occurrence] = []
            var cursor = start.addingTimeInterval(-1)
            while let next = schedule.nextOccurrence(after: cursor), next.plannedAt < end {
                walked.append(next)
                cursor = next.plannedAt
            }
            #expect(walked == expanded, "\(recurrence) in \(timeZone)")
            #expect(zip(expanded, expanded.dropFirst()).allSatisfy { $0.plannedAt < $1.plannedAt })
        }
    }
}
