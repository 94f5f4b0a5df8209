import LoaBroker
import LoaCore
import LoaMQTT
import Logging
import ServiceLifecycle

/// Runs and supervises the private `mosquitto` child of `--broker embedded`: if it dies it is restarted on
/// the same port (so the client reconnects on its own), with capped backoff against crash loops; it is
/// stopped last, after the controller has said goodbye on it.
struct EmbeddedBrokerService: Service {
    let broker: MosquittoBroker
    let health: DaemonHealth
    /// Raised once the broker accepts connections.
    let started: StartSignal
    let logger: Logger
    /// How often the child is checked.
    var pollInterval: Duration = .milliseconds(200)
    /// The pause before a restart. At least a second, so monitors can see the outage.
    var restartBackoff = Backoff(initial: .seconds(1), maximum: .seconds(30))

    func run() async throws {
        let broker = self.broker
        try await BlockingCall.run { try broker.start() }
        started.raise()
        logger.info("broker.started", metadata: ["broker.port": "\(broker.port)"])
        do {
            try await cancelWhenGracefulShutdown {
                var backoff = restartBackoff
                while true {
                    try await Task.sleep(for: pollInterval)
                    guard !broker.isRunning else { continue }
                    logger.error("broker.died", metadata: ["broker.port": "\(broker.port)"])
                    health.embeddedBrokerChanged(down: "embedded mosquitto exited")
                    try await Task.sleep(for: backoff.nextDelay())
                    do {
                        try await BlockingCall.run { try broker.start() }
                        backoff.reset()
                        health.embeddedBrokerChanged(down: nil, restarted: true)
                        logger.notice("broker.restarted", metadata: ["broker.port": "\(broker.port)"])
                    } catch {
                        logger.error("broker.restart-failed", metadata: ["error": "\(error)"])
                    }
                }
            }
        } catch is CancellationError {}
        await BlockingCall.run { broker.stop() }
        logger.info("broker.stopped")
    }
}
