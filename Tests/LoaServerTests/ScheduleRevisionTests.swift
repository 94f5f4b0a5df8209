import Foundation
import LoaCore
import LoaTestSupport
import Testing

@testable import LoaServer

/// Editing with an approval trail (issue 18), on a temporary SQLite file with the scheduler on a manual clock:
/// an approved programme keeps airing while its change waits; an operator's delete waits for an approver;
/// drafts never block anyone; approvers hear what waits.
@Suite("Revisions and approvals of the schedule book")
struct ScheduleRevisionTests {
    static let approver = Caller.chuTich
    static let operatorUser = Caller.canBoVanHoa

    static func draft(_ title: String = "Bản tin sáng", at time: String = "05:00") throws -> ScheduleDraft {
        ScheduleDraft(
            announcement: Announcement(title: title, content: .tts(text: "Kính thưa bà con", voice: "vi")),
            recurrence: .daily(times: [try LocalTime(parsing: time)]),
            targets: .zones(["thon-dong"])
        )
    }

    static func approved(_ station: StationHarness, _ title: String = "Bản tin sáng") async throws -> Schedule {
        let added = try await station.book.addSchedule(try draft(title), by: operatorUser)
        return try await station.book.approveSchedule(id: added.id, by: approver)
    }

    /// The local times of the next `count` airings the book lists.
    static func nextTimes(_ station: StationHarness, count: Int = 2) async throws -> [String] {
        try await station.book.nextOccurrences(count: count, zone: nil).map { $0.local.time.description }
    }

    @Test func anEditOfAnApprovedProgrammeWaitsWhileTheApprovedRevisionAirs() async throws {
        let station = try await StationHarness()
        let book = station.book
        let schedule = try await Self.approved(station)
        var change = try Self.draft()
        change.recurrence = .daily(times: [try LocalTime(parsing: "05:30")])
        change.skipDates = [try LocalDate(parsing: "2026-12-24")]

        let waiting = try await book.editSchedule(id: schedule.id, change, by: Self.operatorUser)
        #expect(waiting.pending?.kind == .edit)
        #expect(waiting.pending?.revision == 2)
        #expect(waiting.pending?.proposedBy == Self.operatorUser.name)
        #expect(waiting.pending?.changes.contains("time: daily 05:00 → daily 05:30") == true, "\(waiting)")
        #expect(waiting.pending?.changes.contains("skips: none → 2026-12-24") == true, "\(waiting)")

        // Revision 1 is what is stored, listed and aired.
        let stored = try await book.schedule(id: schedule.id)
        #expect(stored.recurrence == .daily(times: [try LocalTime(parsing: "05:00")]))
        #expect(stored.revision == 1)
        #expect(stored.pending?.revision == 2)
        #expect(try await Self.nextTimes(station) == ["05:00", "05:00"])
        #expect(try await book.pendingRevision(of: schedule.id).recurrence == change.recurrence)
        #expect(try await book.waitingSchedules().map(\.id) == [schedule.id])
        // An operator cannot approve it.
        let refused = await operationError { try await book.approveSchedule(id: schedule.id, by: Self.operatorUser) }
        #expect(refused?.kind == .forbidden)

        let approved = try await book.approveSchedule(id: schedule.id, by: Self.approver)
        #expect(approved.revision == 2)
        #expect(approved.pending == nil)
        #expect(approved.skipDates == change.skipDates)
        #expect(try await Self.nextTimes(station) == ["05:30", "05:30"])
        #expect(try await book.waitingSchedules().isEmpty)

        let audit = try station.database.recentAudit(limit: 10)
        let proposed = try #require(audit.first { $0.action == "schedule.edit.proposed" })
        #expect(proposed.actor == Self.operatorUser.name)
        #expect(proposed.detail?.contains("time: daily 05:00 → daily 05:30") == true)
        let approval = try #require(
            audit.first { $0.action == "schedule.approve" && $0.detail?.hasPrefix("revision 2") == true }
        )
        #expect(approval.actor == Self.approver.name)
    }

    @Test func aSecondEditReplacesTheWaitingOneAndCanBeWithdrawn() async throws {
        let station = try await StationHarness()
        let book = station.book
        let schedule = try await Self.approved(station)
        var change = try Self.draft()
        change.volume = 60
        _ = try await book.editSchedule(id: schedule.id, change, by: Self.operatorUser)
        change.volume = 70
        let second = try await book.editSchedule(id: schedule.id, change, by: Self.operatorUser)
        #expect(second.pending?.changes == ["volume: receivers' own → 70"])
        #expect(try await book.pendingRevision(of: schedule.id).volume == 70)

        let other = Caller(name: "can-bo-khac", role: .operator, origin: .socket(unixUser: "test"))
        let forbidden = await operationError { try await book.discardPending(of: schedule.id, by: other) }
        #expect(forbidden?.kind == .forbidden)
        let withdrawn = try await book.discardPending(of: schedule.id, by: Self.operatorUser)
        #expect(withdrawn.pending == nil)
        #expect(try await book.schedule(id: schedule.id).volume == nil)
        let nothing = await operationError {
            try await book.editSchedule(id: schedule.id, try Self.draft(), by: Self.operatorUser)
        }
        #expect(nothing?.kind == .invalid, "an edit that changes nothing is refused")
    }

    @Test func aDraftChangesInPlaceAndStaysADraft() async throws {
        let station = try await StationHarness()
        let book = station.book
        let draft = try await book.addSchedule(try Self.draft(), by: Self.operatorUser)
        var change = try Self.draft("Bản tin chiều")
        change.recurrence = .daily(times: [try LocalTime(parsing: "17:00")])
        let edited = try await book.editSchedule(id: draft.id, change, by: Self.operatorUser)
        #expect(edited.pending == nil)
        #expect(edited.approval == .draft)
        #expect(edited.revision == 1)
        #expect(try await book.schedule(id: draft.id).announcement.title == "Bản tin chiều")
        let audit = try #require(try station.database.recentAudit(limit: 5).first { $0.action == "schedule.edit" })
        #expect(audit.detail?.contains("title: Bản tin sáng → Bản tin chiều") == true, "\(audit)")
    }

    @Test func anOperatorsDeleteOfAnApprovedProgrammeWaitsForAnApprover() async throws {
        let station = try await StationHarness()
        let book = station.book
        let schedule = try await Self.approved(station)

        let receipt = try await book.removeSchedule(id: schedule.id, by: Self.operatorUser)
        #expect(!receipt.removed)
        #expect(receipt.pending?.kind == .delete)
        #expect(try await book.schedule(id: schedule.id).pending?.kind == .delete)
        #expect(try await Self.nextTimes(station) == ["05:00", "05:00"], "it airs until the delete is approved")

        let deleted = try await book.approveSchedule(id: schedule.id, by: Self.approver)
        #expect(deleted.id == schedule.id)
        #expect(await operationError { try await book.schedule(id: schedule.id) }?.kind == .notFound)
        #expect(try await book.nextOccurrences(count: 1, zone: nil).isEmpty)

        // A draft is the operator's to delete; an approver deletes an approved one at once.
        let draft = try await book.addSchedule(try Self.draft("Nháp"), by: Self.operatorUser)
        #expect(try await book.removeSchedule(id: draft.id, by: Self.operatorUser).removed)
        let other = try await Self.approved(station, "Bản tin trưa")
        #expect(try await book.removeSchedule(id: other.id, by: Self.approver).removed)
    }

    @Test func draftsNeverBlockAndAClashIsJudgedBetweenApprovedProgrammes() async throws {
        let station = try await StationHarness()
        let book = station.book
        let first = try await book.addSchedule(try Self.draft("Tin sáng"), by: Self.operatorUser)
        // A second draft at 05:00 on the same hamlet: accepted, the first is only a draft.
        let second = try await book.addSchedule(try Self.draft("Nhạc sáng"), by: Self.operatorUser)
        _ = try await book.approveSchedule(id: first.id, by: Self.approver)
        let clash = await operationError { try await book.approveSchedule(id: second.id, by: Self.approver) }
        #expect(clash?.kind == .conflict)
        #expect(clash?.message.contains("Tin sáng") == true, "\(String(describing: clash))")
        #expect(clash?.message.contains("loa schedule item add \(first.id)") == true, "\(String(describing: clash))")
        // Once the first is approved, a new clashing draft is refused at once, naming it.
        let third = await operationError {
            try await book.addSchedule(try Self.draft("Tin thêm"), by: Self.operatorUser)
        }
        #expect(third?.kind == .conflict)
    }

    @Test func approversHearWhatWaits() async throws {
        let station = try await StationHarness()
        let schedule = try await Self.approved(station)
        _ = try await station.book.removeSchedule(id: schedule.id, by: Self.operatorUser)
        let alerts = station.bus.published.filter { $0.topic == station.topics.alerts }
            .compactMap { SignedAlerts.open($0.payload, publicKeyText: station.publicKey) }
            .filter { $0.kind == .approvalWaiting }
        #expect(alerts.count == 2, "one for the new draft, one for the delete: \(alerts.map(\.summary))")
        #expect(alerts.last?.summary.contains("delete asked by \(Self.operatorUser.name)") == true)
        #expect(alerts.last?.severity == .warning)
    }

    @Test func aProgrammesItemsAreCheckedAndItsOneOffItemsMustFallOnADayItAirs() async throws {
        let station = try await StationHarness()
        var programme = try Self.draft()
        programme.announcement.followingItems = [
            ProgrammeItem(title: "Thời tiết", content: .tts(text: "", voice: "vi"))
        ]
        let empty = await operationError { try await station.book.addSchedule(programme, by: Self.operatorUser) }
        #expect(empty?.kind == .invalid)
        programme.announcement.followingItems = [
            ProgrammeItem(content: .relay(source: "http://vov.vn/1", seconds: nil))
        ]
        let relay = await operationError { try await station.book.addSchedule(programme, by: Self.operatorUser) }
        #expect(relay?.message.contains("cannot be part of a programme") == true, "\(String(describing: relay))")
        programme.announcement.followingItems = [
            ProgrammeItem(content: .audio(assetID: String(repeating: "a", count: 64)))
        ]
        let missing = await operationError { try await station.book.addSchedule(programme, by: Self.operatorUser) }
        #expect(missing?.message.contains("not in the library") == true, "\(String(describing: missing))")

        var once = try Self.draft()
        once.recurrence = .once(try LocalDateTime(parsing: "2026-12-24 05:00"))
        once.oneOffItems = [
            DatedProgrammeItem(
                date: try LocalDate(parsing: "2026-12-25"),
                item: ProgrammeItem(content: .tts(text: "Thêm", voice: "vi"))
            )
        ]
        let offDay = await operationError { try await station.book.addSchedule(once, by: Self.operatorUser) }
        #expect(offDay?.message.contains("2026-12-25") == true, "\(String(describing: offDay))")
        once.oneOffItems?[0].date = try LocalDate(parsing: "2026-12-24")
        let added = try await station.book.addSchedule(once, by: Self.operatorUser)
        #expect(added.oneOffItems.count == 1)
        #expect(try await station.book.schedule(id: added.id).oneOffItems == added.oneOffItems)
    }
}
