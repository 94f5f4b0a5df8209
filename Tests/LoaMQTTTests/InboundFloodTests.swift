import Foundation
import LoaCore
import LoaMQTT
import LoaTestSupport
import Testing

/// The inbound lanes against a real mosquitto: a client with the controller's policy that does not read while
/// another client floods one receiver's telemetry keeps every event, in order, and counts the drops.
@Suite("MQTTClient's inbound lanes under a flood")
struct InboundFloodTests {
    @Test func eventsArriveWhole20000TelemetryMessagesLater() async throws {
        try await TestBroker.withBroker { broker in
            let topics = try TopicTree(site: "xa-flood-\(UUID().uuidString.prefix(6).lowercased())")
            var configuration = clientConfiguration(broker, id: "controller")
            configuration.inbound = .controller(topics)
            let controller = try await startedClient(configuration, subscribedTo: [topics.allReceivers])
            defer { controller.shutdown() }
            let flooder = try await startedClient(clientConfiguration(broker, id: "flooder"))
            defer { flooder.shutdown() }
            let receiver = try await startedClient(clientConfiguration(broker, id: "rx-dong-01"))
            defer { receiver.shutdown() }

            // Nobody reads the controller's messages while the flood and the events arrive.
            for index in 0..<20_000 {
                let report = BusMessage(topic: topics.receiverTelemetry("rx-bai-01"), text: "flood-\(index)")
                try flooder.publish(report)
                if index % 2_000 == 0 {
                    let event = BusMessage(
                        topic: topics.receiverEvents("rx-dong-01"),
                        text: "ack-\(index / 2_000)",
                        delivery: .atLeastOnce
                    )
                    try receiver.publish(event)
                }
            }
            try flooder.publish(BusMessage(topic: topics.receiverTelemetry("rx-bai-01"), text: "flood-last"))
            let arrived = await eventually(timeout: .seconds(30)) {
                controller.inboundHeld["events"] == 10 && controller.inboundDrops.byKind["telemetry", default: 0] > 0
            }
            #expect(arrived, "held \(controller.inboundHeld), dropped \(controller.inboundDrops)")

            var texts: [String] = []
            for await message in controller.messages {
                texts.append(String(decoding: message.payload, as: UTF8.self))
                if controller.inboundHeld.values.reduce(0, +) == 0 { break }
            }
            #expect(texts.filter { $0.hasPrefix("ack") } == (0..<10).map { "ack-\($0)" })
            // The lane held 4 of the flood; more may have arrived while the test read.
            #expect(texts.filter { $0.hasPrefix("flood") }.count < 1_000)
            let drops = controller.inboundDrops
            print("inbound-flood: dropped \(drops.byKind), top \(drops.topOffenders)")
            #expect(drops.byKind["events"] == 0)
            #expect(drops.topOffenders.first?.key == "rx-bai-01")
        }
    }
}
