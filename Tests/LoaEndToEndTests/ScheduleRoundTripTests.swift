import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// Operators' commands through a running `loa serve`, checked only through the CLI's own output.
@Suite("Schedules through a running daemon")
struct ScheduleRoundTripTests {
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try APICoding.decoder().decode(T.self, from: Data(text.utf8))
    }

    /// The next `count` instants of 05:00 and 17:00 in Vietnam, computed with Foundation's calendar.
    static func expectedSlots(count: Int, after now: Date) -> [Date] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        var result: [Date] = []
        var day = calendar.startOfDay(for: now)
        while result.count < count {
            for hour in [5, 17] {
                let slot = calendar.date(bySettingHour: hour, minute: 0, second: 0, of: day)!
                if slot > now && result.count < count { result.append(slot) }
            }
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
        return result
    }

    @Test func dailySlotsListExactlyTheExpectedInstantsAndSurviveSIGKILL() async throws {
        let daemon = try await DaemonUnderTest()
        let title = "Thông báo tiêm chủng đợt 2 — Trạm Y tế xã"
        let text =
            "Kính thưa bà con, UBND xã thông báo: ngày 24/12/2026 lúc 17h30 tiêm vắc-xin tại nhà văn hóa thôn Đông."
        let added = try await daemon.loa(
            ["schedule", "add", "--text", text, "--title", title, "--daily", "05:00,17:00", "--all", "--json"])
        #expect(added.status == 0, "\(added.stderr)")
        let schedule = try Self.decode(Schedule.self, added.stdout)
        #expect(schedule.approval == .draft)
        #expect(schedule.announcement.title == title)
        #expect(schedule.announcement.content == .tts(text: text, voice: "vi"))

        // Drafts do not air, so nothing is upcoming until approval.
        let before = try await daemon.loa(["schedule", "next", "--count", "6", "--json"])
        #expect(try Self.decode([Occurrence].self, before.stdout).isEmpty)
        #expect(try await daemon.loa(["schedule", "approve", schedule.id]).status == 0)

        let now = Date()
        let next = try await daemon.loa(["schedule", "next", "--count", "6", "--json"])
        #expect(next.status == 0, "\(next.stderr)")
        let occurrences = try Self.decode([Occurrence].self, next.stdout)
        var expected = Self.expectedSlots(count: 6, after: now)
        if let first = occurrences.first?.plannedAt, first > expected[0] {
            expected = Self.expectedSlots(count: 6, after: first.addingTimeInterval(-1))  // a slot passed meanwhile
        }
        #expect(occurrences.map(\.plannedAt) == expected)
        #expect(occurrences.allSatisfy { $0.scheduleID == schedule.id })

        let logBefore = try await daemon.loa(["log", "--json"])
        #expect(await daemon.stop(signal: SIGKILL) != nil)
        try await daemon.start()

        let listed = try Self.decode([Schedule].self, try await daemon.loa(["schedule", "list", "--json"]).stdout)
        #expect(listed.count == 1)
        #expect(listed.first?.id == schedule.id)
        #expect(listed.first?.approval == .approved)
        #expect(listed.first?.announcement.title == title)
        #expect(listed.first?.announcement.content == .tts(text: text, voice: "vi"))
        let logAfter = try await daemon.loa(["log", "--json"])
        #expect(
            try Self.decode([BroadcastLogEntry].self, logAfter.stdout).map(\.id)
                == Self.decode([BroadcastLogEntry].self, logBefore.stdout).map(\.id)
        )
        #expect(await daemon.stop() == 0)
    }

    struct BadInput: Sendable, CustomStringConvertible {
        let name: String
        let arguments: [String]
        let message: String
        var description: String { name }
    }

    static let badInputs: [BadInput] = [
        BadInput(
            name: "invalid time",
            arguments: ["--text", "A", "--daily", "25:00", "--all"],
            message: "'25:00' is not a time of day"
        ),
        BadInput(
            name: "unknown zone",
            arguments: ["--text", "A", "--daily", "05:00", "--zones", "thon-moi"],
            message: "zone 'thon-moi' is not in the inventory"
        ),
        BadInput(
            name: "unknown receiver",
            arguments: ["--text", "A", "--daily", "05:00", "--receivers", "rx-999"],
            message: "receiver 'rx-999' is not in the inventory"
        ),
        BadInput(
            name: "missing file",
            arguments: ["--audio", "/nonexistent/ban-tin.mp3", "--daily", "05:00", "--all"],
            message: "does not exist"
        ),
        BadInput(
            name: "one-off in the past",
            arguments: ["--text", "A", "--at", "2020-01-01 05:00", "--all"],
            message: "is in the past"
        ),
        BadInput(
            name: "from after until",
            arguments: ["--text", "A", "--daily", "05:00", "--from", "2030-12-10", "--until", "2030-12-01", "--all"],
            message: "is after --until"
        ),
        BadInput(
            name: "empty text",
            arguments: ["--text", "  ", "--daily", "05:00", "--all"],
            message: "--text is empty"
        ),
        BadInput(
            name: "unknown priority",
            arguments: ["--text", "A", "--daily", "05:00", "--all", "--priority", "khan-cap"],
            message: "'khan-cap' is not a priority"
        ),
    ]

    @Test func badInputGetsOneLineAndExit64AndNothingIsStored() async throws {
        let daemon = try await DaemonUnderTest()
        for bad in Self.badInputs {
            let result = try await daemon.loa(["schedule", "add"] + bad.arguments)
            #expect(result.status == 64, "\(bad.name): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(bad.name): \(result.stderr)")
            #expect(result.stderr.contains(bad.message), "\(bad.name): \(result.stderr)")
        }
        let notAudio = "\(daemon.directory)/ghi-am.wav"
        try "đây không phải âm thanh".write(toFile: notAudio, atomically: true, encoding: .utf8)
        let rejected = try await daemon.loa(["schedule", "add", "--audio", notAudio, "--daily", "05:00", "--all"])
        #expect(rejected.status == 64, "\(rejected.stderr)")
        #expect(rejected.stderr.contains("ghi-am.wav"), "\(rejected.stderr)")

        let listed = try await daemon.loa(["schedule", "list", "--json"])
        #expect(try Self.decode([Schedule].self, listed.stdout).isEmpty)
        #expect(await daemon.stop() == 0)
    }

    @Test func sameprioritySameZoneSameTimeIsRejectedNamingTheApprovedOne() async throws {
        let daemon = try await DaemonUnderTest()
        let first = try await daemon.loa(
            [
                "schedule", "add", "--text", "Bản tin sáng", "--weekly", "mon,tue,wed,thu,fri,sat@05:00", "--zones",
                "thon-dong", "--json",
            ])
        let schedule = try Self.decode(Schedule.self, first.stdout)
        // Drafts never block anyone: a second draft at the same minute on the same loudspeakers is kept.
        let second = try await daemon.loa(
            ["schedule", "add", "--text", "Nhạc", "--daily", "05:00", "--receivers", "rx-dong-01", "--json"])
        #expect(second.status == 0, "\(second.stderr)")
        let draft = try Self.decode(Schedule.self, second.stdout)
        #expect(try await daemon.loa(["schedule", "approve", schedule.id]).status == 0)
        // Once the first is approved, the clash counts: approving the second, or adding a third, is refused.
        let approval = try await daemon.loa(["schedule", "approve", draft.id])
        #expect(approval.status == 65)
        #expect(approval.stderr.contains("conflicts with schedule \(schedule.id) 'Bản tin sáng'"), "\(approval.stderr)")
        #expect(approval.stderr.contains("loa schedule item add \(schedule.id)"), "\(approval.stderr)")
        let clash = try await daemon.loa([
            "schedule", "add", "--text", "Nhạc", "--daily", "05:00", "--receivers", "rx-dong-01",
        ])
        #expect(clash.status == 65)
        #expect(clash.stderr.contains("conflicts with schedule \(schedule.id) 'Bản tin sáng'"), "\(clash.stderr)")
        let higher = try await daemon.loa(
            ["schedule", "add", "--text", "Khẩn", "--daily", "05:00", "--zones", "thon-dong", "--priority", "priority"])
        #expect(higher.status == 0, "\(higher.stderr)")
        #expect(await daemon.stop() == 0)
    }

    @Test func onlyApproversApprove() async throws {
        let daemon = try await DaemonUnderTest()
        let added = try await daemon.loa(
            [
                "schedule", "add", "--text", "Họp thôn", "--at", "2030-03-01 19:30", "--zones", "thon-tay,xom-bai",
                "--json",
            ],
            user: "can-bo-van-hoa"
        )
        #expect(added.status == 0, "\(added.stderr)")
        let schedule = try Self.decode(Schedule.self, added.stdout)
        let refused = try await daemon.loa(["schedule", "approve", schedule.id], user: "can-bo-van-hoa")
        #expect(refused.status == 77)
        #expect(refused.stderr.contains("may not approve"))
        let stranger = try await daemon.loa(["schedule", "approve", schedule.id], user: "nguoi-la")
        #expect(stranger.status == 77 && stranger.stderr.contains("there is no account 'nguoi-la'"), "\(stranger)")
        let viewer = try await daemon.loa(["schedule", "approve", schedule.id], user: "thanh-tra")
        #expect(viewer.status == 77)
        #expect(try await daemon.loa(["schedule", "approve", schedule.id]).status == 0)
        #expect(await daemon.stop() == 0)
    }
}
