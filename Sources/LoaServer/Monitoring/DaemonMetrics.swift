import Foundation
import LoaCore
import LoaStore
import Logging

/// Gathers `GET /metrics` from the daemon's parts at scrape time: the receiver monitor, the health report
/// (broker link, uptime) and the broadcast log.
struct DaemonMetrics: MetricsReporting {
    let monitor: ReceiverMonitorService
    let health: DaemonHealth
    let database: LoaDatabase?

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
            uptimeSeconds: Double(report.uptimeSeconds)
        )
    }
}

extension ReceiverMonitorService {
    /// Builds the monitor for `loa serve`: reads `monitoring.yaml` (a bad file stops start-up with its
    /// `file:line`), restores the stored states and reports counts to `health`.
    static func make(
        deviceConfigs: String?,
        inventory: SiteInventory,
        topics: TopicTree,
        bus: any MessageBus,
        database: LoaDatabase,
        health: DaemonHealth,
        clock: any WallClock,
        logger: Logger
    ) throws(LoaDaemon.StartupError) -> ReceiverMonitorService {
        let settings: MonitoringSettings
        do { settings = try MonitoringSettings.load(from: deviceConfigs) } catch {
            throw LoaDaemon.StartupError(description: error.description, exitCode: Sysexits.config)
        }
        return ReceiverMonitorService(
            topics: topics,
            inventory: inventory,
            settings: settings,
            bus: bus,
            store: database,
            clock: clock,
            deviceConfigs: deviceConfigs,
            logger: logger.with(label: "monitor"),
            onCounts: { [health] counts in health.receiversChanged(counts) }
        )
    }

    /// `GET /metrics` for this daemon.
    func metricsSource(health: DaemonHealth, database: LoaDatabase) -> some MetricsReporting {
        DaemonMetrics(monitor: self, health: health, database: database)
    }
}
