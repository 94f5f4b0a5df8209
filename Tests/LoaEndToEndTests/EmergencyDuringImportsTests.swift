import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// Issue 12: while an operator uploaded a 30-minute MP3, the chairman's emergency `loa announce --audio` gave
/// up after 5.2 s (exit 69) and nothing aired. Now, with a 2-hour WAV being imported and a 30-minute MP3 being
/// uploaded behind it, the emergency's own clip is uploaded over the control socket, imported in the urgent lane
/// and aired on every receiver, while the programme's import is still running.
@Suite("An emergency during uploads and imports")
struct EmergencyDuringImportsTests {
    @Test func anEmergencyAirsWhileATwoHourWAVImportsAndAThirtyMinuteMP3Uploads() async throws {
        let fixtures = try AudioFixtures("emergency-imports")
        defer { fixtures.remove() }
        let longWAV = try fixtures.sparseSilence("dai-2-gio.wav", seconds: 7_200, rate: 16_000)
        let mp3 = try UploadTests.programme(fixtures)
        let flood = try fixtures.speech("lu-quet.wav", text: "Lũ quét đang về, bà con rời khỏi nhà ngay.")

        let site = try await LiveSite(label: "emergency-imports")
        defer { site.shutdown() }
        let placements = [("rx-dong-01", "thon-dong"), ("rx-tay-01", "thon-tay"), ("rx-bai-01", "xom-bai")]
        for (id, zone) in placements { try site.startReceiver(id, zone: zone) }
        try #require(await site.waitUntilOnline(placements.map(\.0)))

        // Two operators at work: the 2-hour programme is importing, and the MP3 queues behind it.
        try await site.daemon.makeSampleAccounts()
        let environment = site.daemon.localEnvironment.merging(["LOA_USER": "can-bo-van-hoa"]) { $1 }
        let programmes = try [longWAV, mp3].map { path in
            try LoaProcess(
                ["schedule", "add", "--audio", path, "--daily", "05:00", "--all"],
                directory: site.directory,
                environment: environment
            )
        }
        defer { for process in programmes { process.kill() } }
        let importing = await eventually(timeout: .seconds(60), every: .milliseconds(50)) {
            programmes[0].stderr.contains("importing dai-2-gio.wav (")
        }
        try #require(importing, "the 2-hour import never started: \(programmes[0].stderr)")

        let requested = LiveSite.now()
        let announced = try await site.daemon.loa(
            ["announce", "--priority", "emergency", "--audio", flood, "--all", "--no-chime", "--json"],
            timeout: .seconds(120)
        )
        #expect(announced.status == 0, "loa announce during the imports: \(announced.stderr)")
        let play = try #require(await site.command { $0.play?.priority == .emergency }?.command?.play)
        for (id, _) in placements {
            let started = await site.event(of: id) { $0.kind == .sessionStarted && $0.session == play.session }
            let at = try #require(started?.at, "\(id) never started the emergency during the imports")
            print("imports: \(id) started the emergency \(Double(at - requested) / 1000) ms after the request")
        }
        // It did not wait for the programme: that import is still running.
        #expect(programmes[0].process.isRunning, "the 2-hour import ended first: \(programmes[0].stderr)")
        #expect(!programmes[0].stderr.contains("imported dai-2-gio.wav"))
        if let pid = site.daemon.process?.pid, let status = try? String(contentsOfFile: "/proc/\(pid)/status") {
            print(
                "imports: daemon \(status.split(separator: "\n").filter { $0.hasPrefix("VmHWM") || $0.hasPrefix("VmRSS") })"
            )
        }
    }
}
