import Foundation
import LoaCore
import LoaMQTT
import LoaTestSupport
import Testing

@Suite("MQTTClient against a real mosquitto")
struct MQTTClientTests {
    @Test("4 KB binary payload makes a byte-exact round trip", arguments: [DeliveryGuarantee.atMostOnce, .atLeastOnce])
    func binaryRoundTrip(delivery: DeliveryGuarantee) async throws {
        #expect(Set(binaryPayload).count == 256)
        try await TestBroker.withBroker { broker in
            let topic = uniqueTopic("audio")
            let receiver = try await startedClient(
                clientConfiguration(broker, id: "receiver"),
                subscribedTo: [topic],
                delivery: delivery
            )
            defer { receiver.shutdown() }
            let received = Recorder(receiver.messages)
            let sender = try await startedClient(clientConfiguration(broker, id: "sender"))
            defer { sender.shutdown() }

            try sender.publish(BusMessage(topic: topic, payload: binaryPayload, delivery: delivery))

            let message = try #require(await received.first { $0.topic == topic })
            #expect(message.payload == binaryPayload)
            #expect(message.delivery == delivery)
            #expect(message.retain == false)
        }
    }

    @Test("after a broker restart on the same port the client reconnects and its subscriptions work again")
    func reconnectRestoresSubscriptions() async throws {
        try await TestBroker.withBroker { broker in
            let topic = uniqueTopic("control")
            let port = broker.port
            let subscriber = try await startedClient(
                clientConfiguration(broker, id: "subscriber"),
                subscribedTo: [topic]
            )
            defer { subscriber.shutdown() }
            let received = Recorder(subscriber.messages)
            let states = Recorder(subscriber.stateChanges)
            let publisher = try await startedClient(clientConfiguration(broker, id: "publisher"))
            defer { publisher.shutdown() }

            broker.stop()
            #expect(
                await eventually { !subscriber.connectionState.isConnected && !publisher.connectionState.isConnected }
            )
            // QoS 1 while the link is down: libmosquitto queues it and sends it after the reconnect. Retained,
            // so that it reaches the subscriber whichever client reconnects first.
            try publisher.publish(BusMessage(topic: topic, text: "queued", delivery: .atLeastOnce, retain: true))
            // QoS 0 while the link is down is dropped without an error.
            try publisher.publish(BusMessage(topic: topic, text: "dropped", delivery: .atMostOnce))

            try broker.start()
            #expect(broker.port == port)
            #expect(await subscriber.waitUntilConnected(timeout: .seconds(20)))
            #expect(await publisher.waitUntilConnected(timeout: .seconds(20)))

            #expect(await received.first { $0.payload == Array("queued".utf8) } != nil)
            try publisher.publish(BusMessage(topic: topic, text: "after restart", delivery: .atLeastOnce))
            #expect(await received.first { $0.payload == Array("after restart".utf8) } != nil)
            #expect(!received.all.contains { $0.payload == Array("dropped".utf8) })

            // The state stream is read by the recorder's own task: wait for it to have the reconnect.
            let reconnected = await eventually {
                let transitions = states.all
                guard let lost = transitions.firstIndex(where: { if case .disconnected = $0 { true } else { false } })
                else { return false }
                return transitions[lost...].contains(.connected)
            }
            #expect(reconnected, "\(states.all)")
        }
    }

    @Test("the birth message is retained on connect; shutdown publishes the final message and no will")
    func birthAndCleanShutdown() async throws {
        try await TestBroker.withBroker { broker in
            let status = uniqueTopic("status")
            let observer = try await startedClient(clientConfiguration(broker, id: "observer"), subscribedTo: [status])
            defer { observer.shutdown() }
            let seen = Recorder(observer.messages)

            let controller = try await startedClient(
                clientConfiguration(
                    broker,
                    id: "controller",
                    birth: BusMessage(topic: status, text: "online", delivery: .atLeastOnce, retain: true),
                    will: BusMessage(topic: status, text: "lost", delivery: .atLeastOnce, retain: true)
                )
            )
            let controllerMessages = Recorder(controller.messages)
            #expect(await seen.first { $0.payload == Array("online".utf8) } != nil)

            // A client that subscribes later gets the birth message as the retained value.
            let late = try await startedClient(clientConfiguration(broker, id: "late"), subscribedTo: [status])
            let retained = try #require(await Recorder(late.messages).first { $0.topic == status })
            #expect(retained.payload == Array("online".utf8))
            #expect(retained.retain)
            late.shutdown()

            controller.shutdown(
                publishing: BusMessage(topic: status, text: "offline", delivery: .atLeastOnce, retain: true)
            )
            #expect(controller.connectionState == .disconnected(reason: "shut down"))
            #expect(await controllerMessages.finished())
            controller.shutdown()  // idempotent
            #expect(await seen.first { $0.payload == Array("offline".utf8) } != nil)

            // Negative check. The markers: a later message on the same topic, then a whole new client's connect,
            // subscribe and retained delivery; the broker handled the controller's disconnect (and would have
            // published a will) long before those.
            try observer.publish(BusMessage(topic: status, text: "sentinel", delivery: .atLeastOnce))
            #expect(await seen.first { $0.payload == Array("sentinel".utf8) } != nil)

            // And the retained status is the final message, not the (retained) will.
            let checker = try await startedClient(clientConfiguration(broker, id: "checker"), subscribedTo: [status])
            defer { checker.shutdown() }
            let current = try #require(await Recorder(checker.messages).first { $0.topic == status })
            #expect(current.payload == Array("offline".utf8))
            #expect(!seen.all.contains { $0.payload == Array("lost".utf8) })
        }
    }

    @Test("the client's own will is published when its connection dies without DISCONNECT")
    func ownWillOnAbruptLoss() async throws {
        try await TestBroker.withBroker { broker in
            let status = uniqueTopic("status")
            let observer = try await startedClient(clientConfiguration(broker, id: "observer"), subscribedTo: [status])
            defer { observer.shutdown() }
            let seen = Recorder(observer.messages)
            let client = try await startedClient(
                clientConfiguration(
                    broker,
                    id: "dying",
                    will: BusMessage(topic: status, text: "lost", delivery: .atLeastOnce)
                )
            )
            defer { client.shutdown() }
            let states = Recorder(client.stateChanges)

            client.abortConnectionForTesting()

            #expect(await seen.first { $0.payload == Array("lost".utf8) } != nil)
            // The client notices the loss and reconnects by itself.
            #expect(await eventually { states.all.contains { if case .disconnected = $0 { true } else { false } } })
            #expect(await client.waitUntilConnected(timeout: .seconds(15)))
        }
    }

    @Test("a publisher killed with SIGKILL has its last will delivered to an MQTTClient")
    func lastWillOfKilledProcess() async throws {
        try await TestBroker.withBroker { broker in
            let willTopic = uniqueTopic("will")
            let readyTopic = uniqueTopic("ready")
            let observer = try await startedClient(
                clientConfiguration(broker, id: "observer"),
                subscribedTo: [willTopic, readyTopic]
            )
            defer { observer.shutdown() }
            let seen = Recorder(observer.messages)
            // A retained message the child prints once it is subscribed, i.e. connected with its will set.
            try observer.publish(BusMessage(topic: readyTopic, text: "ready", delivery: .atLeastOnce, retain: true))
            #expect(await seen.first { $0.topic == readyTopic } != nil)

            let directory = try TestBroker.makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let output = directory + "/mosquitto_sub.out"
            _ = FileManager.default.createFile(atPath: output, contents: nil)
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/usr/bin/mosquitto_sub")
            child.arguments = [
                "-h", "127.0.0.1", "-p", "\(broker.port)", "-V", "mqttv5", "-i",
                "killed-\(UUID().uuidString.prefix(8))",
                "-t", readyTopic, "--will-topic", willTopic, "--will-payload", "gone", "--will-qos", "1",
            ]
            child.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            child.standardError = child.standardOutput
            try child.run()
            defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }

            let ready = await eventually {
                (try? String(contentsOfFile: output, encoding: .utf8))?.contains("ready") == true
            }
            try #require(
                ready,
                "mosquitto_sub never connected: \((try? String(contentsOfFile: output, encoding: .utf8)) ?? "")"
            )
            #expect(kill(child.processIdentifier, SIGKILL) == 0)

            let will = try #require(await seen.first { $0.topic == willTopic })
            #expect(will.payload == Array("gone".utf8))
        }
    }
}
