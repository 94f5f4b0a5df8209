/// A broadcast-log write the disk refused until the daemon stopped: kept by the log (``BroadcastLogging/keep(unwritten:)``)
/// and written first on the next start, so a broadcast that completed on a full disk is not found open, and
/// logged interrupted, after a restart.
public enum UnwrittenLogWrite: Codable, Sendable, Hashable {
    /// An entry the log never took; `provisionalID` is the negative id the scheduler used for it meanwhile.
    case append(BroadcastLogEntry, provisionalID: Int64)
    case update(BroadcastLogEntry)
    case watermark(Date)
}
