import LoaStore
import Synchronization

/// Receivers' reports waiting to be filed in the broadcast log, in the order they were decided. The recorder's
/// one writer drains it a batch per transaction: at a session's start every receiver acknowledges and starts
/// within a few milliseconds, and a durable write per report would hold up the broker link.
final class ReceiverReportQueue: Sendable {
    let pending = Mutex<[ReceiverReportUpdate]>([])
    /// Wakes the writer; one buffered wake-up covers any number of pending reports.
    let wakeUps: AsyncStream<Void>
    let wake: AsyncStream<Void>.Continuation

    init() {
        (wakeUps, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func file(_ updates: [ReceiverReportUpdate]) {
        guard !updates.isEmpty else { return }
        pending.withLock { $0.append(contentsOf: updates) }
        wake.yield()
    }

    /// Puts back a batch the store refused, ahead of anything queued since, to be tried again.
    func putBack(_ updates: [ReceiverReportUpdate]) {
        pending.withLock { $0.insert(contentsOf: updates, at: 0) }
    }

    /// Everything pending, in order, leaving the queue empty.
    func takeAll() -> [ReceiverReportUpdate] {
        pending.withLock { reports in
            defer { reports.removeAll(keepingCapacity: true) }
            return reports
        }
    }
}
