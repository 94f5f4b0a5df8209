import Foundation
import LoaCore
import LoaSecurity
import LoaTestSupport
import Testing

/// Issue 5's security tests, on the real thing: commands published straight on `loa serve`'s broker to real
/// `loa receiver` processes, unsigned, signed with another key, stale (signed with the daemon's own key, two
/// minutes old) or replayed (a genuine `loa volume` command captured off the broker) are not obeyed: the
/// volume stays, forged audio is not heard, a playing announcement is not cut. Each receiver reports every one
/// on its events topic, and the daemon shows them in `loa receivers show`.
@Suite("Command security end to end", .serialized)
struct CommandSecurityTests {
    @Test func forgedStaleAndReplayedCommandsAreNotObeyedAndAreReported() async throws {
        let fixtures = try AudioFixtures("security")
        defer { fixtures.remove() }
        let tone = try fixtures.tone("chuong.wav", seconds: 4, rate: 48_000, channels: 1, frequency: 440)
        let site = try await LiveSite(label: "security")
        defer { site.shutdown() }
        let receivers = [
            try site.startReceiver("rx-dong-01", zone: "thon-dong"),
            try site.startReceiver("rx-tay-01", zone: "thon-tay"),
        ]
        let ids = receivers.map(\.id)
        try #require(await site.waitUntilOnline(ids), "receivers not online: \(receivers.map(\.process.stderr))")
        let topic = site.topics.commands(.all)
        let controllerKey = try SigningKey.load(from: "\(site.daemon.stateDirectory)/controller.key")
        let intruder = try SigningKey.loadOrCreate(at: "\(site.directory)/intruder.key")
        func rejections(_ id: String) -> [String] {
            site.events(of: id).filter { $0.kind == .commandRejected }.compactMap(\.reason)
        }
        func waitForRejections(_ count: Int) async -> Bool {
            await eventually(timeout: .seconds(15), every: .milliseconds(50)) {
                ids.allSatisfy { rejections($0).count >= count }
            }
        }
        func volumeFile(_ receiver: LiveSite.Receiver) -> String? {
            (try? String(contentsOfFile: "\(receiver.stateDirectory)/volume", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }

        // A genuine command, obeyed, and captured off the broker.
        let volume = try await site.daemon.loa(["volume", "40", "--all"])
        try #require(volume.status == 0, "\(volume.stderr)")
        let genuine = try #require(await site.command { $0.volume?.level == 40 })
        let seq = try #require(genuine.command?.seq)
        for id in ids {
            #expect(
                await site.event(of: id) { $0.kind == .commandAccepted && $0.seq == seq } != nil,
                "\(id) did not obey"
            )
        }
        // (The acceptance is reported as the command is obeyed, so the file may follow a moment later.)
        #expect(
            await eventually(timeout: .seconds(5), every: .milliseconds(20)) {
                receivers.allSatisfy { volumeFile($0) == "40" }
            }
        )

        // Volume 90, four ways, none of them the controller's.
        func volume90(seq: Int64, ts: Int64) -> ControlCommand {
            ControlCommand(site: LiveSite.site, to: .all, seq: seq, ts: ts, volume: .init(level: 90))
        }
        try site.publish(try Self.unsigned(volume90(seq: seq + 100, ts: LiveSite.now())), on: topic)
        try site.publish(
            try SignedEnvelope.seal(volume90(seq: seq + 101, ts: LiveSite.now()), with: intruder),
            on: topic
        )
        try site.publish(
            try SignedEnvelope.seal(volume90(seq: seq + 102, ts: LiveSite.now() - 120_000_000), with: controllerKey),
            on: topic
        )
        try site.publish(genuine.payload, on: topic)
        // And a session of forged audio, announced by a forged emergency `play`.
        let forgedSession = SessionID.random()
        let clip = try TestClip.tone(seconds: 1.5)
        let start = LiveSite.now() + 800_000
        let forgedPlay = ControlCommand(
            site: LiveSite.site,
            to: .all,
            seq: seq + 103,
            ts: LiveSite.now(),
            play: .init(session: forgedSession, channel: "all", start: start, priority: .emergency, title: "giả mạo")
        )
        try site.publish(try SignedEnvelope.seal(forgedPlay, with: intruder), on: topic)
        for index in stride(from: 0, to: clip.packets.count, by: 5) {
            let message = AudioMessage(
                session: forgedSession,
                site: site.topics.site,
                channel: "all",
                sequence: UInt32(index / 5),
                presentationTime: start + Int64(index) * 20_000,
                priority: .emergency,
                isLast: index + 5 >= clip.packets.count,
                packets: Array(clip.packets[index..<min(index + 5, clip.packets.count)])
            )
            try site.publish(try message.encoded(signer: intruder), on: site.topics.audio(.all), delivery: .atMostOnce)
        }
        #expect(await waitForRejections(5), "rejections: \(ids.map { rejections($0) })")
        // Proof the receivers have gone past the forged session's end without playing it: a telemetry report from
        // each, sent after that end (a receiver reports a session's start and end as they happen, before it).
        let forgedEnd = start + Int64(clip.packets.count) * 20_000
        #expect(
            await site.waitForTelemetry(of: ids, arrivedAfter: forgedEnd + 100_000),
            "no telemetry after the forged session's end"
        )
        for receiver in receivers {
            #expect(rejections(receiver.id) == ["unsigned", "bad-signature", "stale", "replayed", "bad-signature"])
            #expect(volumeFile(receiver) == "40", "\(receiver.id) changed its volume")
            #expect(site.telemetry(of: receiver.id, arrivedAfter: forgedEnd + 100_000).last?.volume == 40)
            #expect(site.telemetry(of: receiver.id).last?.playing == nil, "\(receiver.id) is playing something")
            #expect(
                !site.events(of: receiver.id).contains { $0.session == forgedSession },
                "\(receiver.id) played forged audio"
            )
        }

        // A genuine announcement that forged stops do not cut.
        let broadcast = try await site.announce(["--audio", tone, "--all", "--no-chime"])
        let play = try #require(await site.command { $0.play?.session != forgedSession && $0.play != nil })
        let session = try #require(play.command?.play?.session)
        for id in ids {
            #expect(await site.event(of: id) { $0.kind == .sessionStarted && $0.session == session } != nil)
        }
        func stopAll(seq: Int64, ts: Int64) -> ControlCommand {
            ControlCommand(site: LiveSite.site, to: .all, seq: seq, ts: ts, stop: .init(session: "*"))
        }
        try site.publish(try Self.unsigned(stopAll(seq: seq + 1_000, ts: LiveSite.now())), on: topic)
        try site.publish(
            try SignedEnvelope.seal(stopAll(seq: seq + 1_001, ts: LiveSite.now()), with: intruder),
            on: topic
        )
        try site.publish(
            try SignedEnvelope.seal(stopAll(seq: seq + 1_002, ts: LiveSite.now() - 120_000_000), with: controllerKey),
            on: topic
        )
        try site.publish(play.payload, on: topic)  // the genuine `play`, again
        let finished = await eventually(timeout: .seconds(30), every: .milliseconds(100)) {
            ids.allSatisfy { id in site.events(of: id).contains { $0.kind == .sessionFinished && $0.session == session }
            }
        }
        #expect(finished, "the genuine announcement did not play to its end everywhere")
        // Played to its end on both receivers; partial, since the sample commune's three others are not running.
        let entry = await site.waitForLogEntry(broadcast) { entry in
            entry.outcome.isFinal
                && ids.allSatisfy { id in entry.receivers?.contains { $0.receiver == id && $0.state == .played } == true
                }
        }
        #expect(entry?.outcome == .partial, "\(String(describing: entry))")
        #expect(entry?.detail?.hasPrefix("played on 2 of 5") == true, "\(String(describing: entry?.detail))")
        #expect(await waitForRejections(9))

        // The daemon shows what its receivers refused, once it has counted their `command.rejected` events.
        for id in ids {
            let refused = rejections(id)
            #expect(
                Array(refused.dropFirst(5)) == ["unsigned", "bad-signature", "stale", "replayed"],
                "\(id): \(refused)"
            )
            #expect(!site.events(of: id).contains { $0.kind == .sessionAborted }, "\(id) was cut by a forged stop")
            var shown: ReceiverDetail?
            _ = await eventually(timeout: .seconds(10), every: .milliseconds(100)) {
                let result = try? await site.daemon.loa(["receivers", "show", id, "--json"])
                shown = result.flatMap {
                    try? APICoding.decoder().decode(ReceiverDetail.self, from: Data($0.stdout.utf8))
                }
                return shown?.status.rejectedCommands == refused.count
            }
            let detail = try #require(shown, "no `loa receivers show \(id)`")
            print(
                "security: \(id) refused \(refused.count) commands (\(refused.joined(separator: ", "))); daemon counts \(detail.status.rejectedCommands)"
            )
            #expect(detail.status.rejectedCommands == refused.count)
            #expect(
                detail.status.lastRejectedCommand?.reason == "replayed"
                    && detail.status.lastRejectedCommand?.seq == play.command?.seq
            )
            let text = try await site.daemon.loa(["receivers", "show", id])
            let line = text.stdout.split(separator: "\n").first { $0.hasPrefix("rejected commands") }
            #expect(
                line?.contains("\(refused.count) (last: replayed, seq \(play.command?.seq ?? 0)") == true,
                "\(text.stdout)"
            )
        }
        #expect(
            await eventually(timeout: .seconds(5)) {
                site.daemon.process?.stderr.contains("receiver.rejected-command") == true
            }
        )
        for (id, code) in await site.stopReceivers() { #expect(code == 0, "\(id) exit \(String(describing: code))") }
        #expect(await site.daemon.stop() == 0)

        // What the loudspeakers played: the genuine announcement whole, and nothing else.
        let total = try #require(play.command?.play?.durationMs) * 48
        for receiver in receivers {
            #expect(try LiveSite.samples(receiver.output).count == total, "\(receiver.id) output length")
            #expect(try LiveSite.journal(receiver.journal).allSatisfy { $0.session == session })
        }
    }

    /// A command in an envelope with no signature.
    static func unsigned(_ command: ControlCommand) throws -> [UInt8] {
        let bytes = try JSONEncoder().encode(command)
        return Array(#"{"v":1,"command":"\#(bytes.base64EncodedString())"}"#.utf8)
    }
}
