import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// Issue 13, part 3: backup and restore, on the real thing. A backup taken while the daemon runs, more
/// commands after it (so the receivers have obeyed numbers the backup's sequence has not reached), the older
/// backup restored: the daemon starts cleanly on it, and `loa volume` and `loa stop` still work on every
/// receiver, since the daemon moves its sequence past what the receivers report.
@Suite("Backup and restore end to end", .serialized)
struct BackupRestoreTests {
    @Test func aRestoredOlderBackupStillSetsVolumeAndStopsOnEveryReceiver() async throws {
        let fixtures = try AudioFixtures("restore")
        defer { fixtures.remove() }
        let tone = try fixtures.tone("dai.wav", seconds: 20, rate: 48_000, channels: 1, frequency: 440)
        let site = try await LiveSite(label: "restore")
        defer { site.shutdown() }
        let placements = [("rx-dong-01", "thon-dong"), ("rx-tay-01", "thon-tay"), ("rx-bai-01", "xom-bai")]
        let receivers = try placements.map { try site.startReceiver($0.0, zone: $0.1) }
        let ids = receivers.map(\.id)
        try #require(await site.waitUntilOnline(ids), "receivers not online: \(receivers.map(\.process.stderr))")
        let state = site.daemon.stateDirectory
        let backup = "\(site.directory)/loa-backup.tar"
        func volumeFile(_ receiver: LiveSite.Receiver) -> String? {
            (try? String(contentsOfFile: "\(receiver.stateDirectory)/volume", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func setVolume(_ level: Int) async throws {
            let result = try await site.daemon.loa(["volume", "\(level)", "--all"])
            try #require(result.status == 0, "\(result.stderr)")
            let everywhere = await eventually(timeout: .seconds(15), every: .milliseconds(50)) {
                receivers.allSatisfy { volumeFile($0) == "\(level)" }
            }
            #expect(everywhere, "volume \(level): \(receivers.map { volumeFile($0) ?? "-" })")
        }

        try await setVolume(30)
        // A schedule with imported audio, so the backup holds an asset.
        let jingle = try fixtures.tone("nhac-hieu.wav", seconds: 2, rate: 48_000, channels: 1, frequency: 660)
        let added = try await site.daemon.loa(["schedule", "add", "--audio", jingle, "--daily", "05:00", "--all"])
        try #require(added.status == 0, "\(added.stderr)")
        let assets = try await Self.assets(site.daemon)
        try #require(assets.count == 1, "\(assets)")
        let backedUp = try await LoaProcess.run(["backup", backup, "--state-dir", state], directory: site.directory)
        try #require(backedUp.status == 0, "\(backedUp.stderr)")
        #expect(backedUp.stdout.contains("backed up \(state) to \(backup)"), "\(backedUp.stdout)")
        let backedUpSequence = try Self.sequence(in: state)
        for level in [40, 50, 60] { try await setVolume(level) }

        // A restore is refused while the daemon runs, and an archive that does not verify is refused.
        let busy = try await LoaProcess.run(["restore", backup, "--state-dir", state], directory: site.directory)
        #expect(busy.status == 75, "\(busy.stderr)")
        #expect(busy.stderr.contains("in use by a running `loa serve`"), "\(busy.stderr)")
        #expect(await site.daemon.stop() == 0)
        let tampered = try Self.tamper(backup, in: site.directory)
        let refused = try await LoaProcess.run(["restore", tampered, "--state-dir", state], directory: site.directory)
        #expect(refused.status == 65, "\(refused.stderr)")
        #expect(refused.stderr.contains("command.seq is missing or differs"), "\(refused.stderr)")
        #expect(try Self.sequence(in: state) > backedUpSequence, "a refused restore changed the state dir")

        let restored = try await LoaProcess.run(["restore", backup, "--state-dir", state], directory: site.directory)
        try #require(restored.status == 0, "\(restored.stderr)")
        let aside = try FileManager.default.contentsOfDirectory(atPath: site.directory)
            .first { $0.hasPrefix("state.before-restore-") }
        let previous = try #require(aside.map { "\(site.directory)/\($0)" }, "the old state dir was not kept")
        #expect(FileManager.default.fileExists(atPath: "\(previous)/controller.key"))
        #expect(try Self.sequence(in: state) == backedUpSequence)
        print(
            "restore: the backup's sequence is \(backedUpSequence); the receivers have obeyed up to \(try Self.sequence(in: previous))"
        )

        // The restored state starts cleanly, with its schedule and its asset, and its commands are obeyed
        // although its sequence was behind.
        try await site.daemon.start()
        #expect(try await Self.assets(site.daemon).map(\.id) == assets.map(\.id))
        let schedules = try await site.daemon.loa(["schedule", "list", "--json"])
        #expect(try APICoding.decoder().decode([Schedule].self, from: Data(schedules.stdout.utf8)).count == 1)
        try #require(await site.waitUntilOnline(ids))
        try await setVolume(70)
        let broadcast = try await site.announce(["--audio", tone, "--all", "--no-chime"])
        let play = try #require(await site.command { $0.play != nil && $0.seq > backedUpSequence })
        let session = try #require(play.command?.play?.session)
        for id in ids {
            #expect(await site.event(of: id) { $0.kind == .sessionStarted && $0.session == session } != nil, "\(id)")
        }
        let stopped = try await site.daemon.loa(["stop", "--all"])
        #expect(stopped.status == 0, "\(stopped.stderr)")
        for id in ids {
            let cut = await site.event(of: id, timeout: .seconds(15)) {
                $0.kind == .sessionAborted && $0.session == session
            }
            #expect(cut != nil, "\(id) was not stopped: \(site.events(of: id).suffix(5))")
        }
        #expect(await site.waitForBroadcast(broadcast) { $0 != .playing && $0 != .waiting } != nil)
        #expect(site.daemon.process?.stderr.contains("command.sequence-advanced") == true)
        for (id, code) in await site.stopReceivers() { #expect(code == 0, "\(id) exit \(String(describing: code))") }
        #expect(await site.daemon.stop() == 0)
    }

    static func assets(_ daemon: DaemonUnderTest) async throws -> [StoredAsset] {
        let listed = try await daemon.loa(["assets", "--json"])
        return try APICoding.decoder().decode([StoredAsset].self, from: Data(listed.stdout.utf8))
    }

    static func sequence(in state: String) throws -> Int64 {
        let text = try String(contentsOfFile: "\(state)/command.seq", encoding: .utf8)
        return try #require(Int64(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// A copy of `archive` with its `command.seq` changed and its manifest not.
    static func tamper(_ archive: String, in directory: String) throws -> String {
        let unpacked = "\(directory)/tampered"
        try FileManager.default.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
        try Self.tar(["-xf", archive, "-C", unpacked])
        try Data("00000000000099999999\n".utf8).write(to: URL(fileURLWithPath: "\(unpacked)/command.seq"))
        let tampered = "\(directory)/tampered.tar"
        try Self.tar(["-cf", tampered, "-C", unpacked, "."])
        return tampered
    }

    static func tar(_ arguments: [String]) throws {
        let process = try Process.run(URL(fileURLWithPath: "/bin/tar"), arguments: arguments)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "tar \(arguments)")
    }
}
