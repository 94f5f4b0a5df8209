import LoaCore
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads `device-configs/` on SIGHUP (`systemctl reload loa`): zones, receivers, users, the site's policy
/// and the monitor's thresholds change without a restart and without touching a running broadcast.
///
/// The one place that reads the files again: every file is read and checked before anything changes, then
/// the same ``DeviceConfigs`` goes to every consumer (the schedule book and scheduler, the receiver monitor).
/// A bad or half-saved file is logged with its `file:line` and all of them keep the running configuration.
struct ReloadService: Service {
    let directory: String?
    let consumers: [any DeviceConfigsConsumer]
    let logger: Logger
    /// Told of each reload's result: why it was refused, or nil once one is taken (`loa health`, `/metrics`).
    var onResult: @Sendable (_ rejected: String?) -> Void = { _ in }

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in hangups {
                await reload()
            }
        }
    }

    /// Reads `device-configs/` once and hands it to every consumer; returns whether it was taken.
    @discardableResult
    func reload() async -> Bool {
        guard let directory else {
            logger.notice("reload.skipped", metadata: ["reason": "no device-configs directory configured"])
            return false
        }
        let configs: DeviceConfigs
        do {
            configs = try DeviceConfigs.load(from: directory)
        } catch {
            logger.error("reload.rejected", metadata: ["error": "\(error)"])
            onResult("\(error)")
            return false
        }
        do {
            for consumer in consumers { try await consumer.apply(configs) }
        } catch {
            logger.error("reload.failed", metadata: ["error": "\(error)"])
            onResult("\(error)")
            return false
        }
        onResult(nil)
        logger.notice(
            "reload.done",
            metadata: [
                "zones": "\(configs.inventory.zones.count)", "receivers": "\(configs.inventory.receivers.count)",
            ]
        )
        return true
    }
}
