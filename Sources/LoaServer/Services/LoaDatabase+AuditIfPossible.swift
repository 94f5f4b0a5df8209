import LoaStore
import Logging

extension LoaDatabase {
    /// Records `entry` in the audit log if the disk allows: what the daemon does must never wait on it.
    func auditIfPossible(_ entry: AuditEntry, logger: Logger) {
        do { try audit(entry) } catch {
            logger.error(
                "audit.write-failed",
                metadata: ["audit.action": "\(entry.action)", "audit.actor": "\(entry.actor)", "error": "\(error)"]
            )
        }
    }
}
