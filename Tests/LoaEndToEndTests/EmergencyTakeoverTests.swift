import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// Issue 5: "an emergency announced during a normal session cuts it on every receiver within 500 ms". A
/// 440 Hz tone airs as a normal announcement on three real receivers; `loa announce --priority emergency`
/// (speech) follows while it plays. Each receiver's output file says, 20 ms packet by packet, how much of the
/// tone went out before the speech; its playout journal says when those packets went out. That is when the
/// normal session went silent there, measured against when the daemon took the emergency (same host clock).
@Suite("Emergency takeover end to end", .serialized)
struct EmergencyTakeoverTests {
    static let packet = 960
    static let packetMicroseconds: Int64 = 20_000

    @Test func anEmergencyCutsTheNormalSessionOnEveryReceiverWithin500ms() async throws {
        let fixtures = try AudioFixtures("emergency")
        defer { fixtures.remove() }
        let tone = try fixtures.tone("thong-bao.wav", seconds: 20, rate: 48_000, channels: 1, frequency: 440)
        let site = try await LiveSite(label: "emergency")
        defer { site.shutdown() }
        let placements = [("rx-dong-01", "thon-dong"), ("rx-tay-01", "thon-tay"), ("rx-bai-01", "xom-bai")]
        for (id, zone) in placements { try site.startReceiver(id, zone: zone) }
        let ids = placements.map(\.0)
        try #require(await site.waitUntilOnline(ids), "receivers not online: \(site.receivers.map(\.process.stderr))")

        let targets = ids.joined(separator: ",")
        let normal = try await site.announce([
            "--audio", tone, "--receivers", targets, "--no-chime", "--title", "Thông báo thường",
        ])
        let normalSession = try #require(await site.command { $0.play?.priority == .normal }?.command?.play?.session)
        var normalStarts: [String: Int64] = [:]
        for id in ids {
            let started = await site.event(of: id) { $0.kind == .sessionStarted && $0.session == normalSession }
            normalStarts[id] = try #require(started?.at, "\(id) never started the normal session")
        }
        // The emergency comes two seconds into the normal session: once every receiver's journal shows it
        // presented the normal session's message 20 (2 s of it), not after a sleep that a busy machine may outrun.
        let twoSecondsIn = await eventually(timeout: .seconds(15), every: .milliseconds(20)) {
            site.receivers.allSatisfy { receiver in
                LiveSite.journalSoFar(receiver.journal)?.contains { $0.session == normalSession && $0.sequence >= 20 }
                    == true
            }
        }
        try #require(twoSecondsIn, "the normal session did not play 2 s on every receiver")

        // The emergency, as an official would send it.
        let launched = LiveSite.now()
        let emergency = try await site.announce([
            "--priority", "emergency", "--text",
            "Thông báo khẩn cấp: bão số năm sắp đổ bộ, đề nghị bà con di chuyển đến nơi an toàn.",
            "--receivers", targets, "--no-chime", "--title", "Khẩn cấp",
        ])
        let emergencyPlay = try #require(await site.command { $0.play?.priority == .emergency }?.command)
        let emergencySession = try #require(emergencyPlay.play?.session)
        var concealed: [String: Int] = [:]
        for id in ids {
            let finished = await site.event(of: id, timeout: .seconds(60)) {
                $0.kind == .sessionFinished && $0.session == emergencySession
            }
            #expect(finished != nil, "\(id) never finished the emergency")
            concealed[id] = finished?.concealed
        }
        // The normal announcement resumes from the start afterwards (the site's default); cut it for good.
        _ = try await site.daemon.loa(["stop", "--all"])
        // The receivers' last reports (the cut of the resumed normal one among them), as the daemon files them.
        func settled(_ entry: BroadcastLogEntry?, _ state: BroadcastReceiverReport.State) -> Bool {
            let reports = entry?.receivers ?? []
            return reports.map(\.receiver) == ids.sorted() && reports.allSatisfy { $0.state == state }
        }
        _ = await eventually(timeout: .seconds(20), every: .milliseconds(100)) {
            let log = (try? await site.log()) ?? []
            let normalEntry = log.first { $0.id == normal }
            return normalEntry?.outcome == .interrupted && settled(normalEntry, .cutShort)
                && settled(log.first { $0.id == emergency }, .played)
        }
        let log = try await site.log()
        let requested = LiveSite.microseconds(try #require(log.first { $0.id == emergency }?.plannedAt))
        let normalEntry = try #require(log.first { $0.id == normal })
        #expect(normalEntry.outcome == .interrupted, "normal: \(normalEntry.outcome) \(normalEntry.detail ?? "")")
        // The broadcast log, per receiver: the normal one cut everywhere, the emergency played everywhere.
        let normalReports = normalEntry.receivers ?? []
        let emergencyReports = log.first { $0.id == emergency }?.receivers ?? []
        #expect(
            normalReports.map(\.receiver) == ids.sorted() && normalReports.allSatisfy { $0.state == .cutShort },
            "\(normalReports)"
        )
        #expect(
            emergencyReports.map(\.receiver) == ids.sorted() && emergencyReports.allSatisfy { $0.state == .played },
            "\(emergencyReports)"
        )
        for (id, code) in await site.stopReceivers() { #expect(code == 0, "\(id) exit \(String(describing: code))") }
        #expect(await site.daemon.stop() == 0)

        print(
            "emergency: daemon took the request \((requested - launched) / 1_000) ms after `loa announce` was started; "
                + "its first sample due \(((emergencyPlay.play?.start ?? 0) - requested) / 1_000) ms after the request"
        )
        for receiver in site.receivers {
            let id = receiver.id
            let output = try LiveSite.samples(receiver.output)
            // The output is the tone's packets, then the emergency's: count the tone's from the start.
            let blocks = output.count / Self.packet
            func isTone(_ block: Int) -> Bool {
                let slice = output[(block * Self.packet)..<((block + 1) * Self.packet)]
                return AudioSignals.rms(slice) > 0.01 && AudioSignals.toneShare(slice, frequency: 440) > 0.5
            }
            var normalPackets = 1  // the first one starts with the codec's lookahead, tone or not
            while normalPackets < blocks, isTone(normalPackets) { normalPackets += 1 }
            #expect(normalPackets > 50, "\(id): only \(normalPackets) tone packets before the cut")
            // When the last of them went out: its message's first packet as the journal measured it (not the
            // session's grid, which a busy playout thread may trail), plus the packets after it.
            let journal = try LiveSite.journal(receiver.journal)
            let lastNormal = try #require(
                journal.filter { $0.session == normalSession }.max { $0.sequence < $1.sequence }
            )
            let packetsAfter = normalPackets - Int(lastNormal.sequence) * 5
            #expect(
                (1...5).contains(packetsAfter),
                "\(id): \(normalPackets) tone packets, last message \(lastNormal.sequence)"
            )
            let silencedAt = lastNormal.presented + Int64(packetsAfter) * Self.packetMicroseconds
            let cut = silencedAt - requested
            let aborted = site.events(of: id).first { $0.kind == .sessionAborted && $0.session == normalSession }
            let onGrid = try #require(normalStarts[id]) + Int64(normalPackets) * Self.packetMicroseconds - requested
            print(
                "emergency: \(id) normal session silent \(cut / 1_000) ms after the request "
                    + "(\(normalPackets) packets played; on the session's grid \(onGrid / 1_000) ms; session.aborted "
                    + "\(((aborted?.at ?? 0) - requested) / 1_000) ms; \((silencedAt - launched) / 1_000) ms after `loa announce` started)"
            )
            #expect(aborted != nil, "\(id) reported no session.aborted for the normal session")
            #expect(cut <= 500_000, "\(id): the normal session went on \(cut / 1_000) ms after the emergency request")

            // …and the emergency played, to its end. A message that comes too late is concealed: counted and
            // printed, and held to a fifth of them, since on a loaded machine the daemon itself may send some late.
            let durationMs = try #require(emergencyPlay.play?.durationMs)
            let emergencyMessages = journal.filter { $0.session == emergencySession }.map(\.sequence)
            let sent = (durationMs + 99) / 100
            print(
                "emergency: \(id) presented \(emergencyMessages.count) of \(sent) emergency messages, "
                    + "concealed \(concealed[id] ?? -1) packets"
            )
            #expect(emergencyMessages.count * 5 >= sent * 4, "\(id): \(emergencyMessages)")
            #expect(emergencyMessages == emergencyMessages.sorted(), "\(id): \(emergencyMessages)")
            // Its whole length follows the tone in the output (then, maybe, the start of the resumed normal one).
            #expect(
                output.count - normalPackets * Self.packet >= durationMs * 48,
                "\(id) output \(output.count) samples"
            )
        }
    }
}
