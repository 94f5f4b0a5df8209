import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// Uploads through a running `loa serve` and the CLI: a long programme imported in the background with its
/// progress shown, a file that is not audio refused on its first bytes, SIGTERM during an import, and audio
/// that nothing plays reclaimed after the grace period.
@Suite("Uploads through a running daemon")
struct UploadTests {
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try APICoding.decoder().decode(T.self, from: Data(text.utf8))
    }

    /// A 30-minute MP3 (16 kHz mono at 16 kbit/s, 3.6 MB): long enough to outlast any fixed deadline, small
    /// enough to make in a few seconds.
    static func programme(_ fixtures: AudioFixtures) throws -> String {
        let wav = try fixtures.tone("programme.wav", seconds: 1800, rate: 16_000, channels: 1, frequency: 300)
        let mp3 = fixtures.path("chuong-trinh-30-phut.mp3")
        try AudioFixtures.run(["lame", "--quiet", "-b", "16", wav, mp3])
        try FileManager.default.removeItem(atPath: wav)
        return mp3
    }

    @Test func aThirtyMinuteProgrammeSchedulesFromTheCLIWithItsProgressShown() async throws {
        let fixtures = try AudioFixtures("programme")
        defer { fixtures.remove() }
        let mp3 = try Self.programme(fixtures)
        let daemon = try await DaemonUnderTest()
        // The import takes as long as it takes: the CLI follows it without a deadline of its own.
        let added = try await daemon.loa(
            ["schedule", "add", "--audio", mp3, "--daily", "05:00", "--all", "--json"],
            timeout: .seconds(600)
        )
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stderr.contains("loa: uploading chuong-trinh-30-phut.mp3: 100%"), "\(added.stderr)")
        #expect(added.stderr.contains("loa: importing chuong-trinh-30-phut.mp3 (decoding): "), "\(added.stderr)")
        #expect(added.stderr.contains("loa: importing chuong-trinh-30-phut.mp3 (encoding): "), "\(added.stderr)")
        #expect(added.stderr.contains("loa: imported chuong-trinh-30-phut.mp3: 100%"), "\(added.stderr)")
        let schedule = try Self.decode(Schedule.self, added.stdout)

        let listed = try await daemon.loa(["assets", "--json"])
        let assets = try Self.decode([StoredAsset].self, listed.stdout)
        #expect(assets.count == 1)
        #expect(schedule.announcement.content == .audio(assetID: try #require(assets.first).id))
        #expect(abs((assets.first?.durationSeconds ?? 0) - 1800) < 1)
        #expect(assets.first?.referenced == true && assets.first?.name == "chuong-trinh-30-phut.mp3")
        let table = try await daemon.loa(["assets"])
        #expect(table.stdout.contains("30:00") && table.stdout.contains("yes"), "\(table.stdout)")
        #expect(await daemon.stop() == 0)
    }

    @Test func aFileThatIsNotAudioIsRefusedOnItsFirstBytes() async throws {
        let fixtures = try AudioFixtures("not-audio")
        defer { fixtures.remove() }
        // Large enough that refusing it only after the whole body would show: 20 MB of a "report".
        let pdf = fixtures.path("bien-ban-hop.pdf")
        try (Data("%PDF-1.7\n".utf8) + Data(count: 20 << 20)).write(to: URL(fileURLWithPath: pdf))
        let daemon = try await DaemonUnderTest()
        let refused = try await daemon.loa(["announce", "--audio", pdf, "--all"])
        #expect(refused.status == 64, "\(refused.stderr)")
        #expect(
            refused.stderr.contains(
                "loa: 'bien-ban-hop.pdf' is not an audio file: its first bytes are none of WAV, MP3, FLAC, Ogg"
            ),
            "\(refused.stderr)"
        )
        let listed = try await daemon.loa(["assets", "--json"])
        #expect(try Self.decode([StoredAsset].self, listed.stdout).isEmpty)
        #expect(AudioFixtures.contents(of: "\(daemon.stateDirectory)/assets/.incoming").isEmpty)
        #expect(await daemon.stop() == 0)
    }

    @Test func sigtermDuringALongImportExitsWithinTheStopTimeout() async throws {
        let fixtures = try AudioFixtures("sigterm")
        defer { fixtures.remove() }
        let mp3 = try Self.programme(fixtures)
        let daemon = try await DaemonUnderTest()
        let upload = try LoaProcess(
            ["schedule", "add", "--audio", mp3, "--daily", "05:00", "--all"],
            directory: daemon.directory,
            environment: daemon.localEnvironment
        )
        defer { upload.kill() }
        let importing = await eventually(timeout: .seconds(60), every: .milliseconds(50)) {
            upload.stderr.contains("(decoding)")
        }
        #expect(importing, "\(upload.stderr)")
        // The unit's TimeoutStopSec is 10 s: `stop` waits that long, then reports the daemon still running.
        #expect(await daemon.stop(signal: SIGTERM) == 0)
        #expect(await upload.waitForExit(timeout: .seconds(30)) == 69, "\(upload.stderr)")
        // Whichever the CLI saw first: the import stopped, or the API gone.
        #expect(
            upload.stderr.contains("the daemon is stopping") || upload.stderr.contains("cannot reach loa serve"),
            "\(upload.stderr)"
        )
    }

    @Test func audioNothingPlaysIsReclaimedAfterTheGracePeriod() async throws {
        let fixtures = try AudioFixtures("reclaim")
        defer { fixtures.remove() }
        let scheduled = try fixtures.tone("lich-tiem.wav", seconds: 3, frequency: 440)
        let aired = try fixtures.tone("thong-bao.wav", seconds: 3, frequency: 660)
        let daemon = try await DaemonUnderTest(arguments: ["--audio-device", "null", "--asset-grace-s", "3"])
        let added = try await daemon.loa(["schedule", "add", "--audio", scheduled, "--daily", "05:00", "--all"])
        #expect(added.status == 0, "\(added.stderr)")
        let announced = try await daemon.loa(["announce", "--audio", aired, "--all", "--no-chime"])
        #expect(announced.status == 0, "\(announced.stderr)")

        var assets: [StoredAsset] = []
        let reclaimed = await eventually(timeout: .seconds(60), every: .milliseconds(250)) {
            let listed = try? await daemon.loa(["assets", "--json"])
            assets = (try? Self.decode([StoredAsset].self, listed?.stdout ?? "")) ?? assets
            return assets.map(\.name) == ["lich-tiem.wav"]
        }
        #expect(reclaimed, "\(assets)")
        #expect(assets.first?.referenced == true)
        let stored = AudioFixtures.contents(of: "\(daemon.stateDirectory)/assets").filter { !$0.contains("/") }
        #expect(stored.sorted() == [".incoming", try #require(assets.first).id].sorted())
        #expect(await daemon.stop() == 0)
    }
}
