import Foundation
import LoaCore
import LoaTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A full disk under the playout journal: every line fails to be written (`/dev/full` answers every write
/// with ENOSPC), and the daemon plays on, stays up, and says so in its log and in `/metrics`.
@Suite("A full disk under the playout journal")
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
        #expect(outcome == .completed)

        // Still up and answering, with the failures counted and logged.
        let health = try await daemon.loa(["health"])
        #expect(health.status == 0, "\(health.stdout) \(health.stderr)")
        let (body, _) = try await URLSession.shared.data(from: URL(string: "\(daemon.url)/metrics")!)
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
}
