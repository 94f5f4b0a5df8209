import LoaCore
import Prometheus
import Synchronization

/// Turns a `MetricsSnapshot` into the Prometheus text format.
///
/// One registry lives as long as the server, so each series is created once (creating a labelled series
/// costs as much as the family already holds) and only its value changes per scrape. The snapshot carries
/// running totals; counters advance by the difference since the last scrape, and start over when a total
/// goes down (the broadcast log was pruned, the daemon restarted).
final class PrometheusExporter: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// The last total seen per counter series, and every per-receiver gauge by series key.
    struct Memory {
        var totals: [String: Double] = [:]
        var receiverGauges: [String: Gauge] = [:]
    }
    let memory = Mutex(Memory())

    func render(_ snapshot: MetricsSnapshot) -> [UInt8] {
        gauge("loa_info", "The daemon's version and site.", ["version": snapshot.version, "site": snapshot.site], 1)
        gauge("loa_uptime_seconds", "Seconds since the daemon started.", [:], snapshot.uptimeSeconds)
        gauge(
            "loa_broker_connected",
            "1 when the controller is connected to its MQTT broker.",
            [:],
            snapshot.brokerConnected ? 1 : 0
        )
        for state in ReceiverState.allCases {
            gauge(
                "loa_receivers",
                "Receivers by state (inventory and strangers).",
                ["state": state.rawValue],
                Double(snapshot.receiversByState[state] ?? 0)
            )
        }
        gauge(
            "loa_receivers_strangers",
            "Receivers reporting that are not in the inventory.",
            [:],
            Double(snapshot.strangers)
        )
        let counters = snapshot.counters
        for kind in ["status", "telemetry", "events"] {
            counter(
                "loa_receiver_messages_total",
                "Valid messages from receivers by kind.",
                ["kind": kind],
                counters.messages[kind] ?? 0
            )
        }
        for problem in InputProblem.allCases {
            counter(
                "loa_receiver_input_problems_total",
                "Messages from receivers with a problem (most dropped), by problem.",
                ["problem": problem.rawValue],
                counters.problems[problem.rawValue] ?? 0
            )
        }
        for state in ReceiverState.allCases {
            counter(
                "loa_receiver_transitions_total",
                "Receiver state transitions by the state entered.",
                ["state": state.rawValue],
                counters.transitions[state.rawValue] ?? 0
            )
        }
        for kind in ReceiverAlert.Kind.allCases where !kind.isControllerAlert {
            counter(
                "loa_receiver_alerts_total",
                "Alerts about receivers by kind.",
                ["kind": kind.rawValue],
                counters.alerts[kind.rawValue] ?? 0
            )
        }
        counter("loa_receiver_underruns_total", "Audio underruns reported by receivers.", [:], counters.underruns)
        for result in ["delivered", "retried", "failed", "dropped"] {
            counter(
                "loa_alert_webhook_total",
                "Webhook deliveries of alerts by result.",
                ["result": result],
                snapshot.webhook[result] ?? 0
            )
        }
        counter(
            "loa_playout_journal_write_failures_total",
            "Playout journal lines that could not be written (a full disk); playout goes on.",
            [:],
            snapshot.journalWriteFailures
        )
        counter(
            "loa_config_reloads_rejected_total",
            "Reloads of device-configs/ refused (a broken file); the daemon stays on the running configuration.",
            [:],
            snapshot.reloadsRejected
        )
        gauge(
            "loa_config_reload_rejected",
            "1 while the last reload of device-configs/ was refused, 0 once one is accepted.",
            [:],
            snapshot.lastReloadRejected ? 1 : 0
        )
        for (kind, count) in snapshot.inboundDrops.byKind {
            counter(
                "loa_inbound_dropped_total",
                "Messages the broker link dropped from its bounded inbound queue of their kind (a flood).",
                ["kind": kind],
                count
            )
        }
        // The receivers that lost the most, by id; an id that is no valid topic level is not a label.
        for offender in snapshot.inboundDrops.topOffenders where TopicTree.isValidLevel(offender.key) {
            counter(
                "loa_inbound_dropped_by_receiver_total",
                "Inbound messages dropped, for the receivers that lost the most (a flooding client).",
                ["kind": offender.kind, "receiver": offender.key],
                offender.count
            )
        }
        for (outcome, count) in snapshot.broadcasts {
            counter("loa_broadcasts_total", "Broadcast log entries by outcome.", ["outcome": outcome], count)
        }
        receivers(snapshot.receivers)
        return registry.emitToBuffer()
    }

    func gauge(_ name: String, _ help: String, _ labels: [String: String], _ value: Double) {
        registry.makeGauge(
            descriptor: Self.descriptor(name, help),
            labels: labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        )
        .set(to: value)
    }

    func counter(_ name: String, _ help: String, _ labels: [String: String], _ total: Int) {
        let labelPairs = labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let counter = registry.makeCounter(descriptor: Self.descriptor(name, help), labels: labelPairs)
        let key = name + labelPairs.map { "|\($0.0)=\($0.1)" }.joined()
        let value = Double(total)
        let previous = memory.withLock { memory in
            defer { memory.totals[key] = value }
            return memory.totals[key] ?? 0
        }
        if value > previous {
            counter.increment(by: value - previous)
        } else if value < previous {
            counter.reset()
            counter.increment(by: value)
        }
    }

    /// Per-receiver series: reachable or not, signal, age of the last message. Series of receivers no
    /// longer listed are removed.
    func receivers(_ samples: [MetricsSnapshot.ReceiverSample]) {
        let up = Self.descriptor("loa_receiver_up", "1 when the receiver is reachable (online, playing or degraded).")
        let rssi = Self.descriptor("loa_receiver_rssi_dbm", "The receiver's last reported signal strength.")
        let age = Self.descriptor("loa_receiver_last_seen_seconds", "Seconds since the receiver's last valid message.")
        var current: [String: Gauge] = [:]
        let known = memory.withLock { $0.receiverGauges }
        func series(_ descriptor: MetricNameDescriptor, _ labels: [(String, String)]) -> Gauge {
            let key = descriptor.name + labels.map { "|\($0.1)" }.joined()
            let gauge = known[key] ?? registry.makeGauge(descriptor: descriptor, labels: labels)
            current[key] = gauge
            return gauge
        }
        for sample in samples {
            let labels = [("receiver", sample.id), ("zone", sample.zone ?? "")]
            series(up, labels).set(to: sample.state.isReachable ? 1 : 0)
            if let value = sample.rssi { series(rssi, [("receiver", sample.id)]).set(to: Double(value)) }
            if let value = sample.lastSeenAge { series(age, [("receiver", sample.id)]).set(to: value.rounded()) }
        }
        for (key, gauge) in known where current[key] == nil {
            registry.unregisterGauge(gauge)
        }
        memory.withLock { $0.receiverGauges = current }
    }

    static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
