import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// Issue 5: "receivers' acknowledgements and playback reports go into the broadcast log, per receiver". After
/// a normal announcement to three real receivers, `loa log` shows, for each, that it accepted the `play`
/// command and then played the session, at the instants its own events gave.
@Suite("Per-receiver broadcast log end to end", .serialized)
struct BroadcastLogReportsTests {
    @Test func everyReceiverAcknowledgesAndReportsItsPlayback() async throws {
        let fixtures = try AudioFixtures("reports")
        defer { fixtures.remove() }
        let speech = try fixtures.speech(
            "tin-ngan.wav",
            text: "Mời bà con đến nhà văn hóa thôn họp lúc bảy giờ tối nay."
        )
        let site = try await LiveSite(label: "reports")
        defer { site.shutdown() }
        for (id, zone) in [("rx-dong-01", "thon-dong"), ("rx-tay-01", "thon-tay"), ("rx-bai-01", "xom-bai")] {
            try site.startReceiver(id, zone: zone)
        }
        let ids = site.receivers.map(\.id).sorted()
        try #require(await site.waitUntilOnline(ids), "receivers not online: \(site.receivers.map(\.process.stderr))")

        let broadcast = try await site.announce([
            "--audio", speech, "--receivers", ids.joined(separator: ","), "--no-chime",
        ])
        let play = try #require(await site.command { $0.play != nil }?.command)
        let session = try #require(play.play?.session)
        let entry = await site.waitForBroadcast(broadcast) { $0 != .playing && $0 != .waiting }
        #expect(entry?.outcome == .completed)
        // The last reports come a moment after the daemon's own playout ends.
        var reports: [BroadcastReceiverReport] = []
        _ = await eventually(timeout: .seconds(10), every: .milliseconds(200)) {
            reports = (try? await site.log())?.first { $0.id == broadcast }?.receivers ?? []
            return reports.count == ids.count && reports.allSatisfy { $0.state == .played }
        }
        let text = try await site.daemon.loa(["log", "--receivers"])
        // The watcher gets the receivers' events on its own connection, maybe after the daemon did.
        #expect(await site.waitForSessionEnd(session, of: ids), "the watcher did not see every receiver finish")

        // The receivers' own events: each acknowledged the play (naming the session) and finished it.
        for id in ids {
            // Each receiver is sent its own `play`, on its own channel.
            let play = try #require(
                site.commands().first { $0.topic.hasSuffix("/cmd/rx/\(id)") && $0.command?.play?.session == session }?
                    .command
            )
            let events = site.events(of: id)
            let ack = events.first { $0.kind == .commandAccepted && $0.cmd == .play }
            #expect(
                ack?.session == session && ack?.seq == play.seq,
                "\(id)'s acknowledgement: \(String(describing: ack))"
            )
            let finished = events.first { $0.kind == .sessionFinished && $0.session == session }
            let report = reports.first { $0.receiver == id }
            let acked = report?.ackedAt.map { "\((LiveSite.microseconds($0) - play.ts) / 1_000) ms" } ?? "never"
            let ended = report.map { "\((LiveSite.microseconds($0.at) - play.ts) / 1_000) ms" } ?? "-"
            print(
                "reports: \(id) \(report?.state.rawValue ?? "none"); after the play was signed: acked \(acked), ended \(ended)"
            )
            #expect(report?.state == .played, "\(id): \(String(describing: report))")
            // At the instants the receiver's events gave: the store and the API keep milliseconds, and each JSON
            // hop (daemon → CLI → `--json`) may truncate one more.
            func close(_ date: Date?, _ event: ReceiverEvent?) -> Bool {
                guard let date, let event else { return false }
                return abs(LiveSite.microseconds(date) - event.at) <= 5_000
            }
            #expect(
                close(report?.ackedAt, ack),
                "acked \(report?.ackedAt.map(LiveSite.microseconds) ?? 0), event \(ack?.at ?? 0)"
            )
            #expect(
                close(report?.at, finished),
                "played \(report.map { LiveSite.microseconds($0.at) } ?? 0), event \(finished?.at ?? 0)"
            )
            #expect(report.map { ($0.ackedAt ?? .distantFuture) < $0.at } == true)
            let row = text.stdout.split(separator: "\n").first { $0.hasPrefix("\(broadcast) ") && $0.contains(id) }
            #expect(row?.contains("played") == true, "no row for \(id) in:\n\(text.stdout)")
        }
        print("reports: loa log --receivers\n\(text.stdout)")
        #expect(reports.map(\.receiver) == ids)
        #expect(text.stdout.contains("3 played"), "\(text.stdout)")
        for (id, code) in await site.stopReceivers() { #expect(code == 0, "\(id) exit \(String(describing: code))") }
        #expect(await site.daemon.stop() == 0)
    }
}
