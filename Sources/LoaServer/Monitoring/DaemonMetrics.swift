import Foundation
import LoaCore
import LoaReceiver
import LoaStore
import Logging

/// Gathers `GET /metrics` from the daemon's parts at scrape time: the receiver monitor, the health report
/// (broker link, uptime) and the broadcast log.
struct DaemonMetrics: MetricsReporting {
    let monitor: ReceiverMonitorService
    let health: DaemonHealth
    let database: LoaDatabase?
    let journal: PlayoutJournal?
    /// The broker link's inbound drops (`MQTTClient.inboundDrops`).
    let inboundDrops: @Sendable () -> InboundDrops

    func metrics() async -> MetricsSnapshot {
        let report = await health.currentHealth()
        let part = monitor.metricsPart()
        return MetricsSnapshot(
            site: report.site,
            version: report.version,
            receiversByState: part.states,
            strangers: part.strangers,
            receivers: part.samples,
            counters: part.counters,
            broadcasts: (try? database?.broadcastOutcomeCounts()) ?? [:],
            brokerConnected: report.broker.condition == .ok,
            webhook: monitor.webhook.counters.withLock { $0 },
            uptimeSeconds: Double(report.uptimeSeconds),
            journalWriteFailures: journal?.failedWrites ?? 0,
            reloadsRejected: health.reloads.rejected,
            lastReloadRejected: health.reloads.lastRejected,
            inboundDrops: inboundDrops()
        )
    }
}

extension ReceiverMonitorService {
    /// Builds the monitor for `loa serve` on the loaded `device-configs/` (`monitoring.yaml` included),
    /// restores the stored states and reports counts to `health`.
    static func make(
        configs: DeviceConfigs,
        topics: TopicTree,
        bus: any MessageBus,
        database: LoaDatabase,
        health: DaemonHealth,
        clock: any WallClock,
        signer: any MessageSigning,
        logger: Logger
    ) -> ReceiverMonitorService {
        ReceiverMonitorService(
            topics: topics,
            inventory: configs.inventory,
            settings: configs.monitoring,
            bus: bus,
            store: database,
            clock: clock,
            signer: signer,
            logger: logger.with(label: "monitor"),
            onCounts: { [health] counts in health.receiversChanged(counts) }
        )
    }

    /// `GET /metrics` for this daemon.
    func metricsSource(
        health: DaemonHealth,
        database: LoaDatabase,
        journal: PlayoutJournal?,
        inboundDrops: @escaping @Sendable () -> InboundDrops = { InboundDrops() }
    ) -> some MetricsReporting {
        DaemonMetrics(
            monitor: self,
            health: health,
            database: database,
            journal: journal,
            inboundDrops: inboundDrops
        )
    }
}
