import Foundation
import LoaCore
import LoaSecurity
import LoaTestSupport
import Testing

@testable import LoaReceiver

/// Nobody but the controller may make a loudspeaker speak: commands that are unsigned, forged, stale or
/// replayed are not obeyed and are reported; forged audio is not played.
@Suite("Receiver security on a real broker")
struct ReceiverSecurityTests {
    enum BadCommand: String, CaseIterable, Sendable {
        case unsigned, wrongKey, stale, replayed, wrongTarget, wrongSite

        var reason: CommandRejection {
            switch self {
            case .unsigned: .unsigned
            case .wrongKey: .badSignature
            case .stale: .stale
            case .replayed: .replayed
            case .wrongTarget: .wrongTarget
            case .wrongSite: .wrongSite
            }
        }
    }

    @Test(arguments: BadCommand.allCases)
    func aBadVolumeCommandIsNotObeyedAndIsReported(_ bad: BadCommand) async throws {
        try await TestBroker.withBroker { broker in
            let controller = try await TestController(broker: broker, site: uniqueSite("sec"))
            defer { controller.shutdown() }
            let receiver = try await ReceiverUnderTest(broker: broker, controller: controller, output: .none)
            defer { receiver.remove() }
            let site = controller.topics.site
            let target = TopicTree.Channel.receiver(receiver.id)

            // A good command first, so that a replay has something to replay.
            let good = ControlCommand(
                site: site,
                to: target,
                seq: controller.nextSequence(),
                ts: TestController.now(),
                volume: .init(level: 40)
            )
            let goodPayload = try SignedEnvelope.seal(good, with: controller.key)
            try controller.publishCommand(goodPayload, to: target)
            #expect(
                await controller.event(of: receiver.id) { $0.kind == .commandAccepted && $0.seq == good.seq } != nil
            )
            #expect(receiver.persistedVolume == "40")

            let seq = controller.nextSequence()
            switch bad {
            case .unsigned:
                let command = ControlCommand(
                    site: site,
                    to: target,
                    seq: seq,
                    ts: TestController.now(),
                    volume: .init(level: 90)
                )
                let bytes = try JSONEncoder().encode(command)
                let envelope = #"{"v":1,"command":"\#(bytes.base64EncodedString())"}"#
                try controller.publishCommand(Array(envelope.utf8), to: target)
            case .wrongKey:
                try controller.send(
                    ControlCommand(
                        site: site,
                        to: target,
                        seq: seq,
                        ts: TestController.now(),
                        volume: .init(level: 90)
                    ),
                    signer: try TestController.makeKey()
                )
            case .stale:
                try controller.volume(90, to: target, seq: seq, ts: TestController.now() - 120_000_000)
            case .replayed:
                try controller.publishCommand(goodPayload, to: target)
                // …and a fresh command with an old number, which must not be obeyed either.
                try controller.volume(90, to: target, seq: good.seq, ts: TestController.now())
            case .wrongTarget:
                // Signed for the zone, replayed onto this receiver's own topic.
                let payload = try SignedEnvelope.seal(
                    ControlCommand(
                        site: site,
                        to: .zone("thon-dong"),
                        seq: seq,
                        ts: TestController.now(),
                        volume: .init(level: 90)
                    ),
                    with: controller.key
                )
                try controller.publishCommand(payload, to: target)
            case .wrongSite:
                try controller.send(
                    ControlCommand(
                        site: "another-site",
                        to: target,
                        seq: seq,
                        ts: TestController.now(),
                        volume: .init(level: 90)
                    )
                )
            }

            let rejected = await controller.event(of: receiver.id) { $0.kind == .commandRejected }
            #expect(rejected?.reason == bad.reason.rawValue, "\(bad): \(String(describing: rejected))")
            if bad == .replayed {
                #expect(rejected?.seq == good.seq)
                // Two bad commands here: the second must have been handled too before its effect is ruled out.
                let both = await eventually(timeout: .seconds(10), every: .milliseconds(50)) {
                    controller.events(of: receiver.id).filter { $0.kind == .commandRejected }.count >= 2
                }
                #expect(both, "\(controller.events(of: receiver.id))")
            }
            // Still the good command's volume, in the state dir and in telemetry. The marker: a telemetry report
            // that arrives after the rejection was seen and carries it as its last error, so it was made after it.
            let reportsBefore = controller.telemetry(of: receiver.id).count
            let reported = await eventually(timeout: .seconds(5), every: .milliseconds(50)) {
                controller.telemetry(of: receiver.id).dropFirst(reportsBefore)
                    .contains { $0.lastError?.contains(bad.reason.rawValue) == true }
            }
            #expect(reported, "no telemetry after the rejection: \(controller.telemetry(of: receiver.id))")
            #expect(receiver.persistedVolume == "40")
            #expect(controller.telemetry(of: receiver.id).last?.volume == 40)
            #expect(receiver.receiver.statistics.commandsAccepted == 1)
            await receiver.stop()
        }
    }

    @Test func aRestartDoesNotForgetTheLastSequence() async throws {
        try await TestBroker.withBroker { broker in
            let controller = try await TestController(broker: broker, site: uniqueSite("restart"))
            defer { controller.shutdown() }
            let state = try TestBroker.makeTemporaryDirectory(prefix: "loa-rx-state")
            defer { try? FileManager.default.removeItem(atPath: state) }
            let target = TopicTree.Channel.receiver("rx-test")
            let command = ControlCommand(
                site: controller.topics.site,
                to: target,
                seq: 500,
                ts: TestController.now(),
                volume: .init(level: 60)
            )
            let payload = try SignedEnvelope.seal(command, with: controller.key)

            let first = try await ReceiverUnderTest(broker: broker, controller: controller, stateDirectory: state)
            try controller.publishCommand(payload, to: target)
            #expect(await controller.event(of: first.id) { $0.kind == .commandAccepted && $0.seq == 500 } != nil)
            await first.stop()
            first.remove()
            #expect(await eventually(timeout: .seconds(10)) { controller.statuses(of: "rx-test").last == .offline })

            // The same receiver comes back (a reboot) and the captured command is replayed within its 30 s.
            let second = try await ReceiverUnderTest(broker: broker, controller: controller, stateDirectory: state)
            defer { second.remove() }
            try controller.publishCommand(payload, to: target)
            let rejected = await controller.event(of: second.id) { $0.kind == .commandRejected }
            #expect(rejected?.reason == "replayed" && rejected?.seq == 500)
            await second.stop()
        }
    }

    @Test func aForgedStopDoesNotCutAndForgedAudioIsNotPlayed() async throws {
        let clip = try TestClip.tone(seconds: 2.5)
        try await TestBroker.withBroker { broker in
            let controller = try await TestController(broker: broker, site: uniqueSite("forge"))
            defer { controller.shutdown() }
            let receiver = try await ReceiverUnderTest(broker: broker, controller: controller)
            defer { receiver.remove() }
            let attacker = try TestController.makeKey()

            // Forged audio: a whole session signed with the wrong key.
            let forged = SessionID.random()
            try await controller.stream(clip, session: forged, on: .all, start: wallClock(in: 0.6), signer: attacker)

            // A genuine session, and a forged stop in the middle of it.
            let genuine = SessionID.random()
            let start = wallClock(in: 0.6)
            async let streaming: Void = controller.stream(clip, session: genuine, on: .all, start: start)
            // The forged stop comes while the genuine session is on air.
            let on = await controller.event(of: receiver.id) { $0.kind == .sessionStarted && $0.session == genuine }
            #expect(on != nil, "the genuine session never started")
            try controller.send(
                ControlCommand(
                    site: controller.topics.site,
                    to: .all,
                    seq: controller.nextSequence(),
                    ts: TestController.now(),
                    stop: .init(session: "*")
                ),
                signer: attacker
            )
            try await streaming
            let finished = await controller.event(of: receiver.id) { $0.kind == .sessionFinished }
            let refused = await controller.event(of: receiver.id) { $0.kind == .commandRejected }
            let statistics = receiver.receiver.statistics
            await receiver.stop()

            #expect(finished?.session == genuine, "the genuine session plays to its end")
            let events = controller.events(of: receiver.id)
            #expect(!events.contains { $0.session == forged })
            #expect(!events.contains { $0.kind == .sessionAborted })
            #expect(refused?.reason == "bad-signature", "\(String(describing: refused))")
            #expect(statistics.rejectedFrames == TestController.messagesCount(clip))
            #expect(try receiver.journal().allSatisfy { $0.session == genuine })
            #expect(try receiver.played().count == clip.sampleCount)
        }
    }

    /// Issue 14: 1,000 forged commands made a receiver send 1,001 `command.rejected` reports over its metered
    /// uplink. It reports a burst of 10, then 10 a minute, and says how many it left out; it still obeys the
    /// controller's next command.
    @Test func aFloodOfForgedCommandsGivesABoundedNumberOfReports() async throws {
        try await TestBroker.withBroker { broker in
            let controller = try await TestController(broker: broker, site: uniqueSite("flood"))
            defer { controller.shutdown() }
            let receiver = try await ReceiverUnderTest(broker: broker, controller: controller, output: .none)
            defer { receiver.remove() }
            let target = TopicTree.Channel.receiver(receiver.id)
            let forged = ControlCommand(
                site: controller.topics.site,
                to: target,
                seq: 1,
                ts: TestController.now(),
                volume: .init(level: 90)
            )
            let envelope = #"{"v":1,"command":"\#(try JSONEncoder().encode(forged).base64EncodedString())"}"#
            for _ in 0..<1_000 { try controller.publishCommand(Array(envelope.utf8), to: target) }
            // Commands are handled in order: once the next genuine one is obeyed, every forged one was handled.
            let good = try controller.volume(40, to: target)
            let obeyed = await controller.event(of: receiver.id) { $0.kind == .commandAccepted && $0.seq == good.seq }
            #expect(obeyed != nil, "the genuine command after the flood was not obeyed")
            let reports = controller.events(of: receiver.id).filter { $0.kind == .commandRejected }
            print("flood: 1,000 forged commands, \(reports.count) rejection reports")
            #expect((1...12).contains(reports.count), "\(reports.count) reports")
            #expect(receiver.persistedVolume == "40")
        }
    }

    @Test func theReportBudgetRefillsAndSaysHowManyItLeftOut() {
        var budget = RejectionReportBudget(burst: 2, perMinute: 6)
        let start = ContinuousClock.now
        #expect(budget.take(at: start) == (true, 0))
        #expect(budget.take(at: start) == (true, 0))
        #expect(budget.take(at: start).report == false)
        #expect(budget.take(at: start + .seconds(5)).report == false)
        // 6 a minute: one more after 10 s, saying that two were left out.
        #expect(budget.take(at: start + .seconds(10)) == (true, 2))
        #expect(budget.take(at: start + .seconds(10)).report == false)
    }
}
