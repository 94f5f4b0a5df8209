import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// Issue 5: "a receiver that joins a zone mid-session starts at the right offset, not from the beginning".
/// A real `loa receiver` is started seconds into a `loa serve` broadcast; its first presented message must be
/// the one the session's clock says is due then, and its output must be the gateway's from that point on.
@Suite("Joining mid-session end to end", .serialized)
struct MidSessionJoinTests {
    @Test func aReceiverStartedMidSessionStartsAtTheElapsedOffset() async throws {
        let fixtures = try AudioFixtures("join")
        defer { fixtures.remove() }
        let speech = try fixtures.speech(
            "ban-tin.wav",
            text: "Kính thưa bà con, sáng thứ bảy tuần này trạm y tế xã tổ chức tiêm vắc-xin cho trẻ em dưới năm tuổi. "
                + "Đề nghị các gia đình mang theo sổ tiêm chủng và đến đúng giờ. Xin cảm ơn bà con."
        )
        let site = try await LiveSite(label: "join")
        defer { site.shutdown() }
        let early = try site.startReceiver("rx-dong-01", zone: "thon-dong")
        try #require(await site.waitUntilOnline([early.id]), "\(early.process.stderr)")

        let broadcast = try await site.announce([
            "--audio", speech, "--receivers", "rx-dong-01,rx-tay-01", "--no-chime",
        ])
        let play = try #require(await site.command { $0.play != nil }?.command?.play)
        let session = play.session
        let started = try #require(
            await site.event(of: early.id) { $0.kind == .sessionStarted && $0.session == session }
        )
        // Four seconds into the session, a second loudspeaker is switched on.
        let wait = started.at + 4_000_000 - LiveSite.now()
        if wait > 0 { try await Task.sleep(for: .microseconds(wait)) }
        let spawned = LiveSite.now()
        let late = try site.startReceiver("rx-tay-01", zone: "thon-tay")
        try #require(await site.waitUntilOnline([late.id]), "\(late.process.stderr)")
        let online = LiveSite.now()
        let finished = await site.event(of: late.id, timeout: .seconds(60)) {
            $0.kind == .sessionFinished && $0.session == session
        }
        #expect(finished != nil, "the late receiver never finished the session")
        let entry = await site.waitForBroadcast(broadcast) { $0 == .completed }
        #expect(entry?.outcome == .completed)
        // The early receiver too has played the session to its end before it is stopped.
        #expect(await site.waitForSessionEnd(session, of: [early.id]), "the early receiver never finished the session")
        for (id, code) in await site.stopReceivers() { #expect(code == 0, "\(id) exit \(String(describing: code))") }
        #expect(await site.daemon.stop() == 0)

        let gatewayJournal = try LiveSite.journal(site.gatewayJournal).filter { $0.session == session }
        let gatewayDue = Dictionary(gatewayJournal.map { ($0.sequence, $0) }, uniquingKeysWith: { first, _ in first })
        let last = try #require(gatewayJournal.map(\.sequence).max())
        let gatewayFirst = try #require(gatewayDue[0])
        let journal = try LiveSite.journal(late.journal).filter { $0.session == session }
        let first = try #require(journal.first, "the late receiver presented nothing")
        let k = Int(first.sequence)
        let elapsed = first.presented - gatewayFirst.presented
        print(
            "join: started \((spawned - started.at) / 1_000) ms into the session, online after \((online - spawned) / 1_000) ms; "
                + "first message \(k) due \((first.due - online) / 1_000) ms after online, presented \(elapsed / 1_000) ms "
                + "after the gateway's first (media offset \(k * 100) ms)"
        )

        // Not from the beginning, and not from anything due before the receiver existed.
        #expect(k > 0, "a late joiner must not start from the beginning")
        #expect(first.due >= spawned, "first message due \(first.due), process started at \(spawned)")
        // From the first message it could still present: the stream's lead (1 s) after it listened, with slack.
        #expect(first.due - online <= 2_000_000, "it skipped \((first.due - online) / 1_000) ms of playable audio")
        // At the session's clock: the same due instant as the gateway's message k, presented k × 100 ms after
        // the gateway presented message 0 (within one 20 ms packet).
        #expect(first.due == gatewayDue[first.sequence]?.due)
        #expect(
            abs(elapsed - Int64(k) * 100_000) <= 20_000,
            "presented \(elapsed) µs after the start, media offset \(k * 100) ms"
        )
        // Then on to the end, in order (a message late on a loaded machine would be concealed, and counted here).
        let sequences = journal.map(\.sequence)
        print("join: presented \(sequences.count) of messages \(k)...\(last)")
        #expect(sequences == sequences.sorted() && Set(sequences).count == sequences.count)
        #expect(sequences.count * 10 >= (Int(last) - k + 1) * 9, "\(sequences)")
        #expect(try LiveSite.journal(early.journal).filter { $0.session == session }.first?.sequence == 0)

        // Its output is the gateway's own output from that offset on.
        let gateway = try LiveSite.samples(site.gatewayOutput)
        let played = try LiveSite.samples(late.output)
        let total = try #require(play.durationMs) * 48
        #expect(played.count == total - k * 4_800, "output \(played.count) samples, session \(total) from message \(k)")
        // Past its first packet: a decoder that starts mid-stream has no state to predict that one from.
        let offset = k * 4_800 + 960
        try #require(gateway.count > offset && played.count > 960)
        let aligned = AudioSignals.bestCorrelation(Array(gateway[offset...]), Array(played[960...]), maxLag: 960)
        let fromStart = AudioSignals.correlation(Array(gateway[960...]), Array(played[960...]), lag: 0)
        print(
            "join: output against the gateway's from message \(k): correlation \(String(format: "%.3f", aligned.correlation)) "
                + "at lag \(aligned.lag); against its beginning: \(String(format: "%.3f", fromStart))"
        )
        #expect(
            aligned.correlation >= 0.9 && aligned.lag <= 2,
            "correlation \(aligned.correlation) at lag \(aligned.lag)"
        )
    }
}
