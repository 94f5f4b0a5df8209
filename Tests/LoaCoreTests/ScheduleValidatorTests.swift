import Foundation
import LoaCore
import Testing

@Suite("Schedule validation")
struct ScheduleValidatorTests {
    /// 2026-11-20 10:00 in Vietnam.
    static let now = Fixture.utc("2026-11-20 03:00")
    static let slots = Fixture.times("05:00", "17:00")

    static func with(_ change: (inout Schedule) -> Void) -> Schedule {
        var schedule = Fixture.schedule(.daily(times: slots))
        change(&schedule)
        return schedule
    }

    @Test(arguments: [
        Fixture.schedule(.daily(times: slots)),
        Fixture.schedule(.once(Fixture.at("2026-11-20 10:00"))),  // now is not the past
        Fixture.schedule(.weekly(days: [.monday], times: slots), validFrom: "2026-12-07", validUntil: "2026-12-07"),
        Fixture.schedule(.everyNWeeks(interval: 1, anchor: Fixture.day("2020-01-01"), days: [.friday], times: slots)),
        Fixture.schedule(
            .monthly(day: 31, times: slots, shortMonths: .skip),
            timeZone: "Europe/Berlin",
            priority: .emergency
        ),
        Fixture.schedule(
            .daily(times: slots),
            title: String(repeating: "ả", count: 200),
            content: .audio(assetID: "abc")
        ),
        with {
            $0.volume = 0
            $0.repeatCount = 10
            $0.repeatGapSeconds = 0
            $0.latenessLimitSeconds = 0
        },
        with {
            $0.volume = 100
            $0.repeatCount = 1
        },
    ])
    func acceptsValidSchedules(schedule: Schedule) {
        #expect(throws: Never.self) { try ScheduleValidator.validate(schedule, now: Self.now) }
    }

    @Test(arguments: [
        (
            Fixture.schedule(.once(Fixture.at("2026-11-20 09:59"))), "--at",
            "is in the past (it is now 2026-11-20 10:00 in Asia/Ho_Chi_Minh)"
        ),
        (
            Fixture.schedule(.once(Fixture.at("2026-12-24 19:30")), validUntil: "2026-12-01"), "--at",
            "is after --until 2026-12-01"
        ),
        (
            Fixture.schedule(.once(Fixture.at("2026-12-24 19:30")), validFrom: "2027-01-01"), "--at",
            "is before --from 2027-01-01"
        ),
        (
            Fixture.schedule(.daily(times: slots), validFrom: "2026-12-10", validUntil: "2026-12-01"), "--from",
            "--from '2026-12-10' is after --until 2026-12-01; the campaign would never air"
        ),
        (
            Fixture.schedule(.daily(times: slots), content: .tts(text: " \n\t", voice: "vi")), "--text",
            "is empty; give the words"
        ),
        (Fixture.schedule(.daily(times: [])), "--times", "give at least one time of day"),
        (Fixture.schedule(.weekly(days: [.monday], times: [])), "--times", "give at least one time of day"),
        (Fixture.schedule(.weekly(days: [], times: slots)), "--days", "give at least one weekday"),
        (
            Fixture.schedule(.everyNWeeks(interval: 2, anchor: Fixture.day("2026-06-10"), days: [], times: slots)),
            "--days", "at least one weekday"
        ),
        (
            Fixture.schedule(
                .everyNWeeks(interval: 0, anchor: Fixture.day("2026-06-10"), days: [.monday], times: slots)
            ), "--every",
            "use 1 for every week"
        ),
        (
            Fixture.schedule(
                .everyNWeeks(interval: -3, anchor: Fixture.day("2026-06-10"), days: [.monday], times: slots)
            ),
            "--every", "not a number of weeks"
        ),
        (Fixture.schedule(.monthly(day: 0, times: slots)), "--day", "use 1 to 31"),
        (Fixture.schedule(.monthly(day: 32, times: slots)), "--day", "use 1 to 31"),
        (Fixture.schedule(.monthly(day: 15, times: [])), "--times", "at least one time"),
        (with { $0.volume = 101 }, "--volume", "use 0 to 100"),
        (with { $0.volume = -1 }, "--volume", "use 0 to 100"),
        (with { $0.repeatCount = 0 }, "--repeat", "1 to 10 times"),
        (with { $0.repeatCount = 11 }, "--repeat", "1 to 10 times"),
        (with { $0.repeatGapSeconds = -5 }, "--repeat-gap", "is negative"),
        (with { $0.latenessLimitSeconds = -1 }, "--lateness", "is negative"),
        (with { $0.timeZone = "Asia/Hanoi" }, "--time-zone", "is not a known time zone; use an IANA name"),
        (
            with { $0.announcement.title = String(repeating: "x", count: 201) }, "--title",
            "is 201 characters long; keep titles to 200"
        ),
    ])
    func rejectsNamingTheProblemAndTheFix(schedule: Schedule, key: String, message: String) {
        let error = #expect(throws: ConfigurationError.self) { try ScheduleValidator.validate(schedule, now: Self.now) }
        #expect(error?.key == key)
        #expect(error?.description.contains(message) == true, "\(error.map(String.init(describing:)) ?? "no error")")
        #expect(error?.origin == .commandLine)
    }

    @Test func aOneOffInThePastIsJudgedInTheSitesZone() {
        // 2026-11-20 04:30 in Berlin is 03:30Z, after now (03:00Z); the same wall time in Vietnam is long past.
        let berlin = Fixture.schedule(.once(Fixture.at("2026-11-20 04:30")), timeZone: "Europe/Berlin")
        #expect(throws: Never.self) { try ScheduleValidator.validate(berlin, now: Self.now) }
        let vietnam = Fixture.schedule(.once(Fixture.at("2026-11-20 04:30")))
        #expect(throws: ConfigurationError.self) { try ScheduleValidator.validate(vietnam, now: Self.now) }
    }
}
