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
    let logger: Logger

    func run() async throws {
        try client.start()
        await cancelWhenGracefulShutdown {
            for await state in client.stateChanges {
                health.brokerConnectionChanged(state)
                switch state {
                case .connected: logger.info("mqtt.connected")
                case .connecting: logger.debug("mqtt.connecting")
                case .disconnected(let reason): logger.warning("mqtt.disconnected", metadata: ["mqtt.reason": "\(reason)"])
                }
            }
        }
        let offline = BusMessage(
            topic: topics.controllerStatus, payload: AvailabilityStatus(state: .offline, version: LoaVersion.current).encoded(),
            delivery: .atLeastOnce, retain: true)
        client.shutdown(publishing: offline)
        health.brokerConnectionChanged(.disconnected(reason: "stopped"))
    }
}
