import LoaCore
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps the controller's retained status its own. Anyone on the broker can publish a retained `offline` on
/// `controller/status`, and every receiver would then believe the controller gone until it reconnects; the
/// guard watches the topic and publishes the controller's birth again when what is retained is not it.
///
/// At most once per ``minimumInterval``: two controllers wrongly configured for one site would otherwise keep
/// overwriting each other as fast as the broker allows. It stops at graceful shutdown, before the broker link
/// says the controller's own goodbye, so that goodbye is never undone.
final class ControllerStatusGuard: InboundConsumer, Service, Sendable {
    let topics: TopicTree
    let bus: any MessageBus
    /// The controller's birth, as its MQTT client publishes it on every connect.
    let birth: [UInt8]
    let logger: Logger
    let lastRestored = Mutex<ContinuousClock.Instant?>(nil)
    let stopping = Atomic(false)

    static let minimumInterval: Duration = .seconds(2)

    init(topics: TopicTree, bus: any MessageBus, birth: [UInt8], logger: Logger) {
        self.topics = topics
        self.bus = bus
        self.birth = birth
        self.logger = logger
    }

    var subscription: TopicFilter { topics.controllerStatusFilter }

    /// Guards until graceful shutdown.
    func run() async {
        try? await gracefulShutdown()
        stopping.store(true, ordering: .sequentiallyConsistent)
    }

    func receive(_ message: BusMessage) {
        guard message.topic == topics.controllerStatus, message.payload != birth,
            !stopping.load(ordering: .sequentiallyConsistent)
        else { return }
        let now = ContinuousClock.now
        let due = lastRestored.withLock { last in
            guard last.map({ now - $0 >= Self.minimumInterval }) ?? true else { return false }
            last = now
            return true
        }
        guard due else { return }
        logger.warning(
            "controller.status-overwritten",
            metadata: [
                "bytes": "\(message.payload.count)", "fix": "a client on the broker publishes as the controller",
            ]
        )
        try? bus.publish(
            BusMessage(topic: topics.controllerStatus, payload: birth, delivery: .atLeastOnce, retain: true)
        )
    }
}
