import Foundation
import LoaCore
import LoaTestSupport
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A full disk: under the playout journal (`/dev/full` answers every write with ENOSPC), and under the whole
/// state dir (a small tmpfs, filled). The daemon plays on, stays up, airs and stops, and says so.
@Suite("A full disk", .serialized)
struct FullDiskTests {
    @Test func journalWritesFailingNeverStopTheBroadcastNorTheDaemon() async throws {
        let daemon = try await DaemonUnderTest(
            arguments: ["--audio-device", "null", "--stream-lead-ms", "300", "--playout-journal", "/dev/full"])
        let announced = try await daemon.loa([
            "announce", "--text", "Thông báo: ổ đĩa đầy, loa vẫn phát.", "--all", "--no-chime", "--json",
        ])
        #expect(announced.status == 0, "\(announced.stderr)")
        let receipt = try APICoding.decoder().decode(AnnounceReceipt.self, from: Data(announced.stdout.utf8))
        var outcome: BroadcastOutcome?
        let ended = await eventually(timeout: .seconds(60), every: .milliseconds(200)) {
            let log = try? await daemon.loa(["log", "--json"])
            outcome =
                log.flatMap {
                    try? APICoding.decoder().decode([BroadcastLogEntry].self, from: Data($0.stdout.utf8))
                }?.first { $0.id == receipt.broadcastID }?.outcome
            return outcome?.isFinal == true
        }
        #expect(ended, "the broadcast never ended: \(String(describing: outcome))")
        // Aired to its end; no receiver runs here, so none played it.
        #expect(outcome == .failed)

        // Still up and answering, with the failures counted and logged.
        // Still up: nothing is critical; the broadcast no receiver played is a warning.
        let health = try await daemon.loa(["health"])
        #expect(health.status == 1, "\(health.stdout) \(health.stderr)")
        #expect(health.stdout.hasPrefix("LOA WARNING - broadcast \(receipt.broadcastID) "), "\(health.stdout)")
        let (body, _) = try await daemon.fetch("/metrics")
        let metrics = String(decoding: body, as: UTF8.self)
        let line = metrics.split(separator: "\n").first { $0.hasPrefix("loa_playout_journal_write_failures_total") }
        let failures = line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
        #expect(failures > 0, "metrics line: \(String(describing: line))")
        #expect(
            daemon.process?.stderr.contains("journal.write-failed") == true,
            "no log line for the failed journal writes"
        )
        #expect(await daemon.stop() == 0)
    }

    /// Issue 12: with its state dir's disk full, the daemon would not start again (exit 78, "disk I/O error"),
    /// and systemd restarted it in a loop with no controller at all. Now it starts with its store read-only,
    /// airs an emergency on every receiver, stops it, and writes the log once the disk has room.
    @Test func aDaemonStartedOnAFullDiskAirsAndStopsAnEmergency() async throws {
        let disk = Mutex<SmallDisk?>(nil)
        defer { disk.withLock { $0?.unmount() } }
        let site = try await LiveSite(label: "full-disk") { directory in
            let mounted = try SmallDisk(at: "\(directory)/state", megabytes: 8)
            disk.withLock { $0 = mounted }
        }
        defer { site.shutdown() }
        let smallDisk = try #require(disk.withLock { $0 })
        let placements = [("rx-dong-01", "thon-dong"), ("rx-tay-01", "thon-tay")]
        for (id, zone) in placements { try site.startReceiver(id, zone: zone) }
        try #require(await site.waitUntilOnline(placements.map(\.0)))

        // A clean stop, the store checkpointed by its last connection (no -wal, no -shm left), then a full disk:
        // SQLite cannot even size the shared-memory index it needs to open the store for writing.
        #expect(await site.daemon.stop() == 0)
        let store = "\(site.daemon.stateDirectory)/loa.sqlite"
        let checkpoint = try LoaProcess(
            [
                "-c",
                "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()",
                store,
            ],
            executable: URL(fileURLWithPath: "/usr/bin/python3")
        )
        #expect(await checkpoint.waitForExit(timeout: .seconds(30)) == 0, "\(checkpoint.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(store)-shm"))
        smallDisk.fill()

        try await site.daemon.start(healthy: false)
        let health = try await site.daemon.loa(["health"])
        #expect(health.status == 2 && health.stdout.contains("read-only"), "\(health.stdout)")
        try #require(await site.waitUntilOnline(placements.map(\.0)), "the receivers never came back")

        let broadcast = try await site.announce([
            "--priority", "emergency", "--text", "Nước lũ đang lên, bà con di chuyển lên vùng cao ngay.",
            "--all", "--no-chime", "--title", "Khẩn cấp",
        ])
        let play = try #require(await site.command { $0.play?.priority == .emergency }?.command?.play)
        for (id, _) in placements {
            let started = await site.event(of: id) { $0.kind == .sessionStarted && $0.session == play.session }
            #expect(started != nil, "\(id) never started the emergency on a full disk")
        }
        let stopped = try await site.daemon.loa(["stop", "--all"])
        #expect(stopped.status == 0, "loa stop --all on a full disk: \(stopped.stdout) \(stopped.stderr)")
        for (id, _) in placements {
            let aborted = await site.event(of: id) { $0.kind == .sessionAborted && $0.session == play.session }
            #expect(aborted != nil, "\(id) never stopped the emergency")
        }

        // Room again: the store opens for writing, and the outcome kept in memory is written.
        smallDisk.free()
        let recovered = await eventually(timeout: .seconds(30), every: .milliseconds(250)) {
            (try? await site.daemon.loa(["health"]))?.status == 0
        }
        #expect(recovered, "the store never became writable again")
        let entries = try await site.log()
        let entry = entries.first { $0.title == "Khẩn cấp" && $0.priority == .emergency }
        #expect(entry?.outcome == .interrupted, "the emergency's entry: \(String(describing: entry)), id \(broadcast)")
        #expect(await site.daemon.stop() == 0)
    }

    /// Issue 13: a broadcast that completed while the disk was full was logged `interrupted`: its outcome waited
    /// in memory, the daemon was stopped, and the next start found the entry open. Now the outcomes the disk
    /// refused are kept at the stop (in room the store had set aside), and written on the next start.
    @Test func aBroadcastThatEndsOnAFullDiskKeepsItsOutcomeAcrossARestart() async throws {
        let fixtures = try AudioFixtures("full-disk-outcome")
        defer { fixtures.remove() }
        let tone = try fixtures.tone("thong-bao.wav", seconds: 6, rate: 48_000, channels: 1, frequency: 440)
        let disk = Mutex<SmallDisk?>(nil)
        defer { disk.withLock { $0?.unmount() } }
        let site = try await LiveSite(label: "full-disk-outcome") { directory in
            let mounted = try SmallDisk(at: "\(directory)/state", megabytes: 128)
            disk.withLock { $0 = mounted }
        }
        defer { site.shutdown() }
        let smallDisk = try #require(disk.withLock { $0 })
        let ids = ["rx-dong-01", "rx-tay-01"]
        try site.startReceiver("rx-dong-01", zone: "thon-dong")
        try site.startReceiver("rx-tay-01", zone: "thon-tay")
        try #require(await site.waitUntilOnline(ids))

        let broadcast = try await site.announce([
            "--audio", tone, "--receivers", ids.joined(separator: ","), "--no-chime",
        ])
        let play = try #require(await site.command { $0.play != nil }?.command?.play)
        for id in ids {
            #expect(await site.event(of: id) { $0.kind == .sessionStarted && $0.session == play.session } != nil)
        }
        smallDisk.fill()
        for id in ids {
            let finished = await site.event(of: id) { $0.kind == .sessionFinished && $0.session == play.session }
            #expect(finished != nil, "\(id) never finished")
        }
        // The disk refuses the outcome: `loa health` says the store cannot write.
        let refused = await eventually(timeout: .seconds(30), every: .milliseconds(250)) {
            (try? await site.daemon.loa(["health"]))?.stdout.contains("cannot write") == true
        }
        try #require(refused, "the full disk never refused a write")
        #expect(await site.daemon.stop() == 0)

        smallDisk.free()
        try await site.daemon.start()
        let entry = try #require(try await site.log().first { $0.id == broadcast })
        #expect(entry.outcome == .completed, "\(entry)")
        #expect(entry.receivers?.map(\.state) == [.played, .played], "\(String(describing: entry.receivers))")
        let stateFiles = try FileManager.default.contentsOfDirectory(atPath: site.daemon.stateDirectory)
        #expect(!stateFiles.contains { $0.contains("unwritten") }, "kept files left behind: \(stateFiles)")
        await site.stopReceivers()
        #expect(await site.daemon.stop() == 0)
    }
}
