import Foundation
import LoaCore
import LoaReceiver
import LoaSecurity
import LoaTestSupport
import Testing

/// `--simulate N`: many receivers in one process, each its own MQTT connection, with ids and zones from
/// receivers.yaml or generated.
@Suite("Simulated receivers on a real broker", .serialized)
struct ReceiverSimulationTests {
    @Test func simulatedReceiversEachPlayTheSessionInVirtualTime() async throws {
        let clip = try TestClip.tone(seconds: 3)
        try await TestBroker.withBroker { broker in
            let controller = try await TestController(broker: broker, site: uniqueSite("sim"))
            defer { controller.shutdown() }
            let directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-sim")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let configuration = try ReceiverConfiguration.resolve(arguments: [
                "--broker", "mqtt://127.0.0.1:\(broker.port)", "--site", controller.topics.site, "--simulate", "20",
                "--zone", "thon-dong,thon-tay", "--controller-key", controller.publicKeyText,
                "--state-dir", "\(directory)/state", "--telemetry-interval", "2",
            ])
            #expect(configuration.receivers.map(\.id).prefix(2) == ["sim-0001", "sim-0002"])
            #expect(configuration.receivers.map(\.zone).prefix(2) == ["thon-dong", "thon-tay"])
            #expect(configuration.output == .none)
            let fleet = try ReceiverFleet(configuration: configuration, logger: TestBroker.logger("loa.test.sim"))
            let running = Task { await fleet.runReceivers() }
            for receiver in configuration.receivers {
                #expect(await controller.waitUntilOnline(receiver.id))
            }

            // One session to one zone: only its ten receivers play it.
            let session = SessionID.random()
            let start = wallClock(in: 1)
            try controller.play(session, on: .zone("thon-tay"), to: .zone("thon-tay"), start: start)
            try await controller.stream(clip, session: session, on: .zone("thon-tay"), start: start)
            let players = configuration.receivers.filter { $0.zone == "thon-tay" }.map(\.id)
            for id in players {
                let finished = await controller.event(of: id) { $0.kind == .sessionFinished }
                #expect(finished?.session == session && finished?.underruns == 0 && finished?.concealed == 0, "\(id)")
            }
            // Negative check; the marker is the players' `session.finished`: an idle receiver that wrongly
            // played would have published its `session.started` seconds before that.
            let idle = configuration.receivers.filter { $0.zone == "thon-dong" }.map(\.id)
            #expect(idle.allSatisfy { controller.events(of: $0).isEmpty })
            #expect(await eventually(timeout: .seconds(10)) { controller.telemetry(of: "sim-0020").count >= 1 })
            let statistics = fleet.receivers.filter { players.contains($0.identity.id) }.map(\.statistics)
            #expect(statistics.allSatisfy { $0.playedPackets == clip.packets.count && $0.rejectedFrames == 0 })
            #expect(
                statistics.allSatisfy { $0.sessionsStarted == 1 && $0.sessionsFinished == 1 && $0.sessionsAborted == 0 }
            )
            let idleStatistics = fleet.receivers.filter { !players.contains($0.identity.id) }.map(\.statistics)
            #expect(idleStatistics.allSatisfy { $0.sessionsStarted == 0 && $0.sessionsFinished == 0 })
            running.cancel()
            await running.value
            // Each receiver's goodbye `offline` is on its way through the broker when the fleet returns.
            let offline = await eventually(timeout: .seconds(10), every: .milliseconds(50)) {
                configuration.receivers.allSatisfy { controller.statuses(of: $0.id).last == .offline }
            }
            let notOffline = configuration.receivers.map(\.id).filter { controller.statuses(of: $0).last != .offline }
            #expect(offline, "not offline: \(notOffline)")
        }
    }

    @Test func simulatedReceiversFromTheReceiversFileWriteTheirOwnWAVs() async throws {
        let clip = try TestClip.tone(seconds: 2)
        try await TestBroker.withBroker { broker in
            let controller = try await TestController(broker: broker, site: uniqueSite("simwav"))
            defer { controller.shutdown() }
            let directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-sim")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let configuration = try ReceiverConfiguration.resolve(arguments: [
                "--broker", "mqtt://127.0.0.1:\(broker.port)", "--site", controller.topics.site, "--simulate", "3",
                "--receivers-file", DaemonUnderTest.sampleDeviceConfigs + "/receivers.yaml",
                "--output-dir", "\(directory)/out", "--controller-key", controller.publicKeyText,
                "--state-dir", "\(directory)/state", "--playout-journal", "\(directory)/journal.jsonl",
            ])
            #expect(configuration.receivers.map(\.id) == ["rx-dong-01", "rx-dong-02", "rx-tay-01"])
            let fleet = try ReceiverFleet(configuration: configuration, logger: TestBroker.logger("loa.test.sim"))
            let running = Task { await fleet.runReceivers() }
            for receiver in configuration.receivers {
                #expect(await controller.waitUntilOnline(receiver.id))
            }
            let session = SessionID.random()
            let start = wallClock(in: 1)
            try await controller.stream(clip, session: session, on: .all, start: start)
            for receiver in configuration.receivers {
                #expect(await controller.event(of: receiver.id) { $0.kind == .sessionFinished } != nil)
            }
            running.cancel()
            await running.value

            for receiver in configuration.receivers {
                let wav = try WAVAudio(
                    parsing: Data(contentsOf: URL(fileURLWithPath: "\(directory)/out/\(receiver.id).wav"))
                )
                #expect(wav.samples.count == clip.sampleCount, "\(receiver.id)")
            }
            let journal = try String(contentsOfFile: "\(directory)/journal.jsonl", encoding: .utf8)
                .split(separator: "\n").map { try JSONDecoder().decode(PlayoutJournalEntry.self, from: Data($0.utf8)) }
            #expect(Set(journal.map(\.player)) == Set(configuration.receivers.map(\.id)))
            #expect(journal.count == 3 * TestController.messagesCount(clip))
            print("simulated receivers' sync (3 paced WAVs): \(SyncFigures(journal))")
        }
    }
}
