import Foundation
import LoaCore
import LoaMQTT
import LoaTestSupport
import Testing

@testable import LoaReceiver

/// Issue 14: a signed announcement for one hamlet, copied live onto another hamlet's audio topic, played there in
/// full. Audio messages now name their site and channel inside the signed bytes (protocol v1 draft 7).
@Suite("Audio bound to its site and channel, on a real broker")
struct AudioBindingTests {
    @Test func aSessionCopiedLiveOntoAnotherZonesTopicPlaysNothingThere() async throws {
        let clip = try TestClip.tone(seconds: 2)
        try await TestBroker.withBroker { broker in
            let controller = try await TestController(broker: broker, site: uniqueSite("reaim"))
            defer { controller.shutdown() }
            let dong = try await ReceiverUnderTest(broker: broker, controller: controller, id: "rx-dong", zone: "dong")
            defer { dong.remove() }
            let tay = try await ReceiverUnderTest(
                broker: broker,
                controller: controller,
                id: "rx-tay",
                zone: "tay",
                output: .null
            )
            defer { tay.remove() }

            // The attacker: a client on the broker that republishes zone dong's audio, as it arrives, on zone tay's.
            let relay = try MQTTClient(
                configuration: MQTTConfiguration(host: "127.0.0.1", port: broker.port, clientID: "relay"),
                logger: TestBroker.logger("loa.test.relay")
            )
            defer { relay.shutdown() }
            let (from, to) = (controller.topics.audio(.zone("dong")), controller.topics.audio(.zone("tay")))
            try relay.subscribe(to: from, delivery: .atMostOnce)
            try relay.start()
            #expect(await relay.waitUntilConnected(timeout: .seconds(20)))
            let relayed = Task {
                var count = 0
                for await message in relay.messages where message.topic == from {
                    try? relay.publish(BusMessage(topic: to, payload: message.payload, delivery: .atMostOnce))
                    count += 1
                }
                return count
            }
            defer { relayed.cancel() }
            // The relay's subscription is in place once a message published after it comes back.
            #expect(
                await eventually(timeout: .seconds(10)) {
                    try? relay.publish(BusMessage(topic: from, payload: [0], delivery: .atMostOnce))
                    return tay.receiver.statistics.audioMessages > 0
                },
                "the relay never forwarded"
            )
            let before = tay.receiver.statistics

            let session = SessionID.random()
            let start = wallClock(in: 0.8)
            try controller.play(session, on: .zone("dong"), to: .zone("dong"), start: start)
            try await controller.stream(clip, session: session, on: .zone("dong"), start: start)
            let finished = await controller.event(of: dong.id) { $0.kind == .sessionFinished && $0.session == session }
            #expect(finished != nil, "the genuine session did not finish on its own zone")
            let messages = TestController.messagesCount(clip)
            let refused = await eventually(timeout: .seconds(10)) {
                tay.receiver.statistics.wrongTargetFrames - before.wrongTargetFrames == messages
            }
            let statistics = tay.receiver.statistics
            #expect(refused, "wrong-target refusals: \(statistics.wrongTargetFrames), sent: \(messages)")
            #expect(statistics.playedPackets == 0)
            #expect(statistics.sessionsStarted == 0)
            #expect(dong.receiver.statistics.wrongTargetFrames == 0)
            await tay.stop()
            await dong.stop()
            #expect(!controller.events(of: tay.id).contains { $0.session == session })
            #expect(try tay.journal().isEmpty)
            #expect(try dong.journal().allSatisfy { $0.session == session })
            #expect(try dong.played().count == clip.sampleCount)
        }
    }

    /// The same signed session streamed on the receiver's own topics, but for another channel than its `play`
    /// named, or for another site, is refused too.
    @Test func audioSignedForAnotherChannelOrSiteIsRefused() async throws {
        let clip = try TestClip.tone(seconds: 1)
        try await TestBroker.withBroker { broker in
            let controller = try await TestController(broker: broker, site: uniqueSite("bound"))
            defer { controller.shutdown() }
            let receiver = try await ReceiverUnderTest(
                broker: broker,
                controller: controller,
                id: "rx-dong",
                zone: "dong",
                output: .null
            )
            defer { receiver.remove() }
            let messages = TestController.messagesCount(clip)

            // Signed for `all`, published on zone dong's topic.
            try await controller.stream(
                clip,
                session: .random(),
                on: .zone("dong"),
                start: wallClock(in: 0.5),
                boundTo: .all
            )
            // Announced on zone dong, streamed (signed, bound) on `all`.
            let announced = SessionID.random()
            let start = wallClock(in: 0.5)
            try controller.play(announced, on: .zone("dong"), to: .zone("dong"), start: start)
            try await controller.stream(clip, session: announced, on: .all, start: start)
            // Signed for another site.
            var foreign = controller.messages(clip, session: .random(), start: wallClock(in: 0.5), channel: .all)
            for index in foreign.indices { foreign[index].site = "xa-khac" }
            for message in foreign { try controller.publishAudio(message, on: .all) }

            #expect(
                await eventually(timeout: .seconds(10)) {
                    receiver.receiver.statistics.wrongTargetFrames == 3 * messages
                },
                "wrong-target refusals: \(receiver.receiver.statistics.wrongTargetFrames), sent: \(3 * messages)"
            )
            await receiver.stop()
            let statistics = receiver.receiver.statistics
            #expect(statistics.playedPackets == 0 && statistics.sessionsStarted == 0)
        }
    }
}
