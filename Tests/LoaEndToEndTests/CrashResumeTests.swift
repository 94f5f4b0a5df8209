import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// Issue 12: "after a SIGKILL mid-emergency: the restart airs the rest of it, on the same broker address". A
/// 20 s emergency airs on two real receivers; the daemon is SIGKILLed a few seconds in (its embedded broker
/// dies with it) and restarted on the same state dir. Every receiver gets a new signed session of the same
/// broadcast, holding only the rest of it, and the broadcast log shows the cut entry and the resumed one.
@Suite("A crash mid-emergency end to end", .serialized)
struct CrashResumeTests {
    @Test func aRestartAirsTheRestOfAnEmergencyACrashCut() async throws {
        let fixtures = try AudioFixtures("crash")
        defer { fixtures.remove() }
        let tone = try fixtures.tone("bao.wav", seconds: 20, rate: 48_000, channels: 1, frequency: 440)
        let site = try await LiveSite(label: "crash")
        defer { site.shutdown() }
        let placements = [("rx-dong-01", "thon-dong"), ("rx-tay-01", "thon-tay")]
        for (id, zone) in placements { try site.startReceiver(id, zone: zone) }
        let ids = placements.map(\.0)
        try #require(await site.waitUntilOnline(ids), "receivers not online: \(site.receivers.map(\.process.stderr))")

        let emergency = try await site.announce([
            "--priority", "emergency", "--audio", tone, "--receivers", "rx-dong-01,rx-tay-01", "--no-chime", "--title",
            "Bão số 9",
        ])
        let first = try #require(await site.command { $0.play?.priority == .emergency }?.command?.play)
        // Killed once every receiver has presented 3 s of it (message 30), not after a fixed sleep.
        let threeSecondsIn = await eventually(timeout: .seconds(20), every: .milliseconds(20)) {
            site.receivers.allSatisfy { receiver in
                LiveSite.journalSoFar(receiver.journal)?.contains { $0.session == first.session && $0.sequence >= 30 }
                    == true
            }
        }
        try #require(threeSecondsIn, "the emergency did not play 3 s on every receiver")
        let process = try #require(site.daemon.process)
        process.signal(SIGKILL)
        let killedAt = LiveSite.now()
        _ = await process.waitForExit(timeout: .seconds(10))
        try await site.daemon.start()

        // The rest of it: a new session, signed (the receivers play it), holding what was left.
        let resumed = try #require(
            await site.command(timeout: .seconds(40)) {
                $0.play?.priority == .emergency && $0.play?.session != first.session
            }?.command?.play,
            "no new emergency session after the restart"
        )
        #expect(resumed.title == first.title)
        let skippedMs = try #require(first.durationMs) - (try #require(resumed.durationMs))
        let elapsedAtKillMs = Int((killedAt - first.start) / 1_000)
        #expect(
            skippedMs > 0 && skippedMs <= elapsedAtKillMs,
            "skipped \(skippedMs) ms, killed \(elapsedAtKillMs) ms in"
        )
        print("crash: killed \(elapsedAtKillMs) ms into the emergency; the restart resumed it \(skippedMs) ms in")
        #expect(skippedMs % 20 == 0, "the rest must start on the 20 ms grid: skipped \(skippedMs) ms")
        for id in ids {
            let finished = await site.event(of: id, timeout: .seconds(60)) {
                $0.kind == .sessionFinished && $0.session == resumed.session
            }
            #expect(finished != nil, "\(id) never played the rest of the emergency: \(site.events(of: id))")
        }

        // The log: the cut entry, and the resumed one (completed, saying where it resumed).
        var log: [BroadcastLogEntry] = []
        _ = await eventually(timeout: .seconds(20), every: .milliseconds(200)) {
            log = (try? await site.log()) ?? []
            return log.contains { $0.detail?.hasPrefix("resumed at") == true && $0.outcome == .completed }
        }
        let cut = try #require(log.first { $0.id == emergency })
        #expect(cut.outcome == .interrupted)
        #expect(cut.detail == "the daemon stopped before it finished")
        let rest = try #require(log.first { $0.detail?.hasPrefix("resumed at") == true }, "\(log)")
        #expect(rest.outcome == .completed, "\(rest)")
        #expect(rest.title == cut.title && rest.priority == .emergency)
        #expect(!FileManager.default.fileExists(atPath: "\(site.daemon.stateDirectory)/on-air/\(emergency).json"))

        for (id, code) in await site.stopReceivers() { #expect(code == 0, "\(id) exit \(String(describing: code))") }
        #expect(await site.daemon.stop() == 0)
    }
}
