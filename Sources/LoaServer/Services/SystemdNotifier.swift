internal import CSystemd
import Foundation
import LoaCore
import Logging
import ServiceLifecycle

/// Tells systemd how the daemon is (`Type=notify`): READY=1 once the broker link, the store and the HTTP
/// API are up; WATCHDOG=1 at half the unit's `WatchdogSec=`, but only while the scheduler loop and the audio
/// thread show they are alive, so a hang gets the daemon restarted; STOPPING=1 on the way out. Outside
/// systemd (`NOTIFY_SOCKET` unset) every call is a no-op.
struct SystemdNotifier: Service {
    let health: DaemonHealth
    let liveness: @Sendable () async -> String?
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !(await isReady()) {
                try await Task.sleep(for: .milliseconds(50))
            }
            notify("READY=1\nSTATUS=on the air")
            logger.info("systemd.ready")
            guard let interval = Self.watchdogInterval() else {
                try await gracefulShutdown()
                return
            }
            while true {
                try await Task.sleep(for: interval / 2)
                if let stuck = await liveness() {
                    logger.critical("watchdog.withheld", metadata: ["reason": "\(stuck)"])
                } else {
                    notify("WATCHDOG=1")
                }
            }
        }
        notify("STOPPING=1")
    }

    /// Broker link, store and HTTP API up, and the audio output tried (a failed sound card is reported by
    /// `/healthz`, but must not keep the receivers from their broadcasts).
    func isReady() async -> Bool {
        let report = await health.currentHealth()
        return report.broker.condition == .ok && report.store.condition == .ok && health.httpListening
            && health.audioSettled
    }

    func notify(_ state: String) {
        _ = sd_notify(0, state)
    }

    /// Half of this is how often to ping; nil when systemd asks for no watchdog.
    static func watchdogInterval() -> Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(microseconds))
    }
}
