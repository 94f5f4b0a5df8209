import Foundation
import LoaCore
import Testing

@Suite("Schedule index")
struct ScheduleIndexTests {
    /// Hamlets: r-1 and r-2 in thon-dong, r-3 in thon-tay.
    static func zoneOfReceiver(_ receiver: String) -> String? {
        ["r-1": "thon-dong", "r-2": "thon-dong", "r-3": "thon-tay"][receiver]
    }

    static let morning = Fixture.times("05:00")

    static let commune = ScheduleIndex([
        Fixture.schedule(id: "sch-all", .daily(times: Fixture.times("05:00", "17:00")), targets: .all),
        Fixture.schedule(id: "sch-dong", .daily(times: Fixture.times("05:30")), targets: .zones(["thon-dong"])),
        Fixture.schedule(id: "sch-tay", .daily(times: Fixture.times("06:00")), targets: .zones(["thon-tay"])),
        Fixture.schedule(id: "sch-r3", .daily(times: Fixture.times("06:30")), targets: .receivers(["r-3"])),
        Fixture.schedule(id: "sch-draft", .daily(times: Fixture.times("04:00")), targets: .all, approval: .draft),
        Fixture.schedule(id: "sch-urgent", .once(Fixture.at("2026-06-01 05:00")), priority: .priority),
    ])

    /// 2026-06-01 00:00 local.
    static let midnight = Fixture.utc("2026-05-31 17:00")

    @Test func nextMergesSchedulesInOrderWithPriorityThenIDAtTheSameInstant() {
        let next = Self.commune.next(count: 7, after: Self.midnight)
        #expect(
            next.map(\.scheduleID) == ["sch-urgent", "sch-all", "sch-dong", "sch-tay", "sch-r3", "sch-all", "sch-all"]
        )
        #expect(
            Fixture.locals(next) == [
                "2026-06-01 05:00", "2026-06-01 05:00", "2026-06-01 05:30", "2026-06-01 06:00", "2026-06-01 06:30",
                "2026-06-01 17:00", "2026-06-02 05:00",
            ]
        )
    }

    @Test func nextFiltersByZoneIncludingReceiversInTheZone() {
        let dong = Self.commune.next(
            count: 4,
            after: Self.midnight,
            zone: "thon-dong",
            zoneOfReceiver: Self.zoneOfReceiver
        )
        #expect(dong.map(\.scheduleID) == ["sch-urgent", "sch-all", "sch-dong", "sch-all"])
        let tay = Self.commune.next(
            count: 4,
            after: Self.midnight,
            zone: "thon-tay",
            zoneOfReceiver: Self.zoneOfReceiver
        )
        #expect(tay.map(\.scheduleID) == ["sch-urgent", "sch-all", "sch-tay", "sch-r3"])
        let nowhere = Self.commune.next(
            count: 3,
            after: Self.midnight,
            zone: "thon-bac",
            zoneOfReceiver: Self.zoneOfReceiver
        )
        #expect(nowhere.map(\.scheduleID) == ["sch-urgent", "sch-all", "sch-all"])
    }

    @Test func draftsAreExcludedUnlessAskedFor() {
        #expect(!Self.commune.next(count: 50, after: Self.midnight).contains { $0.scheduleID == "sch-draft" })
        let withDrafts = Self.commune.next(count: 2, after: Self.midnight, includeDrafts: true)
        #expect(withDrafts.map(\.scheduleID) == ["sch-draft", "sch-urgent"])
        let window = Self.commune.occurrences(from: Self.midnight, to: Self.midnight.addingTimeInterval(86_400))
        #expect(!window.contains { $0.scheduleID == "sch-draft" })
    }

    @Test func nextReturnsFewerWhenLittleIsLeft() {
        let index = ScheduleIndex([
            Fixture.schedule(id: "a", .once(Fixture.at("2026-06-01 05:00"))),
            Fixture.schedule(id: "b", .once(Fixture.at("2026-06-02 05:00"))),
            Fixture.schedule(id: "c", .daily(times: Self.morning), validUntil: "2026-05-01"),
        ])
        #expect(index.next(count: 10, after: Self.midnight).map(\.scheduleID) == ["a", "b"])
        #expect(index.next(count: 0, after: Self.midnight).isEmpty)
        #expect(ScheduleIndex().next(count: 5, after: Self.midnight).isEmpty)
    }

    @Test func occurrencesAcrossSchedulesAreTheSortedUnionOfEach() {
        let start = Self.midnight
        let end = start.addingTimeInterval(3 * 86_400)
        let merged = Self.commune.occurrences(from: start, to: end, includeDrafts: true)
        let union = Self.commune.schedules.flatMap { $0.occurrences(from: start, to: end) }.sorted()
        #expect(merged == union)
        #expect(merged.count == 3 * 2 + 3 + 3 + 3 + 3 + 1)
        let tay = Self.commune.occurrences(from: start, to: end, zone: "thon-tay", zoneOfReceiver: Self.zoneOfReceiver)
        #expect(Set(tay.map(\.scheduleID)) == ["sch-all", "sch-tay", "sch-r3", "sch-urgent"])
    }

    @Test func upsertReplacesByIDAndRemoveDeletes() {
        var index = Self.commune
        #expect(index.count == 6)
        index.upsert(Fixture.schedule(id: "sch-all", .daily(times: Fixture.times("04:30"))))
        index.upsert(Fixture.schedule(id: "sch-new", .daily(times: Fixture.times("04:45"))))
        #expect(index.count == 7)
        #expect(index["sch-all"]?.recurrence == .daily(times: Fixture.times("04:30")))
        #expect(index.next(count: 2, after: Self.midnight).map(\.scheduleID) == ["sch-all", "sch-new"])
        #expect(index.remove(id: "sch-new")?.id == "sch-new")
        #expect(index.remove(id: "sch-new") == nil)
        #expect(index["sch-new"] == nil)
        #expect(index.schedules.map(\.id) == index.schedules.map(\.id).sorted())
    }

    /// The heap merge must equal a brute-force expansion, across zones with DST and every recurrence shape.
    @Test func nextAgreesWithExpansionForManyVariedSchedules() {
        let zones = [Schedule.defaultTimeZone, "Europe/Berlin", "America/Los_Angeles"]
        let days: [[Weekday]] = [[.monday, .friday], [.sunday], [.tuesday, .wednesday, .saturday]]
        var schedules: [Schedule] = []
        for number in 0..<60 {
            let times = [
                LocalTime(hour: (number * 7) % 24, minute: (number * 13) % 60)!, LocalTime(hour: 2, minute: 30)!,
            ]
            let recurrence: Recurrence =
                switch number % 5 {
                case 0: .daily(times: times)
                case 1: .weekly(days: days[number % 3], times: times)
                case 2:
                    .everyNWeeks(
                        interval: 1 + number % 4,
                        anchor: Fixture.day("2026-02-18"),
                        days: days[number % 3],
                        times: times
                    )
                case 3: .monthly(day: 28 + number % 4, times: times)
                default: .once(LocalDateTime(date: Fixture.day("2026-03-29").adding(days: number % 9), time: times[0]))
                }
            schedules.append(
                Fixture.schedule(
                    id: "sch-\(number)",
                    recurrence,
                    timeZone: zones[number % 3],
                    priority: number % 7 == 0 ? .priority : .normal
                )
            )
        }
        let index = ScheduleIndex(schedules)
        for after in [
            Fixture.utc("2026-03-27 00:00"), Fixture.utc("2026-10-24 13:07"), Fixture.utc("2026-12-31 23:59"),
        ] {
            let brute = index.occurrences(from: after.addingTimeInterval(1), to: after.addingTimeInterval(70 * 86_400))
            #expect(index.next(count: 120, after: after) == Array(brute.prefix(120)))
        }
    }
}
