import LoaCore
import Logging
import ServiceLifecycle

/// Runs the core scheduler inside `loa serve`; on a graceful stop it cuts what plays and logs it as
/// interrupted before the store and the audio output close.
struct SchedulerService: Service {
    let scheduler: Scheduler
    let book: ScheduleBook
    let logger: Logger

    func run() async throws {
        try await book.apply(book.currentConfigs)
        logger.info("scheduler.started")
        do {
            try await cancelWhenGracefulShutdown { try await scheduler.run() }
        } catch is CancellationError {}
        logger.info("scheduler.stopped")
    }
}
