import LoaCore
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads `device-configs/` on SIGHUP (`systemctl reload loa`): zones, receivers, users and the site's
/// policy change without a restart and without touching a running broadcast. A bad file is logged with its
/// `file:line` and the running configuration stays.
struct ReloadService: Service {
    let directory: String?
    let book: ScheduleBook
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in hangups {
                await reload()
            }
        }
    }

    func reload() async {
        guard let directory else {
            logger.notice("reload.skipped", metadata: ["reason": "no device-configs directory configured"])
            return
        }
        do {
            let configs = try DeviceConfigs.load(from: directory)
            try await book.load(configs)
            logger.notice(
                "reload.done",
                metadata: [
                    "zones": "\(configs.inventory.zones.count)", "receivers": "\(configs.inventory.receivers.count)",
                ]
            )
        } catch {
            logger.error("reload.rejected", metadata: ["error": "\(error)"])
        }
    }
}
