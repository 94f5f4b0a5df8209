import LoaCore
import LoaMQTT
import Logging
import ServiceLifecycle

/// The controller's link to the broker. It announces the controller online (retained birth, `offline` as
/// its will), keeps the health report current, and on a graceful stop publishes `offline` itself before a
/// clean disconnect, so monitors see the difference between a stop and a crash only in timing, never in state.
struct BrokerConnectionService: Service {
    let client: MQTTClient
    let topics: TopicTree
    let health: DaemonHealth
    /// Every consumer of arriving messages; each gets what its own filter matches. The client restores the
    /// subscriptions after every reconnect.
    let inbound: InboundRouter
    /// For the embedded broker: resolves once the child is up, so the first attempt does not fail.
    var brokerStarted: (@Sendable () async -> Void)?
    let logger: Logger

    func run() async throws {
        await brokerStarted?()
        try client.start()
        for filter in inbound.subscriptions {
            try client.subscribe(to: filter.text, delivery: .atLeastOnce)
        }
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await watchState() }
                group.addTask { await route() }
            }
        }
        let offline = BusMessage(
            topic: topics.controllerStatus,
            payload: AvailabilityStatus(state: .offline, version: LoaVersion.current).encoded(),
            delivery: .atLeastOnce,
            retain: true
        )
        let client = self.client
        await BlockingCall.run { client.shutdown(publishing: offline) }
        health.brokerConnectionChanged(.disconnected(reason: "stopped"))
    }

    func route() async {
        for await message in client.messages {
            if Task.isCancelled { return }
            inbound.route(message)
        }
    }

    func watchState() async {
        for await state in client.stateChanges {
            health.brokerConnectionChanged(state)
            switch state {
            // The client logs the connection itself (`mqtt.connected`, with the broker and subscriptions).
            case .connected: break
            case .connecting: logger.debug("mqtt.connecting")
            case .disconnected(let reason): logger.warning("mqtt.disconnected", metadata: ["mqtt.reason": "\(reason)"])
            }
        }
    }
}
