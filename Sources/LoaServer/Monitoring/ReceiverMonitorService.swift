import Foundation
import LoaCore
import Logging
import ServiceLifecycle
import Synchronization

/// The receiver status monitor in `loa serve`: feeds the core `ReceiverMonitor` from the bus, ticks its
/// silence timeout, stores transitions, sends alerts (log, `{root}/alerts`, webhook), keeps the health
/// report's receiver counts current, answers the API, and takes new inventories and `monitoring.yaml` from
/// the daemon's one reload.
///
/// The bus handler (`handle`) only updates state in memory; storing and sending happen on the service's
/// own tasks, so a slow disk or webhook never holds up the bus.
public final class ReceiverMonitorService: Service, ReceiverMonitoring, InboundConsumer, DeviceConfigsConsumer,
    Sendable
{
    let monitor: Mutex<ReceiverMonitor>
    let settings: Mutex<MonitoringSettings>
    let topics: TopicTree
    let bus: any MessageBus
    let store: (any ReceiverHistoryStoring)?
    let clock: any WallClock
    let onCounts: @Sendable (ReceiverCounts) -> Void
    let webhook: WebhookSender
    /// The controller's key: every alert on `{root}/alerts` is signed, so a subscriber can tell a forged one.
    let signer: any MessageSigning
    let logger: Logger
    /// Transitions waiting to be stored, and the doorbell that wakes the writer.
    let unsaved = Mutex<[ReceiverTransition]>([])
    let doorbell: AsyncStream<Void>
    let ring: AsyncStream<Void>.Continuation
    /// How often the silence timeout and the alert debounce are checked.
    let tickInterval: TimeInterval
    /// Transitions older than this are pruned from the store (availability needs 30 days).
    static let retention: TimeInterval = 35 * 86_400

    /// - Parameters:
    ///   - store: where transitions go; nil keeps history in memory only (tests).
    ///   - onCounts: told the inventory's counts whenever they may have changed (the health report).
    public init(
        topics: TopicTree,
        inventory: SiteInventory,
        settings: MonitoringSettings,
        bus: any MessageBus,
        store: (any ReceiverHistoryStoring)?,
        clock: any WallClock,
        signer: any MessageSigning,
        tickInterval: TimeInterval = 1,
        logger: Logger,
        onCounts: @escaping @Sendable (ReceiverCounts) -> Void = { _ in }
    ) {
        var core = ReceiverMonitor(topics: topics, inventory: inventory, configuration: settings.monitor)
        let now = clock.now()
        if let store {
            do {
                core.restore(try store.latestReceiverTransitions(), at: now)
            } catch {
                logger.error("monitor.restore-failed", metadata: ["error": "\(error)"])
            }
        }
        self.monitor = Mutex(core)
        self.settings = Mutex(settings)
        self.topics = topics
        self.bus = bus
        self.store = store
        self.clock = clock
        self.onCounts = onCounts
        self.tickInterval = tickInterval
        self.logger = logger
        self.signer = signer
        self.webhook = WebhookSender(settings: settings.webhook, signer: signer, logger: logger)
        (doorbell, ring) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        onCounts(core.counts())
    }

    /// The subscription that feeds it: every receiver's status, telemetry and events.
    public var subscription: TopicFilter { topics.allReceiversFilter }

    /// Takes a receiver's message from the bus.
    public func receive(_ message: BusMessage) {
        let now = clock.now()
        guard let output = monitor.withLock({ $0.receive(message, at: now) }) else { return }
        carryOut(output)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.tickLoop() }
                group.addTask { await self.storeLoop() }
                group.addTask { await self.webhook.run() }
            }
        }
        // Whatever is still unsaved goes to the store before the daemon stops.
        saveUnsaved()
        webhook.finish()
    }

    // MARK: - Effects

    func carryOut(_ output: MonitorOutput) {
        for notice in output.notices {
            logger.warning(
                "receiver.bad-input",
                metadata: [
                    "receiver.source": "\(notice.source)", "problem": "\(notice.problem.rawValue)",
                    "detail": "\(notice.detail)",
                ]
            )
        }
        if !output.transitions.isEmpty {
            for transition in output.transitions {
                logger.info(
                    "receiver.state",
                    metadata: [
                        "receiver.id": "\(transition.receiver)", "state.from": "\(transition.from.rawValue)",
                        "state.to": "\(transition.to.rawValue)", "detail": "\(transition.detail ?? "")",
                    ]
                )
            }
            unsaved.withLock { $0 += output.transitions }
            ring.yield()
        }
        for alert in output.alerts { send(alert) }
    }

    func send(_ alert: ReceiverAlert) {
        let level: Logger.Level = alert.severity == .ok ? .notice : (alert.severity == .warning ? .warning : .error)
        logger.log(
            level: level,
            "receiver.alert",
            metadata: [
                "alert.kind": "\(alert.kind.rawValue)", "alert.id": "\(alert.id)", "alert.count": "\(alert.count)",
                "alert.suppressed": "\(alert.suppressed)", "alert.summary": "\(alert.summary)",
            ]
        )
        deliver(alert)
    }

    /// Publishes an alert on `{root}/alerts`, signed (when the site wants it), and hands it to the webhook.
    func deliver(_ alert: ReceiverAlert) {
        if settings.withLock({ $0.publishAlerts }) {
            do {
                let payload = try SignedAlert.seal(alert, with: signer)
                try bus.publish(BusMessage(topic: topics.alerts, payload: payload, delivery: .atLeastOnce))
            } catch {
                logger.warning("alert.publish-failed", metadata: ["alert.id": "\(alert.id)", "error": "\(error)"])
            }
        }
        webhook.enqueue(alert)
    }

    func tickLoop() async {
        var lastPrune: Date?
        while !Task.isCancelled {
            do { try await clock.sleep(until: clock.now().addingTimeInterval(tickInterval)) } catch { return }
            tick()
            let now = clock.now()
            if let store, lastPrune.map({ now.timeIntervalSince($0) > 3600 }) ?? true {
                lastPrune = now
                do { try store.pruneReceiverTransitions(before: now.addingTimeInterval(-Self.retention)) } catch {
                    logger.warning("monitor.prune-failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// One step of the silence timeout and the alert debounce.
    func tick() {
        let now = clock.now()
        let connected = bus.connectionState.isConnected
        let output = monitor.withLock { monitor in
            if monitor.isBusConnected != connected { monitor.busConnectionChanged(connected: connected, at: now) }
            return monitor.tick(at: now)
        }
        carryOut(output)
    }

    func storeLoop() async {
        for await _ in doorbell {
            saveUnsaved()
        }
    }

    /// Stores every unsaved transition in one transaction and updates the health report's counts.
    func saveUnsaved() {
        let batch = unsaved.withLock { pending in
            defer { pending = [] }
            return pending
        }
        onCounts(monitor.withLock { $0.counts() })
        guard !batch.isEmpty, let store else { return }
        do {
            try store.recordReceiverTransitions(batch)
        } catch {
            logger.error("monitor.store-failed", metadata: ["error": "\(error)", "transitions": "\(batch.count)"])
        }
    }

    /// Takes a new `device-configs/` from the reload: its inventory and `monitoring.yaml` at once.
    func apply(_ configs: DeviceConfigs) async throws {
        apply(inventory: configs.inventory, settings: configs.monitoring)
    }

    /// Takes a new inventory and settings at once.
    public func apply(inventory: SiteInventory, settings: MonitoringSettings) {
        let now = clock.now()
        self.settings.withLock { $0 = settings }
        webhook.update(settings.webhook)
        let output = monitor.withLock { $0.reconfigure(inventory: inventory, configuration: settings.monitor, at: now) }
        carryOut(output)
        ring.yield()
    }

    // MARK: - Reading

    public func receivers(zone: String?, filter: ReceiverFilter?) async throws(OperationError) -> [ReceiverStatus] {
        try monitor.withLock { monitor throws(OperationError) in
            var zoneID: String?
            if let zone {  // its id or its name
                do throws(ConfigurationError) { zoneID = try monitor.inventory.zoneID(named: zone) } catch {
                    throw OperationError(.invalid, error.description)
                }
            }
            return monitor.statuses(zone: zoneID, filter: filter)
        }
    }

    public func receiver(id: String) async throws(OperationError) -> ReceiverDetail {
        guard let status = monitor.withLock({ $0.status(of: id) }) else {
            throw OperationError(.notFound, "receiver '\(id)' is not known; `loa receivers` lists them")
        }
        let now = clock.now()
        guard let store else { return ReceiverDetail(status: status, availability: AvailabilityFigures(), history: []) }
        saveUnsaved()
        do {
            func share(days: Double) throws -> Double? {
                let window = DateInterval(start: now.addingTimeInterval(-days * 86_400), end: now)
                return Availability.share(
                    before: try store.receiverTransition(receiver: id, before: window.start),
                    transitions: try store.receiverTransitions(receiver: id, since: window.start, limit: 500_000),
                    window: window
                )
            }
            let availability = AvailabilityFigures(
                day: try share(days: 1),
                week: try share(days: 7),
                month: try share(days: 30)
            )
            let history = try store.recentReceiverTransitions(receiver: id, limit: 50)
            return ReceiverDetail(status: status, availability: availability, history: history)
        } catch {
            throw OperationError(.unavailable, "the store cannot be read: \(error)")
        }
    }

    public func availability(during window: DateInterval) async throws(OperationError) -> [String: Double] {
        guard let store else { return [:] }
        saveUnsaved()
        do {
            let (before, during) = try store.receiverTransitions(during: window)
            var shares: [String: Double] = [:]
            for id in Set(before.keys).union(during.keys) {
                shares[id] = Availability.share(before: before[id], transitions: during[id] ?? [], window: window)
            }
            return shares
        } catch {
            throw OperationError(.unavailable, "the store cannot be read: \(error)")
        }
    }

    /// The monitor's part of `/metrics`.
    func metricsPart() -> (
        states: [ReceiverState: Int], strangers: Int, samples: [MetricsSnapshot.ReceiverSample],
        counters: MonitorCounters
    ) {
        let now = clock.now()
        return monitor.withLock { monitor in
            let samples = monitor.statuses().map { status in
                MetricsSnapshot.ReceiverSample(
                    id: status.id,
                    zone: status.zone,
                    state: status.state,
                    rssi: status.telemetry?.signal?.rssi,
                    lastSeenAge: status.lastSeen.map { now.timeIntervalSince($0) }
                )
            }
            return (monitor.states(), monitor.counts().strangers, samples, monitor.counters)
        }
    }

    /// The current counts of the inventory's receivers.
    public var counts: ReceiverCounts { monitor.withLock { $0.counts() } }
}
