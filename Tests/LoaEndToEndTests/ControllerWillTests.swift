import Foundation
import LoaBroker
import LoaCore
import LoaMQTT
import LoaTestSupport
import Testing

/// The controller's availability as receivers see it: online while it runs, offline by its last will when
/// it dies, and offline by its own word when it stops cleanly.
@Suite("Controller availability on a real broker")
struct ControllerWillTests {
    func statuses(
        on broker: MosquittoBroker,
        site: String
    ) async throws -> (MQTTClient, Task<[AvailabilityStatus.State], Never>) {
        let client = try MQTTClient(
            configuration: MQTTConfiguration(
                host: "127.0.0.1",
                port: broker.port,
                clientID: "watcher-\(UUID().uuidString.prefix(6))"
            ),
            logger: TestBroker.logger("watcher")
        )
        try client.start()
        #expect(await client.waitUntilConnected(timeout: .seconds(10)))
        try client.subscribe(to: try TopicTree(site: site).controllerStatus, delivery: .atLeastOnce)
        let collected = Task {
            var states: [AvailabilityStatus.State] = []
            for await message in client.messages {
                if let status = try? AvailabilityStatus(decoding: message.payload) { states.append(status.state) }
                if states.last == .offline { break }
            }
            return states
        }
        return (client, collected)
    }

    @Test(arguments: [SIGKILL, SIGTERM])
    func offlineIsPublishedWhenTheDaemonDies(_ signal: Int32) async throws {
        try await TestBroker.withBroker { broker in
            let site = "xa-thu-\(signal)"
            let (client, collected) = try await statuses(on: broker, site: site)
            defer { client.shutdown() }
            let daemon = try await DaemonUnderTest(
                arguments: ["--broker", "mqtt://127.0.0.1:\(broker.port)", "--site", site, "--audio-device", "null"])
            _ = await daemon.stop(signal: signal)
            let states = await withTaskGroup(of: [AvailabilityStatus.State]?.self) { group in
                group.addTask { await collected.value }
                group.addTask {
                    try? await Task.sleep(for: .seconds(15))
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                collected.cancel()
                return first
            }
            #expect(states?.first == .online)
            #expect(states?.last == .offline, "no offline status after signal \(signal): \(states ?? [])")
        }
    }

    /// Issue 14: anyone on the broker could overwrite the controller's retained `online` with `offline`, and it
    /// was never restored. The controller publishes its status again.
    @Test func anOverwrittenStatusIsRestored() async throws {
        try await TestBroker.withBroker { broker in
            let site = "xa-ghi-de"
            let daemon = try await DaemonUnderTest(
                arguments: ["--broker", "mqtt://127.0.0.1:\(broker.port)", "--site", site, "--audio-device", "null"])
            let topic = try TopicTree(site: site).controllerStatus
            let intruder = try MQTTClient(
                configuration: MQTTConfiguration(host: "127.0.0.1", port: broker.port, clientID: "intruder"),
                logger: TestBroker.logger("intruder")
            )
            defer { intruder.shutdown() }
            try intruder.start()
            #expect(await intruder.waitUntilConnected(timeout: .seconds(10)))
            try intruder.publish(
                BusMessage(
                    topic: topic,
                    payload: AvailabilityStatus(state: .offline, version: "0.1.0").encoded(),
                    delivery: .atLeastOnce,
                    retain: true
                )
            )
            // What a receiver connecting now is told: online again, shortly.
            let restored = await eventually(timeout: .seconds(10), every: .milliseconds(200)) {
                guard let (client, collected) = try? await statuses(on: broker, site: site) else { return false }
                defer { client.shutdown() }
                try? await Task.sleep(for: .milliseconds(300))
                collected.cancel()
                return await collected.value.first == .online
            }
            #expect(restored, "the retained status stayed offline")
            #expect(daemon.process?.stderr.contains("controller.status-overwritten") == true)
            #expect(await daemon.stop() == 0)
        }
    }
}
