import Foundation
import LoaConfiguration
import LoaCore

/// The monitor's settings for one site: thresholds, alert debounce and sinks, from
/// `device-configs/monitoring.yaml` (optional; every key has a default). Unknown keys and wrong types are
/// errors with `file:line`, like the other device configs.
///
/// ```yaml
/// silence:
///   telemetry-interval: 10     # seconds assumed until a receiver reports its own interval
///   lost-after-intervals: 3
/// degraded:
///   weak-signal-rssi: -95      # dBm; `off` switches a threshold off
///   amplifier-fault: true
///   underruns: 3               # new underruns between two reports
///   clock-offset-ms: 20
///   temperature-c: 80
///   clock-skew-ms: 2000        # the controller's own judgement, from the times in receivers' reports
///   stale-commands: true       # a command refused as stale degrades the receiver
/// alerts:
///   group-wait: 10             # seconds
///   flap-window: 300
///   flap-changes: 4            # up/down changes within flap-window that make a receiver flapping
///   mass-outage: 3             # receivers down within mass-outage-window → one alert
///   mass-outage-window: 60
///   degraded: true             # alert on degraded receivers
///   mqtt: true                 # publish on {root}/alerts
///   webhook: https://example.org/hooks/loa
///   webhook-attempts: 6
///   webhook-timeout: 5
///   webhook-backoff: 1         # first retry delay; doubles up to webhook-backoff-max
///   webhook-backoff-max: 60
/// ```
public struct MonitoringSettings: Sendable, Hashable {
    public var monitor: MonitorConfiguration
    /// Publish alerts on `{root}/alerts`.
    public var publishAlerts: Bool
    public var webhook: WebhookSettings?

    public init(
        monitor: MonitorConfiguration = MonitorConfiguration(),
        publishAlerts: Bool = true,
        webhook: WebhookSettings? = nil
    ) {
        self.monitor = monitor
        self.publishAlerts = publishAlerts
        self.webhook = webhook
    }

    public static let fileName = "monitoring.yaml"

    /// Reads `monitoring.yaml` in `directory`; defaults when there is no directory or no file.
    public static func load(from directory: String?) throws(ConfigurationError) -> MonitoringSettings {
        guard let directory, let top = try DeviceConfigs.mapping(directory, fileName) else {
            return MonitoringSettings()
        }
        var settings = MonitoringSettings()
        try top.rejectUnknownKeys(allowed: ["silence", "degraded", "alerts"])
        if let silence = try top.mapping("silence") {
            try silence.rejectUnknownKeys(allowed: ["telemetry-interval", "lost-after-intervals"])
            if let value = try silence.int("telemetry-interval") {
                settings.monitor.thresholds.defaultInterval = try silence.check(
                    "telemetry-interval",
                    value,
                    in: 1...3600
                )
            }
            if let value = try silence.int("lost-after-intervals") {
                settings.monitor.thresholds.lostAfterIntervals = try silence.check(
                    "lost-after-intervals",
                    value,
                    in: 1...100
                )
            }
        }
        if let degraded = try top.mapping("degraded") {
            try degraded.rejectUnknownKeys(allowed: [
                "weak-signal-rssi", "amplifier-fault", "underruns", "clock-offset-ms", "temperature-c",
                "clock-skew-ms", "stale-commands",
            ])
            var thresholds = settings.monitor.thresholds
            if degraded.mapping["weak-signal-rssi"] != nil {
                thresholds.weakSignalRSSI = try degraded.optionalNumber("weak-signal-rssi", in: -150...0).map {
                    Int($0)
                }
            }
            if let value = try degraded.bool("amplifier-fault") { thresholds.amplifierFault = value }
            if degraded.mapping["underruns"] != nil {
                thresholds.underrunsPerInterval = try degraded.optionalNumber("underruns", in: 1...100_000).map {
                    Int($0)
                }
            }
            if degraded.mapping["clock-offset-ms"] != nil {
                thresholds.clockOffsetMs = try degraded.optionalNumber("clock-offset-ms", in: 0.001...3_600_000)
            }
            if degraded.mapping["temperature-c"] != nil {
                thresholds.maxTemperature = try degraded.optionalNumber("temperature-c", in: -50...200)
            }
            if degraded.mapping["clock-skew-ms"] != nil {
                thresholds.clockSkewMs = try degraded.optionalNumber("clock-skew-ms", in: 100...3_600_000)
            }
            if let value = try degraded.bool("stale-commands") { thresholds.staleCommands = value }
            settings.monitor.thresholds = thresholds
        }
        if let alerts = try top.mapping("alerts") {
            try alerts.rejectUnknownKeys(allowed: [
                "group-wait", "flap-window", "flap-changes", "mass-outage", "mass-outage-window", "degraded", "mqtt",
                "webhook",
                "webhook-attempts", "webhook-timeout", "webhook-backoff", "webhook-backoff-max",
            ])
            var policy = settings.monitor.alerts
            if let value = try alerts.optionalNumber("group-wait", in: 0...3600) { policy.groupWait = value }
            if let value = try alerts.optionalNumber("flap-window", in: 0...86_400) { policy.flapWindow = value }
            if let value = try alerts.int("flap-changes") {
                policy.flapChanges = try alerts.check("flap-changes", value, in: 2...1000)
            }
            if let value = try alerts.int("mass-outage") {
                policy.massOutage = try alerts.check("mass-outage", value, in: 2...1_000_000)
            }
            if let value = try alerts.optionalNumber("mass-outage-window", in: 0...86_400) {
                policy.massOutageWindow = value
            }
            if let value = try alerts.bool("degraded") { policy.alertOnDegraded = value }
            settings.monitor.alerts = policy
            if let value = try alerts.bool("mqtt") { settings.publishAlerts = value }
            if let text = try alerts.string("webhook") {
                guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                    throw ConfigurationError(
                        key: "alerts.webhook",
                        value: text,
                        problem: "is not an http:// or https:// URL",
                        location: alerts.location(of: "webhook")
                    )
                }
                var webhook = WebhookSettings(url: url)
                if let value = try alerts.int("webhook-attempts") {
                    webhook.attempts = try alerts.check("webhook-attempts", value, in: 1...100)
                }
                if let value = try alerts.optionalNumber("webhook-timeout", in: 0.1...300) { webhook.timeout = value }
                let initial = try alerts.optionalNumber("webhook-backoff", in: 0.01...3600) ?? 1
                let maximum = try alerts.optionalNumber("webhook-backoff-max", in: 0.01...86_400) ?? max(60, initial)
                guard maximum >= initial else {
                    throw ConfigurationError(
                        key: "alerts.webhook-backoff-max",
                        value: "\(maximum)",
                        problem: "must not be below webhook-backoff (\(initial))",
                        location: alerts.location(of: "webhook-backoff-max")
                    )
                }
                webhook.backoff = Backoff(
                    initial: .milliseconds(Int64(initial * 1000)),
                    maximum: .milliseconds(Int64(maximum * 1000))
                )
                settings.webhook = webhook
            } else if let stray = ["webhook-attempts", "webhook-timeout", "webhook-backoff", "webhook-backoff-max"]
                .first(where: {
                    alerts.mapping[$0] != nil
                })
            {
                throw ConfigurationError(
                    key: "alerts.\(stray)",
                    problem: "has no effect without alerts.webhook",
                    location: alerts.location(of: stray)
                )
            }
        }
        return settings
    }
}

/// Where alerts are POSTed, and how hard to try.
public struct WebhookSettings: Sendable, Hashable {
    public var url: URL
    /// Attempts in all, the first included.
    public var attempts: Int
    /// Seconds to wait for an answer.
    public var timeout: Double
    public var backoff: Backoff

    public init(
        url: URL,
        attempts: Int = 6,
        timeout: Double = 5,
        backoff: Backoff = Backoff(initial: .seconds(1), maximum: .seconds(60))
    ) {
        self.url = url
        self.attempts = attempts
        self.timeout = timeout
        self.backoff = backoff
    }
}

extension YAMLMapping {
    func bool(_ key: String) throws(ConfigurationError) -> Bool? {
        guard let node = mapping[key] else { return nil }
        guard let value = node.bool else { throw typeError(key, node, expected: "true or false") }
        return value
    }

    /// A number in `range`, or nil for `off` (a threshold switched off) or when absent.
    func optionalNumber(_ key: String, in range: ClosedRange<Double>) throws(ConfigurationError) -> Double? {
        guard let node = mapping[key] else { return nil }
        if node.scalar?.string == "off" { return nil }
        guard let value = node.float ?? node.int.map(Double.init) else {
            throw typeError(key, node, expected: "a number (or off)")
        }
        guard range.contains(value) else {
            throw ConfigurationError(
                key: "\(path)\(key)",
                value: node.scalar?.string ?? "\(value)",
                problem: "is out of range; use \(Self.format(range.lowerBound))…\(Self.format(range.upperBound))",
                location: location(of: key)
            )
        }
        return value
    }

    func check(_ key: String, _ value: Int, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard range.contains(value) else {
            throw ConfigurationError(
                key: "\(path)\(key)",
                value: "\(value)",
                problem: "is out of range; use \(range.lowerBound)…\(range.upperBound)",
                location: location(of: key)
            )
        }
        return value
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
