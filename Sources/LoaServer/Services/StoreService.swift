import LoaCore
import LoaStore
import Logging
import ServiceLifecycle

/// Keeps the store's life in step with the daemon's: it records each start and clean stop in the audit
/// log, so a start without a stop shows where the daemon crashed. A store opened read-only (the disk was too
/// full to open it for writing) is made writable again as soon as the disk has room.
struct StoreService: Service {
    let database: LoaDatabase
    let logger: Logger
    /// How often a read-only store tries to open for writing again.
    var retryInterval: Duration = .seconds(5)

    func run() async throws {
        database.auditIfPossible(
            AuditEntry(caller: .system, action: "daemon.start", detail: "loa \(LoaVersion.current)"),
            logger: logger
        )
        logger.info("store.open", metadata: ["store.path": "\(database.path)"])
        if let reason = database.readOnlyReason {
            logger.critical(
                "store.read-only",
                metadata: [
                    "store.path": "\(database.path)", "error": "\(reason)", "fix": "free space in the state dir",
                ]
            )
            await cancelWhenGracefulShutdown { await reopenOnceTheDiskHasRoom() }
        }
        try? await gracefulShutdown()
        database.auditIfPossible(AuditEntry(caller: .system, action: "daemon.stop"), logger: logger)
    }

    private func reopenOnceTheDiskHasRoom() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: retryInterval)
            if (try? await BlockingCall.run { database.reopenForWriting() }) == true {
                logger.notice("store.writable", metadata: ["store.path": "\(database.path)"])
                return
            }
        }
    }
}
