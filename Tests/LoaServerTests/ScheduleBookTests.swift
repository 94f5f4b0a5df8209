import Foundation
import LoaCore
import LoaTestSupport
import Testing

@testable import LoaServer

/// The schedule book on a temporary SQLite file, with the scheduler on a manual clock and commands on an
/// in-memory bus: roles, validation and clashes, what is stored and handed to the scheduler, and errors that
/// name their real cause.
@Suite("The schedule book on a temporary database")
struct ScheduleBookTests {
    static let approver = Caller.chuTich
    static let operatorUser = Caller.canBoVanHoa

    static func draft(
        _ title: String = "Họp dân",
        at time: String = "05:00",
        zones: [String] = ["thon-dong"],
        priority: Priority = .normal
    ) throws -> ScheduleDraft {
        ScheduleDraft(
            announcement: Announcement(title: title, content: .tts(text: "Họp dân lúc 17 giờ", voice: "vi")),
            recurrence: .daily(times: [try LocalTime(parsing: time)]),
            targets: .zones(zones),
            priority: priority
        )
    }

    @Test func aDraftIsStoredButNotScheduledUntilApproved() async throws {
        let station = try await StationHarness()
        let book = station.book
        let schedule = try await book.addSchedule(try Self.draft(), by: Self.operatorUser)
        #expect(schedule.approval == .draft)
        #expect(schedule.createdBy == Self.operatorUser.name)
        #expect(try await book.schedule(id: schedule.id).announcement.title == "Họp dân")
        #expect(try await book.nextOccurrences(count: 5, zone: nil).isEmpty)

        let approved = try await book.approveSchedule(id: schedule.id, by: Self.approver)
        #expect(approved.approval == .approved)
        let next = try await book.nextOccurrences(count: 2, zone: "thon-dong")
        #expect(next.map(\.scheduleID) == [schedule.id, schedule.id])
        #expect(try await book.nextOccurrences(count: 2, zone: "thon-tay").isEmpty)
    }

    @Test func rolesDecideWhoMayApproveAirAndStop() async throws {
        let station = try await StationHarness()
        let book = station.book
        let schedule = try await book.addSchedule(try Self.draft(), by: Self.operatorUser)
        let cases: [(String, OperationError?)] = [
            (
                "approve",
                await operationError { try await book.approveSchedule(id: schedule.id, by: Self.operatorUser) }
            ),
            (
                "announce",
                await operationError {
                    try await book.announce(try! Self.draft(), by: Self.operatorUser, requestID: nil)
                }
            ),
            ("stop", await operationError { try await book.stop(broadcast: nil, by: Self.operatorUser) }),
            ("viewer", await operationError { try await book.addSchedule(try! Self.draft(), by: .thanhTra) }),
            ("technician", await operationError { try await book.approveSchedule(id: schedule.id, by: .kyThuat) }),
        ]
        for (action, error) in cases {
            #expect(error?.kind == .forbidden, "\(action): \(String(describing: error))")
        }
        #expect(try await book.schedule(id: schedule.id).approval == .draft)
    }

    @Test func anEmergencyFromAnApproverSkipsApprovalButNotFromAnOperator() async throws {
        let station = try await StationHarness()
        let fromApprover = try await station.book.addSchedule(
            try Self.draft("Bão", at: "06:00", priority: .emergency),
            by: Self.approver
        )
        let fromOperator = try await station.book.addSchedule(
            try Self.draft("Lũ", at: "07:00", priority: .emergency),
            by: Self.operatorUser
        )
        #expect(fromApprover.approval == .approved)
        #expect(fromOperator.approval == .draft)
    }

    @Test func badRequestsNameTheProblemAndStoreNothing() async throws {
        let station = try await StationHarness()
        let book = station.book
        var timeless = try Self.draft()
        timeless.recurrence = nil
        let unknownZone = await operationError {
            try await book.addSchedule(try! Self.draft(zones: ["thon-xa"]), by: Self.approver)
        }
        #expect(unknownZone?.kind == .invalid)
        #expect(unknownZone?.message.contains("thon-xa") == true, "\(String(describing: unknownZone))")
        #expect(await operationError { try await book.addSchedule(timeless, by: Self.approver) }?.kind == .invalid)
        #expect(await operationError { try await book.nextOccurrences(count: 0, zone: nil) }?.kind == .invalid)
        #expect(await operationError { try await book.schedule(id: "sch-none") }?.kind == .notFound)
        #expect(
            await operationError { try await book.removeSchedule(id: "sch-none", by: Self.approver) }?.kind == .notFound
        )
        #expect(try await book.schedules().isEmpty)
    }

    @Test func aSamePriorityClashIsRefusedWithTheOtherSchedule() async throws {
        let station = try await StationHarness()
        let book = station.book
        let first = try await book.addSchedule(try Self.draft("Tin sáng"), by: Self.approver)
        _ = try await book.approveSchedule(id: first.id, by: Self.approver)
        let clash = await operationError { try await book.addSchedule(try! Self.draft("Nhạc sáng"), by: Self.approver) }
        #expect(clash?.kind == .conflict)
        #expect(clash?.message.contains("Tin sáng") == true, "\(String(describing: clash))")
        #expect(try await book.schedules().map(\.id) == [first.id])
    }

    @Test func removingAScheduleTakesItOffTheAir() async throws {
        let station = try await StationHarness()
        let book = station.book
        let schedule = try await book.addSchedule(try Self.draft(), by: Self.approver)
        _ = try await book.approveSchedule(id: schedule.id, by: Self.approver)
        let receipt = try await book.removeSchedule(id: schedule.id, by: Self.approver)
        #expect(receipt.removed)
        #expect(try await book.schedules().isEmpty)
        #expect(try await book.nextOccurrences(count: 1, zone: nil).isEmpty)
    }

    @Test func anAnnouncementIsLoggedAndStopCutsIt() async throws {
        let station = try await StationHarness()
        let book = station.book
        let id = try await book.announce(try Self.draft("Loa khẩn"), by: Self.approver, requestID: nil)
        #expect(
            await eventually(timeout: .seconds(5)) { station.log.entries.first { $0.id == id }?.outcome == .playing }
        )
        #expect(try await book.stop(broadcast: id, by: Self.approver) == 1)
        let entry = try #require(station.log.entries.first { $0.id == id })
        #expect(entry.outcome == .interrupted)
        #expect(entry.detail == "stopped by \(Self.approver.name)")
        let again = await operationError { try await book.stop(broadcast: id, by: Self.approver) }
        #expect(again?.kind == .notFound)
    }

    @Test func aRetriedAnnouncementAirsOnce() async throws {
        let station = try await StationHarness()
        let book = station.book
        let draft = try Self.draft("Bão", priority: .emergency)
        async let first = book.announce(draft, by: Self.approver, requestID: "r-1")
        async let retry = book.announce(draft, by: Self.approver, requestID: "r-1")
        let (one, two) = try await (first, retry)
        #expect(one == two)
        let again = try await book.announce(draft, by: Self.approver, requestID: "r-1")
        #expect(again == one)
        let other = try await book.announce(draft, by: Self.approver, requestID: "r-2")
        #expect(other != one)
        await station.book.scheduler.logWritten()
        #expect(station.log.entries.count == 2, "\(station.log.entries.map(\.title))")
    }

    @Test func aBrokerFailureIsReportedAsTheBrokerNotTheStore() async throws {
        let station = try await StationHarness()
        station.bus.breakLink("connection refused")
        let failure = await operationError {
            try await station.book.setVolume(60, on: .zones(["thon-dong"]), by: Self.approver)
        }
        #expect(failure?.kind == .unavailable)
        #expect(
            failure?.message.contains("the broker did not take the command") == true,
            "\(String(describing: failure))"
        )
        #expect(failure?.message.contains("store") == false)
        station.bus.breakLink(nil)
        try await station.book.setVolume(60, on: .zones(["thon-dong"]), by: Self.approver)
        #expect(station.bus.published.count == 1)
    }

    @Test func aReloadThatDropsAZoneKeepsSchedulesButRefusesNewOnesThere() async throws {
        let station = try await StationHarness()
        let book = station.book
        var configs = try DeviceConfigs.load(from: station.directory)
        configs.inventory.zones.removeAll { $0.id == "thon-tay" }
        configs.inventory.receivers.removeAll { $0.zone == "thon-tay" }
        try await book.apply(configs)
        #expect(await book.inventory().zone("thon-tay") == nil)
        let refused = await operationError {
            try await book.addSchedule(try! Self.draft(zones: ["thon-tay"]), by: Self.approver)
        }
        #expect(refused?.kind == .invalid)
    }
}
