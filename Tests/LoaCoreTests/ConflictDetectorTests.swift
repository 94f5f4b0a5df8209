import Foundation
import LoaCore
import Testing

@Suite("Conflict detection")
struct ConflictDetectorTests {
    /// 2026-11-20 10:00 in Vietnam.
    static let now = Fixture.utc("2026-11-20 03:00")

    /// r-1 and r-2 in thon-dong, r-3 in thon-tay.
    static func zoneOfReceiver(_ receiver: String) -> String? {
        ["r-1": "thon-dong", "r-2": "thon-dong", "r-3": "thon-tay"][receiver]
    }

    static func conflict(_ candidate: Schedule, _ existing: [Schedule]) -> (existing: Schedule, at: Occurrence)? {
        ConflictDetector.conflict(for: candidate, among: existing, now: now, zoneOfReceiver: zoneOfReceiver)
    }

    static let candidate = Fixture.schedule(
        id: "sch-new",
        .once(Fixture.at("2026-12-01 05:00")),
        title: "Tiêm chủng",
        targets: .zones(["thon-dong"])
    )

    @Test func samePrioritySameZoneSameMinuteConflictsNamingTheFirst() throws {
        let existing = [
            Fixture.schedule(id: "sch-a", .daily(times: Fixture.times("17:00")), targets: .all),
            Fixture.schedule(
                id: "sch-b",
                .weekly(days: [.tuesday], times: Fixture.times("05:00")),
                title: "Tin sáng",
                targets: .zones(["thon-dong"])
            ),
            Fixture.schedule(id: "sch-c", .daily(times: Fixture.times("05:00")), targets: .zones(["thon-dong"])),
        ]
        let found = try #require(Self.conflict(Self.candidate, existing))
        #expect(found.existing.id == "sch-b")
        #expect(found.at.plannedAt == Fixture.utc("2026-11-30 22:00"))
        #expect(found.at.local.description == "2026-12-01 05:00")
        #expect(
            ConflictDetector.describe(found, candidate: Self.candidate, zoneOfReceiver: Self.zoneOfReceiver)
                == "conflicts with schedule sch-b 'Tin sáng' at 2026-12-01 05:00 (same priority normal, zone thon-dong)"
        )
    }

    @Test func theEarliestClashWinsOverListOrder() throws {
        let daily = Fixture.schedule(
            id: "sch-daily",
            .daily(times: Fixture.times("05:00", "17:00")),
            targets: .zones(["thon-dong"])
        )
        let candidate = Fixture.schedule(
            id: "sch-new",
            .weekly(days: [.friday], times: Fixture.times("17:00")),
            targets: .all
        )
        let laterClash = Fixture.schedule(id: "sch-later", .once(Fixture.at("2026-12-04 17:00")), targets: .all)
        let found = try #require(Self.conflict(candidate, [laterClash, daily]))
        #expect(found.existing.id == "sch-daily")
        #expect(found.at.local.description == "2026-11-20 17:00")  // Friday today, still ahead of now
    }

    @Test func differentPriorityDoesNotConflict() {
        let existing = [
            Fixture.schedule(id: "sch-p", .daily(times: Fixture.times("05:00")), targets: .all, priority: .priority)
        ]
        #expect(Self.conflict(Self.candidate, existing) == nil)
    }

    @Test func disjointZonesDoNotConflict() {
        let existing = [
            Fixture.schedule(id: "sch-tay", .daily(times: Fixture.times("05:00")), targets: .zones(["thon-tay"])),
            Fixture.schedule(id: "sch-r3", .daily(times: Fixture.times("05:00")), targets: .receivers(["r-3"])),
        ]
        #expect(Self.conflict(Self.candidate, existing) == nil)
    }

    @Test func differentMinutesDoNotConflict() {
        let existing = [Fixture.schedule(id: "sch-x", .daily(times: Fixture.times("05:01", "04:59")), targets: .all)]
        #expect(Self.conflict(Self.candidate, existing) == nil)
    }

    @Test func receiversInTheCandidatesZoneConflict() throws {
        let existing = [
            Fixture.schedule(id: "sch-r3", .daily(times: Fixture.times("05:00")), targets: .receivers(["r-3"])),
            Fixture.schedule(
                id: "sch-r2",
                .daily(times: Fixture.times("05:00")),
                title: "Loa r-2",
                targets: .receivers(["r-2"])
            ),
        ]
        let found = try #require(Self.conflict(Self.candidate, existing))
        #expect(found.existing.id == "sch-r2")
        #expect(
            ConflictDetector.describe(found, candidate: Self.candidate, zoneOfReceiver: Self.zoneOfReceiver)
                == "conflicts with schedule sch-r2 'Loa r-2' at 2026-12-01 05:00 (same priority normal, receiver r-2 in zone thon-dong)"
        )
    }

    @Test func receiversConflictOnlyThroughASharedReceiver() {
        let mine = Fixture.schedule(id: "sch-new", .once(Fixture.at("2026-12-01 05:00")), targets: .receivers(["r-1"]))
        let sameHamlet = Fixture.schedule(
            id: "sch-r2",
            .daily(times: Fixture.times("05:00")),
            targets: .receivers(["r-2"])
        )
        let same = Fixture.schedule(
            id: "sch-r1",
            .daily(times: Fixture.times("05:00")),
            targets: .receivers(["r-2", "r-1"])
        )
        #expect(Self.conflict(mine, [sameHamlet]) == nil)
        #expect(Self.conflict(mine, [sameHamlet, same])?.existing.id == "sch-r1")
    }

    @Test func allTargetsOverlapEverything() {
        let existing = [Fixture.schedule(id: "sch-all", .daily(times: Fixture.times("05:00")), targets: .all)]
        #expect(Self.conflict(Self.candidate, existing)?.existing.id == "sch-all")
    }

    @Test func draftsConflictToo() {
        let existing = [
            Fixture.schedule(id: "sch-d", .daily(times: Fixture.times("05:00")), targets: .all, approval: .draft)
        ]
        #expect(Self.conflict(Self.candidate, existing)?.existing.id == "sch-d")
    }

    @Test func emergencyItemsNeverConflict() {
        var emergency = Self.candidate
        emergency.priority = .emergency
        let existing = [
            Fixture.schedule(id: "sch-e", .daily(times: Fixture.times("05:00")), targets: .all, priority: .emergency)
        ]
        #expect(Self.conflict(emergency, existing) == nil)
    }

    @Test func clashesBeyondTheHorizonOrInThePastAreIgnored() {
        let candidate = Fixture.schedule(id: "sch-new", .daily(times: Fixture.times("05:00")), targets: .all)
        let farAway = Fixture.schedule(id: "sch-far", .once(Fixture.at("2027-06-01 05:00")), targets: .all)
        let past = Fixture.schedule(id: "sch-past", .once(Fixture.at("2026-11-20 05:00")), targets: .all)
        #expect(
            ConflictDetector.conflict(for: candidate, among: [farAway, past], now: Self.now, horizonDays: 30) { _ in nil
            } == nil
        )
        #expect(
            ConflictDetector.conflict(for: candidate, among: [farAway], now: Self.now) { _ in nil }?.existing.id
                == "sch-far"
        )
    }

    @Test func aScheduleDoesNotConflictWithItsOldSelf() {
        let edited = Fixture.schedule(id: "sch-1", .daily(times: Fixture.times("05:00")), targets: .all)
        #expect(Self.conflict(edited, [edited]) == nil)
    }
}
