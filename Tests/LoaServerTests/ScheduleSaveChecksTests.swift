import Foundation
import Hummingbird
import HummingbirdTesting
import LoaCore
import LoaHTTP
import LoaTestSupport
import Testing

@testable import LoaServer

/// What used to be accepted and approved, then fail at every airing (issue 13): a voice the engine lacks, text
/// with nothing to say, dates that never come, a target a reload removed. Each is refused when it is saved,
/// or flagged where it is listed; and text the voice may misread comes back with warnings.
@Suite("Save-time checks of the schedule book")
struct ScheduleSaveChecksTests {
    static let approver = Caller.chuTich
    static let operatorUser = Caller.canBoVanHoa

    static func draft(
        text: String = "Họp dân lúc 17 giờ",
        voice: String = "vi",
        at time: String = "05:00",
        targets: Targets = .zones(["thon-dong"])
    ) throws -> ScheduleDraft {
        ScheduleDraft(
            announcement: Announcement(title: "Họp dân", content: .tts(text: text, voice: voice)),
            recurrence: .daily(times: [try LocalTime(parsing: time)]),
            targets: targets
        )
    }

    @Test func aVoiceTheEngineLacksIsRefusedForSchedulesAndAnnouncements() async throws {
        let station = try await StationHarness()
        let draft = try Self.draft(voice: "en-us")
        let added = await operationError { try await station.book.addSchedule(draft, by: Self.approver) }
        #expect(added?.kind == .invalid)
        #expect(
            added?.message == "--voice 'en-us' is not a voice of the speech engine; use one of vi, vi-vn-x-central, "
                + "vi-vn-x-south"
        )
        let announced = await operationError {
            try await station.book.announce(draft, by: Self.approver, requestID: nil)
        }
        #expect(announced?.kind == .invalid)
        #expect(announced?.message.contains("--voice 'en-us'") == true)
        #expect(try await station.book.schedules().isEmpty)
        #expect(station.log.entries.isEmpty)
    }

    @Test(arguments: ["…!!! ?", "📢📢", " - . , "])
    func textWithNothingToSayIsRefused(text: String) async throws {
        let station = try await StationHarness()
        let refused = await operationError {
            try await station.book.addSchedule(try! Self.draft(text: text), by: Self.approver)
        }
        #expect(refused?.kind == .invalid)
        #expect(refused?.message.contains("has nothing to read aloud") == true, "\(String(describing: refused))")
        #expect(try await station.book.schedules().isEmpty)
    }

    @Test func anUntilInThePastAndARangeWithoutAnAiringAreRefused() async throws {
        let station = try await StationHarness()  // 2025-11-29 10:00 in Vietnam
        var past = try Self.draft()
        past.validUntil = try LocalDate(parsing: "2025-11-01")
        let untilRefused = await operationError { try await station.book.addSchedule(past, by: Self.approver) }
        #expect(untilRefused?.kind == .invalid)
        #expect(
            untilRefused?.message.hasPrefix(
                "--until '2025-11-01' is in the past (today is 2025-11-29 in Asia/Ho_Chi_Minh)"
            ) == true,
            "\(String(describing: untilRefused))"
        )

        var mondaysOnly = try Self.draft()
        mondaysOnly.recurrence = .weekly(days: [.monday], times: [try LocalTime(parsing: "05:00")])
        mondaysOnly.validFrom = try LocalDate(parsing: "2025-12-02")  // a Tuesday
        mondaysOnly.validUntil = try LocalDate(parsing: "2025-12-05")  // a Friday
        let rangeRefused = await operationError { try await station.book.addSchedule(mondaysOnly, by: Self.approver) }
        #expect(rangeRefused?.kind == .invalid)
        #expect(
            rangeRefused?.message
                == "schedule 'weekly mon@05:00' never airs from --from 2025-12-02 to --until 2025-12-05; widen the "
                + "dates, or change the days or the --skip dates"
        )
        #expect(try await station.book.schedules().isEmpty)
    }

    @Test func textLongerThanTheLimitIsRefusedInMinutesOfSpeech() async throws {
        let station = try await StationHarness()
        let text = String(repeating: "Thưa bà con, ", count: 3_850)  // 50,050 characters
        let refused = await operationError {
            try await station.book.addSchedule(try! Self.draft(text: text), by: Self.approver)
        }
        #expect(refused?.kind == .invalid)
        #expect(
            refused?.message.contains(
                "is 50,050 characters as read aloud, about 56 minutes of speech; the longest allowed is 15 minutes "
                    + "(about 13,500 characters)"
            ) == true,
            "\(String(describing: refused))"
        )
        let longest = String(repeating: "Thưa bà con, ", count: 1_000)
        #expect(
            await operationError {
                try await station.book.addSchedule(try! Self.draft(text: longest), by: Self.approver)
            } == nil
        )
    }

    @Test func textTheVoiceMayMisreadIsSavedWithWarnings() async throws {
        let station = try await StationHarness()
        let added = try await station.book.addSchedule(
            try Self.draft(text: "Hop dan luc 17 gio tai nha van hoa 📢 会议"),
            by: Self.approver
        )
        let warnings = try #require(added.warnings)
        #expect(warnings.count == 3, "\(warnings)")
        #expect(warnings[0].hasPrefix("the text has no Vietnamese accents"))
        #expect(warnings[1].hasPrefix("the text has emoji (📢)"))
        #expect(warnings[2].hasPrefix("the text has Chinese letters (会 议)"))
        #expect(try await station.book.schedule(id: added.id).warnings == nil)  // not stored
        let clean = try await station.book.addSchedule(try Self.draft(at: "06:00"), by: Self.approver)
        #expect(clean.warnings == nil)
    }

    @Test func aTargetARemovalTookIsFlaggedListedAndCannotBeApproved() async throws {
        let station = try await StationHarness()
        let book = station.book
        let approved = try await book.addSchedule(
            try Self.draft(at: "05:00", targets: .receivers(["rx-dong-02"])),
            by: Self.approver
        )
        _ = try await book.approveSchedule(id: approved.id, by: Self.approver)
        let draft = try await book.addSchedule(
            try Self.draft(at: "06:00", targets: .zones(["thon-tay"])),
            by: Self.approver
        )

        var configs = try DeviceConfigs.load(from: station.directory)
        configs.inventory.receivers.removeAll { $0.id == "rx-dong-02" || $0.zone == "thon-tay" }
        configs.inventory.zones.removeAll { $0.id == "thon-tay" }
        try await book.apply(configs)

        let listed = Dictionary(uniqueKeysWithValues: try await book.schedules().map { ($0.id, $0) })
        #expect(Set(listed.keys) == [approved.id, draft.id])  // kept, not deleted
        #expect(listed[approved.id]?.problems == ["receiver rx-dong-02 is no longer in the inventory"])
        #expect(listed[draft.id]?.problems == ["zone thon-tay is no longer in the inventory"])
        #expect(try await book.schedule(id: draft.id).problems == ["zone thon-tay is no longer in the inventory"])
        let next = try await book.nextOccurrences(count: 1, zone: nil)
        #expect(next.first?.scheduleID == approved.id)
        #expect(next.first?.problems == ["receiver rx-dong-02 is no longer in the inventory"])

        let refused = await operationError { try await book.approveSchedule(id: draft.id, by: Self.approver) }
        #expect(refused?.kind == .invalid)
        #expect(
            refused?.message.hasPrefix(
                "schedule \(draft.id) cannot be approved: zone thon-tay is no longer in the inventory; give it the "
                    + "zones or receivers there are now (loa schedule edit \(draft.id) --zones …)"
            ) == true,
            "\(String(describing: refused))"
        )
        #expect(try await book.schedule(id: draft.id).approval == .draft)
    }

    @Test func aDraftWhoseLastAiringHasPassedCannotBeApproved() async throws {
        let station = try await StationHarness()  // 2025-11-29 10:00 in Vietnam
        var draft = try Self.draft()
        draft.recurrence = .once(try LocalDateTime(parsing: "2025-11-29 11:00"))
        let added = try await station.book.addSchedule(draft, by: Self.operatorUser)
        station.clock.advance(by: 2 * 3600)
        let refused = await operationError { try await station.book.approveSchedule(id: added.id, by: Self.approver) }
        #expect(refused?.kind == .invalid)
        #expect(
            refused?.message
                == "schedule \(added.id) cannot be approved: it has no airing left (once 2025-11-29 11:00); give it "
                + "later dates (loa schedule edit \(added.id)) or remove it"
        )
    }

    @Test func theAPICarriesWarningsProblemsAndRefusals() async throws {
        let station = try await StationHarness()
        let application = try station.application()
        let user = try await station.credentials(Self.approver.name)
        try await application.test(.router) { client in
            let bad = try await client.execute(
                uri: "/api/v1/schedules",
                method: .post,
                headers: user,
                body: ByteBuffer(data: try APICoding.encoder().encode(try Self.draft(text: "?!")))
            )
            #expect(bad.status == .badRequest)
            let body = try JSONDecoder().decode(APIErrorBody.self, from: Data(buffer: bad.body))
            #expect(body.error.contains("has nothing to read aloud"), "\(body.error)")

            let created = try await client.execute(
                uri: "/api/v1/schedules",
                method: .post,
                headers: user,
                body: ByteBuffer(
                    data: try APICoding.encoder().encode(try Self.draft(targets: .receivers(["rx-dong-02"])))
                )
            )
            #expect(created.status == .created)
            #expect(String(buffer: created.body).contains("\"warnings\"") == false)

            let announced = try await client.execute(
                uri: "/api/v1/announce",
                method: .post,
                headers: user,
                body: ByteBuffer(data: try APICoding.encoder().encode(try Self.draft(text: "Hop dan ngay")))
            )
            #expect(announced.status == .accepted)
            let receipt = try APICoding.decoder().decode(AnnounceReceipt.self, from: Data(buffer: announced.body))
            #expect(receipt.warnings?.first?.hasPrefix("the text has no Vietnamese accents") == true)

            var configs = try DeviceConfigs.load(from: station.directory)
            configs.inventory.receivers.removeAll { $0.id == "rx-dong-02" }
            try await station.book.apply(configs)
            let listed = try await client.execute(uri: "/api/v1/schedules", method: .get, headers: user)
            let schedules = try APICoding.decoder().decode([Schedule].self, from: Data(buffer: listed.body))
            #expect(schedules.first?.problems == ["receiver rx-dong-02 is no longer in the inventory"])
        }
    }
}
