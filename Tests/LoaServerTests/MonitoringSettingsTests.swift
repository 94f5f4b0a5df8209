import Foundation
import LoaCore
import LoaServer
import Testing

@Suite("monitoring.yaml")
struct MonitoringSettingsTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "loa-monitoring-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func load(_ text: String) throws(ConfigurationError) -> MonitoringSettings {
        try! text.write(toFile: "\(directory)/monitoring.yaml", atomically: true, encoding: .utf8)
        return try MonitoringSettings.load(from: directory)
    }

    @Test func noFileGivesTheDefaults() throws {
        #expect(try MonitoringSettings.load(from: directory) == MonitoringSettings())
        #expect(try MonitoringSettings.load(from: nil) == MonitoringSettings())
        #expect(MonitoringSettings().monitor.thresholds.clockOffsetMs == 20)
        #expect(MonitoringSettings().monitor.thresholds.lostAfterIntervals == 3)
    }

    @Test func everyKeyIsRead() throws {
        let settings = try load(
            """
            silence:
              telemetry-interval: 15
              lost-after-intervals: 4
            degraded:
              weak-signal-rssi: -100
              amplifier-fault: false
              underruns: off
              clock-offset-ms: 12.5
              temperature-c: 70
              clock-skew-ms: 5000
              stale-commands: false
            alerts:
              group-wait: 5
              flap-window: 120
              flap-changes: 6
              mass-outage: 10
              mass-outage-window: 30
              degraded: false
              mqtt: false
              webhook: https://example.org/hooks/loa?token=x
              webhook-attempts: 3
              webhook-timeout: 2
              webhook-backoff: 0.5
              webhook-backoff-max: 10
            """
        )
        let thresholds = settings.monitor.thresholds
        #expect(
            thresholds
                == MonitorThresholds(
                    defaultInterval: 15,
                    lostAfterIntervals: 4,
                    weakSignalRSSI: -100,
                    amplifierFault: false,
                    underrunsPerInterval: nil,
                    clockOffsetMs: 12.5,
                    maxTemperature: 70,
                    clockSkewMs: 5_000,
                    staleCommands: false
                )
        )
        #expect(
            settings.monitor.alerts
                == AlertSettings(
                    groupWait: 5,
                    flapWindow: 120,
                    massOutage: 10,
                    massOutageWindow: 30,
                    alertOnDegraded: false,
                    flapChanges: 6
                )
        )
        #expect(settings.publishAlerts == false)
        #expect(settings.webhook?.url.absoluteString == "https://example.org/hooks/loa?token=x")
        #expect(settings.webhook?.attempts == 3)
        #expect(settings.webhook?.backoff == Backoff(initial: .milliseconds(500), maximum: .seconds(10)))
    }

    @Test(arguments: [
        ("alerts:\n  group_wait: 5\n", "monitoring.yaml:2: alerts.group_wait is not a known setting"),
        ("silence:\n  telemetry-interval: 0\n", "monitoring.yaml:2: silence.telemetry-interval '0' is out of range"),
        (
            "degraded:\n  clock-offset-ms: fast\n",
            "monitoring.yaml:2: degraded.clock-offset-ms must be a number (or off)"
        ),
        (
            "alerts:\n  webhook: ftp://x\n",
            "monitoring.yaml:2: alerts.webhook 'ftp://x' is not an http:// or https:// URL"
        ),
        ("alerts:\n  webhook-attempts: 3\n", "alerts.webhook-attempts has no effect without alerts.webhook"),
        ("thresholds: {}\n", "monitoring.yaml:1: thresholds is not a known setting"),
        ("degraded:\n  amplifier-fault: maybe\n", "monitoring.yaml:2: degraded.amplifier-fault must be true or false"),
    ])
    func badFilesNameFileAndLine(text: String, message: String) {
        #expect {
            _ = try load(text)
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}
