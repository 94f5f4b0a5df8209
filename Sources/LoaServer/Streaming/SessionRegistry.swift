import LoaCore
import Synchronization

/// Which broadcast log entry each streaming session belongs to, so receivers' reports (which name only the
/// session) land on the right entry.
final class SessionRegistry: Sendable {
    let sessions = Mutex<[SessionID: Int64]>([:])

    func register(_ session: SessionID, broadcast: Int64) {
        sessions.withLock { $0[session] = broadcast }
    }

    func broadcast(of session: SessionID) -> Int64? {
        sessions.withLock { $0[session] }
    }
}
