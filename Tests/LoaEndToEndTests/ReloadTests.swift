import Foundation
import LoaTestSupport
import Testing

/// `device-configs/` changes reach a running daemon on SIGHUP, and a broken file is refused without harm.
@Suite("Reloading device-configs")
struct ReloadTests {
    @Test func sighupAppliesAChangedZoneListAndKeepsTheOldOneOnABadFile() async throws {
        let configs = try DaemonUnderTest.copyOfSampleDeviceConfigs()
        let daemon = try await DaemonUnderTest(deviceConfigs: configs)
        let add = ["schedule", "add", "--text", "Họp thôn Mới", "--daily", "19:00", "--zones", "thon-moi"]
        #expect(try await daemon.loa(add).status == 64)

        let zones = "\(configs)/zones.yaml"
        let original = try String(contentsOfFile: zones, encoding: .utf8)
        try (original + "  - id: thon-moi\n    name: \"Thôn Mới\"\n").write(
            toFile: zones,
            atomically: true,
            encoding: .utf8
        )
        daemon.process?.signal(SIGHUP)
        let applied = await eventually(timeout: .seconds(10), every: .milliseconds(100)) {
            (try? await daemon.loa(add))?.status == 0
        }
        #expect(applied, "the new zone was not accepted after SIGHUP")

        // A broken file is refused; the running inventory (with thon-moi) stays.
        try (original + "  - id: thon-dong\n    name: \"Trùng\"\n").write(
            toFile: zones,
            atomically: true,
            encoding: .utf8
        )
        daemon.process?.signal(SIGHUP)
        // The daemon logs the refusal (`reload.rejected`) once it has read the file and kept the old inventory.
        let refused = await eventually(timeout: .seconds(10), every: .milliseconds(50)) {
            daemon.process?.stderr.contains("is a duplicate") == true
        }
        #expect(refused, "the broken file was not refused: \(daemon.process?.stderr ?? "")")
        let stillThere = try await daemon.loa(
            ["schedule", "add", "--text", "Họp lần 2", "--daily", "20:00", "--zones", "thon-moi"])
        #expect(stillThere.status == 0, "\(stillThere.stderr)")
        #expect(await daemon.stop() == 0)
    }
}
