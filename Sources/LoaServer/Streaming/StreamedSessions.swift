import LoaCore
import Synchronization

/// The live and relayed broadcasts on air: a stop asks each to end the normal way (its last message flagged
/// last, rather than cut), and each keeps what its source did for the broadcast log.
final class StreamedSessions: Sendable {
    private struct Session {
        var finishing = false
        var report: SourceReport
    }

    private let sessions = Mutex<[Int64: Session]>([:])
    /// Reports of ended sessions, kept for the scheduler's last write; the oldest go first.
    private let ended = Mutex<[(Int64, SourceReport)]>([])

    /// `broadcast` starts streaming from `source`.
    func begin(_ broadcast: Int64, source: String) {
        sessions.withLock { $0[broadcast] = Session(report: SourceReport(source: source)) }
    }

    /// Asks `broadcast` to end after its current message; false when it is not a streamed session on air.
    func finish(_ broadcast: Int64) -> Bool {
        sessions.withLock { sessions in
            guard sessions[broadcast] != nil else { return false }
            sessions[broadcast]?.finishing = true
            return true
        }
    }

    func isFinishing(_ broadcast: Int64) -> Bool {
        sessions.withLock { $0[broadcast]?.finishing ?? false }
    }

    func update(_ broadcast: Int64, missingMicroseconds: Int64, gaps: Int) {
        sessions.withLock { sessions in
            sessions[broadcast]?.report.missingMicroseconds = missingMicroseconds
            sessions[broadcast]?.report.gaps = gaps
        }
    }

    /// `broadcast` stopped streaming; its report stays readable for a while.
    func end(_ broadcast: Int64) {
        guard let session = sessions.withLock({ $0.removeValue(forKey: broadcast) }) else { return }
        ended.withLock { ended in
            ended.append((broadcast, session.report))
            if ended.count > 64 { ended.removeFirst(ended.count - 64) }
        }
    }

    func report(for broadcast: Int64) -> SourceReport? {
        sessions.withLock { $0[broadcast]?.report }
            ?? ended.withLock { ended in ended.last { $0.0 == broadcast }?.1 }
    }
}
