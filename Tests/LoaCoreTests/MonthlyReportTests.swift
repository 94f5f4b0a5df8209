import Foundation
import LoaCore
import Testing

/// The month's report (issue 16): which broadcasts belong to the month in the site's zone, what counts as
/// aired, airtime by priority and by hamlet, outcomes, emergencies; and the receivers' availability summary.
@Suite("The monthly report")
struct MonthlyReportTests {
    static let hoChiMinh = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
    static let inventory = SiteInventory(
        zones: [
            Zone(id: "thon-dong", name: "Thôn Đông"), Zone(id: "thon-tay", name: "Thôn Tây"),
            Zone(id: "xom-bai", name: "Xóm Bãi"),
        ],
        receivers: [
            Receiver(id: "rx-dong-01", name: "Đầu thôn Đông", zone: "thon-dong"),
            Receiver(id: "rx-dong-02", name: "Nhà văn hóa thôn Đông", zone: "thon-dong"),
            Receiver(id: "rx-tay-01", name: "Chợ thôn Tây", zone: "thon-tay"),
        ]
    )

    static func instant(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    static func entry(
        _ id: Int64,
        _ planned: String,
        seconds: Double?,
        priority: Priority = .normal,
        targets: Targets = .all,
        outcome: BroadcastOutcome = .completed,
        scheduleID: String? = nil
    ) -> BroadcastLogEntry {
        let plannedAt = instant(planned)
        let started = seconds == nil ? nil : plannedAt.addingTimeInterval(2)
        return BroadcastLogEntry(
            id: id,
            scheduleID: scheduleID,
            title: "Bản tin \(id)",
            priority: priority,
            targets: targets,
            plannedAt: plannedAt,
            plannedLocal: planned,
            startedAt: started,
            endedAt: seconds.flatMap { seconds in started?.addingTimeInterval(seconds) },
            outcome: outcome
        )
    }

    /// December 2026 in Hồ Chí Minh City (UTC+7): 30/11 17:00Z to 31/12 17:00Z.
    static let december = [
        // 30/11 16:59Z is 23:59 on 30/11 local: November's.
        entry(1, "2026-11-30T16:59:00Z", seconds: 100),
        // 30/11 17:00Z is 00:00 on 1/12 local: December's first.
        entry(2, "2026-11-30T17:00:00Z", seconds: 600, targets: .zones(["thon-dong"])),
        entry(
            3,
            "2026-12-05T22:00:00Z",
            seconds: 1800.4,
            priority: .priority,
            targets: .zones(["thon-tay", "thon-dong"])
        ),
        // Two receivers of one hamlet: counted once for it.
        entry(
            4,
            "2026-12-06T10:00:00Z",
            seconds: 90.5,
            priority: .live,
            targets: .receivers(["rx-dong-01", "rx-dong-02"])
        ),
        entry(5, "2026-12-10T03:00:00Z", seconds: 45, priority: .emergency, outcome: .partial, scheduleID: "s-lu"),
        entry(6, "2026-12-10T02:00:00Z", seconds: 1200, targets: .zones(["xom-bai"]), outcome: .interrupted),
        entry(7, "2026-12-12T22:00:00Z", seconds: nil, outcome: .missed),
        entry(8, "2026-12-13T22:00:00Z", seconds: 3, targets: .zones(["thon-tay"]), outcome: .failed),
        entry(
            9,
            "2026-12-14T22:00:00Z",
            seconds: nil,
            priority: .emergency,
            targets: .zones(["thon-tay"]),
            outcome: .dropped
        ),
        entry(10, "2026-12-31T16:00:00Z", seconds: nil, outcome: .playing),
        // 31/12 17:00Z is 00:00 on 1/1 local: January's.
        entry(11, "2026-12-31T17:00:00Z", seconds: 60),
    ]

    static func report(_ entries: [BroadcastLogEntry] = december) throws -> MonthlyReport {
        MonthlyReport(
            month: try ReportMonth(parsing: "2026-12"),
            timeZone: hoChiMinh,
            entries: entries,
            inventory: inventory
        )
    }

    @Test func aMonthIsTheSitesLocalMonthByPlannedInstant() throws {
        let report = try Self.report()
        #expect(report.lines.map(\.entry.id) == [2, 3, 4, 6, 5, 7, 8, 9, 10])
        #expect(report.interval.start == Self.instant("2026-11-30T17:00:00Z"))
        #expect(report.interval.end == Self.instant("2026-12-31T17:00:00Z"))
    }

    @Test func airtimeCountsCompletedPartialAndInterruptedInWholeSeconds() throws {
        let report = try Self.report()
        // 600 + 1800 (1800.4 rounds down) + 91 (90.5 rounds up) + 45 + 1200; the failed one's 3 s do not count.
        #expect(report.total == MonthlyReport.Tally(broadcasts: 9, aired: 5, airtimeSeconds: 3736))
        let byPriority = Dictionary(uniqueKeysWithValues: report.byPriority.map { ($0.priority, $0.tally) })
        #expect(report.byPriority.map(\.priority) == Priority.allCases)
        #expect(byPriority[.normal] == MonthlyReport.Tally(broadcasts: 5, aired: 2, airtimeSeconds: 1800))
        #expect(byPriority[.priority] == MonthlyReport.Tally(broadcasts: 1, aired: 1, airtimeSeconds: 1800))
        #expect(byPriority[.live] == MonthlyReport.Tally(broadcasts: 1, aired: 1, airtimeSeconds: 91))
        #expect(byPriority[.emergency] == MonthlyReport.Tally(broadcasts: 2, aired: 1, airtimeSeconds: 45))
    }

    @Test func theWholeCommuneCountsForEveryHamletAndReceiversForTheirHamlets() throws {
        let report = try Self.report()
        #expect(report.byZone.map(\.zone) == ["thon-dong", "thon-tay", "xom-bai"])
        let byZone = Dictionary(uniqueKeysWithValues: report.byZone.map { ($0.zone, $0.tally) })
        // Đông: 2 (600), 3 (1800), 4 (91), 5 (45, all), 7 (missed, all), 10 (open, all).
        #expect(byZone["thon-dong"] == MonthlyReport.Tally(broadcasts: 6, aired: 4, airtimeSeconds: 2536))
        // Tây: 3 (1800), 5 (45), 7, 8 (failed), 9 (dropped), 10.
        #expect(byZone["thon-tay"] == MonthlyReport.Tally(broadcasts: 6, aired: 2, airtimeSeconds: 1845))
        // Bãi: 5 (45), 6 (1200), 7, 10.
        #expect(byZone["xom-bai"] == MonthlyReport.Tally(broadcasts: 4, aired: 2, airtimeSeconds: 1245))
        #expect(report.lines.first { $0.entry.id == 3 }?.zones == ["thon-dong", "thon-tay"])
        #expect(report.lines.first { $0.entry.id == 4 }?.zones == ["thon-dong"])
    }

    @Test func outcomesSayHowManyFailedWereCutOrAreOpen() throws {
        let report = try Self.report()
        #expect(report.cut == 1)
        #expect(report.notAired == 3)
        #expect(report.open == 1)
        #expect(report.outcomes[.completed] == 3)
        #expect(report.outcomes[.waiting] == 0)
    }

    @Test func emergenciesAreListedWhateverTheirOutcome() throws {
        let emergencies = try Self.report().emergencies
        #expect(emergencies.map(\.entry.id) == [5, 9])
        #expect(emergencies.map(\.aired) == [true, false])
        #expect(emergencies.map(\.airtimeSeconds) == [45, 0])
        #expect(emergencies[0].entry.scheduleID == "s-lu")
        #expect(emergencies[1].zones == ["thon-tay"])
    }

    @Test func anEmptyMonthListsEveryHamletAndPriorityWithZeros() throws {
        let report = try Self.report([])
        #expect(report.total == MonthlyReport.Tally())
        #expect(report.byZone.count == 3)
        #expect(report.byPriority.allSatisfy { $0.tally == MonthlyReport.Tally() })
        #expect(report.emergencies.isEmpty)
    }

    @Test func aHamletNoLongerInTheInventoryStillCounts() throws {
        let report = try Self.report([Self.entry(1, "2026-12-02T01:00:00Z", seconds: 10, targets: .zones(["thon-cu"]))])
        #expect(report.byZone.map(\.zone) == ["thon-dong", "thon-tay", "xom-bai", "thon-cu"])
        #expect(report.byZone.last?.tally == MonthlyReport.Tally(broadcasts: 1, aired: 1, airtimeSeconds: 10))
    }

    @Test func wholeSecondsRoundHalfUpFromMilliseconds() {
        let start = Self.instant("2026-12-01T00:00:00Z")
        #expect(MonthlyReport.wholeSeconds(from: start, to: start.addingTimeInterval(2.499)) == 2)
        #expect(MonthlyReport.wholeSeconds(from: start, to: start.addingTimeInterval(2.5)) == 3)
        #expect(MonthlyReport.wholeSeconds(from: start, to: start.addingTimeInterval(-4)) == 0)
    }

    @Test func monthsParseStepAndSpanTheSitesZone() throws {
        let month = try ReportMonth(parsing: "2026-01")
        #expect(month.description == "2026-01")
        #expect(month.previous.description == "2025-12")
        #expect(month.next.description == "2026-02")
        #expect(try ReportMonth(parsing: "2026-12").next.description == "2027-01")
        #expect(month < month.next)
        for bad in ["2026-13", "2026-00", "26-01", "2026-1", "2026/01", "", "abcd-ef", "２０２６-01"] {
            #expect(throws: OperationError.self, "\(bad)") { try ReportMonth(parsing: bad) }
        }
        let newYearsEve = Self.instant("2026-12-31T17:30:00Z")
        #expect(ReportMonth(containing: newYearsEve, in: Self.hoChiMinh).description == "2027-01")
        #expect(ReportMonth(containing: newYearsEve, in: .gmt).description == "2026-12")
        let february = try ReportMonth(parsing: "2028-02").interval(in: .gmt)
        #expect(february.duration == 29 * 86_400)
    }

    @Test func availabilityIsEachReceiversShareAndEachHamletsMeanOfTheObserved() {
        let summary = AvailabilitySummary(
            receivers: [
                .init(id: "rx-dong-01", name: "Đầu thôn Đông", zone: "thon-dong", state: .online, share: 1),
                .init(id: "rx-dong-02", name: "Nhà văn hóa", zone: "thon-dong", state: .offline, share: 0.9),
                .init(id: "rx-tay-01", name: "Chợ thôn Tây", zone: "thon-tay", state: .unknown, share: nil),
            ],
            inventory: Self.inventory
        )
        #expect(summary.zones.map(\.zone) == ["thon-dong", "thon-tay", "xom-bai"])
        #expect(summary.zones[0].receivers == 2)
        #expect(summary.zones[0].observed == 2)
        #expect(abs((summary.zones[0].share ?? 0) - 0.95) < 1e-9)
        #expect(summary.zones[1].receivers == 1)
        #expect(summary.zones[1].share == nil)
        #expect(summary.zones[2].receivers == 0)
        #expect(AvailabilitySummary.percent(0.95) == "95.0")
        #expect(AvailabilitySummary.percent(0.99949) == "99.9")
        #expect(AvailabilitySummary.percent(1) == "100.0")
        #expect(AvailabilitySummary.percent(0) == "0.0")
    }
}
