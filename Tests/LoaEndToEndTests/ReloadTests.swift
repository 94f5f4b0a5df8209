import Foundation
import LoaTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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

        // Issue 13: the refusal is not only in the daemon's log. `loa health` warns, naming the file and line,
        // and /metrics counts it, until a reload is taken.
        let health = try await daemon.loa(["health"])
        #expect(health.status == 1, "\(health.stdout)")
        #expect(
            health.stdout.hasPrefix("LOA WARNING - reload rejected (") && health.stdout.contains("zones.yaml:"),
            "\(health.stdout)"
        )
        #expect(health.stdout.contains("still on the running configuration"), "\(health.stdout)")
        #expect(try await Self.metric("loa_config_reload_rejected", of: daemon) == 1)
        #expect(try await Self.metric("loa_config_reloads_rejected_total", of: daemon) == 1)
        try original.write(toFile: zones, atomically: true, encoding: .utf8)
        daemon.process?.signal(SIGHUP)
        let cleared = await eventually(timeout: .seconds(10), every: .milliseconds(100)) {
            (try? await daemon.loa(["health"]))?.stdout.contains("reload rejected") == false
        }
        #expect(cleared, "the warning stayed after a good reload")
        #expect(try await Self.metric("loa_config_reload_rejected", of: daemon) == 0)
        #expect(try await Self.metric("loa_config_reloads_rejected_total", of: daemon) == 1)
        #expect(await daemon.stop() == 0)
    }

    /// One unlabelled sample of `/metrics`.
    static func metric(_ name: String, of daemon: DaemonUnderTest) async throws -> Double? {
        let (body, _) = try await daemon.fetch("/metrics")
        let line = String(decoding: body, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("\(name) ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") }
    }
}
