import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// Issue 13 through a running `loa serve` and the CLI: what cannot air is refused when saved (exit 64, one
/// line naming it), text the voice may misread is saved with warnings on stderr, and a schedule whose
/// receiver a reload removed is kept but flagged everywhere it is listed, and cannot be approved.
@Suite("Save-time checks through a running daemon")
struct SaveChecksEndToEndTests {
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try APICoding.decoder().decode(T.self, from: Data(text.utf8))
    }

    @Test func whatCannotAirIsRefusedAndMisreadTextIsWarnedOf() async throws {
        let daemon = try await DaemonUnderTest()
        let refusals: [(arguments: [String], message: String)] = [
            (
                ["--text", "Họp dân", "--voice", "en-us", "--daily", "05:00", "--all"],
                "loa: --voice 'en-us' is not a voice of the speech engine; use one of vi, vi-vn-x-central, vi-vn-x-south"
            ),
            (["--text", "?!… —", "--daily", "05:00", "--all"], "has nothing to read aloud"),
            (["--text", "Họp dân", "--daily", "05:00", "--until", "2020-01-01", "--all"], "is in the past"),
        ]
        for refusal in refusals {
            let result = try await daemon.loa(["schedule", "add"] + refusal.arguments)
            #expect(result.status == 64, "\(refusal.arguments): \(result.stderr)")
            #expect(result.stderr.contains(refusal.message), "\(result.stderr)")
        }
        let warned = try await daemon.loa(
            ["schedule", "add", "--text", "Hop dan luc 17 gio 📢", "--daily", "05:00", "--all", "--json"])
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stderr.contains("loa: warning: the text has no Vietnamese accents"), "\(warned.stderr)")
        #expect(warned.stderr.contains("loa: warning: the text has emoji (📢)"), "\(warned.stderr)")
        #expect(try Self.decode(Schedule.self, warned.stdout).warnings?.count == 2)
        let listed = try Self.decode([Schedule].self, try await daemon.loa(["schedule", "list", "--json"]).stdout)
        #expect(listed.count == 1)
        #expect(await daemon.stop() == 0)
    }

    @Test func aReceiverAReloadRemovedIsFlaggedWhereverItsScheduleIsListed() async throws {
        let configs = try DaemonUnderTest.copyOfSampleDeviceConfigs()
        let daemon = try await DaemonUnderTest(deviceConfigs: configs)
        let approved = try await daemon.loa(
            ["schedule", "add", "--text", "Họp tổ", "--daily", "19:00", "--receivers", "rx-dong-02", "--json"])
        #expect(approved.status == 0, "\(approved.stderr)")
        let kept = try Self.decode(Schedule.self, approved.stdout)
        #expect(try await daemon.loa(["schedule", "approve", kept.id]).status == 0)
        let drafted = try await daemon.loa(
            ["schedule", "add", "--text", "Họp tổ lần 2", "--daily", "20:00", "--receivers", "rx-dong-02", "--json"])
        let draft = try Self.decode(Schedule.self, drafted.stdout)

        // rx-dong-02 leaves receivers.yaml: its block runs from its `- id:` line to the next one.
        let receivers = "\(configs)/receivers.yaml"
        var lines = try String(contentsOfFile: receivers, encoding: .utf8).components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.contains("- id: rx-dong-02") })
        let end = lines[(start + 1)...].firstIndex { $0.contains("- id:") } ?? lines.endIndex
        lines.removeSubrange(start..<end)
        try lines.joined(separator: "\n").write(toFile: receivers, atomically: true, encoding: .utf8)
        daemon.process?.signal(SIGHUP)
        let logged = await eventually(timeout: .seconds(10), every: .milliseconds(100)) {
            daemon.process?.stderr.contains("schedule.target-missing") == true
        }
        #expect(logged, "the reload did not log the schedules: \(daemon.process?.stderr ?? "")")

        let problem = "receiver rx-dong-02 is no longer in the inventory"
        let list = try await daemon.loa(["schedule", "list"])
        #expect(list.stdout.contains("! \(kept.id): \(problem)"), "\(list.stdout)")
        #expect(list.stdout.contains("! \(draft.id): \(problem)"), "\(list.stdout)")
        let json = try Self.decode([Schedule].self, try await daemon.loa(["schedule", "list", "--json"]).stdout)
        #expect(Set(json.map(\.id)) == [kept.id, draft.id])  // not deleted
        #expect(json.allSatisfy { $0.problems == [problem] })
        let show = try await daemon.loa(["schedule", "show", draft.id])
        #expect(show.stdout.contains("PROBLEM    \(problem)"), "\(show.stdout)")
        let next = try await daemon.loa(["schedule", "next", "--count", "2"])
        #expect(next.stdout.contains("\(kept.id) !"), "\(next.stdout)")
        #expect(next.stdout.contains("! \(kept.id): \(problem)"), "\(next.stdout)")

        let approve = try await daemon.loa(["schedule", "approve", draft.id])
        #expect(approve.status == 64, "\(approve.stderr)")
        #expect(approve.stderr.contains("cannot be approved: \(problem)"), "\(approve.stderr)")
        #expect(await daemon.stop() == 0)
    }
}
