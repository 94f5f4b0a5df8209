import Foundation
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
}
