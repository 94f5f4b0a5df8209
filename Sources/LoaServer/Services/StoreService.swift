import LoaCore
import LoaStore
import Logging
import ServiceLifecycle

/// Keeps the store's life in step with the daemon's: it records each start and clean stop in the audit
/// log, so a start without a stop shows where the daemon crashed.
struct StoreService: Service {
    let database: LoaDatabase
    let logger: Logger

    func run() async throws {
        try database.audit(AuditEntry(actor: "system", action: "daemon.start", detail: "loa \(LoaVersion.current)"))
        logger.info("store.open", metadata: ["store.path": "\(database.path)"])
        try? await gracefulShutdown()
        try database.audit(AuditEntry(actor: "system", action: "daemon.stop"))
    }
}
