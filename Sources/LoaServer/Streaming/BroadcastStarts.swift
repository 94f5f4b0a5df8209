import Foundation
import LoaCore
import Synchronization

/// Whether each recent broadcast went on air or ended first, so that `loa announce` answers "on air" only
/// once the `play` went out, and says why when it did not (content that cannot be played, a slot missed).
final class BroadcastStarts: Sendable {
    struct State {
        var began: Set<Int64> = []
        var ended: [Int64: (BroadcastOutcome, String?)] = [:]
        /// Ids in the order noted, to forget the oldest: only the latest few are ever asked about.
        var order: [Int64] = []
    }

    static let remembered = 256
    let state = Mutex(State())

    /// `broadcast`'s `play` went out.
    func began(_ broadcast: Int64) {
        state.withLock { state in
            state.began.insert(broadcast)
            Self.remember(broadcast, in: &state)
        }
    }

    /// The scheduler logged `entry`: a final outcome before it began means it never went on air.
    func logged(_ entry: BroadcastLogEntry) {
        guard let id = entry.id, entry.outcome.isFinal else { return }
        state.withLock { state in
            state.ended[id] = (entry.outcome, entry.detail)
            Self.remember(id, in: &state)
        }
    }

    /// Waits up to `timeout` for `broadcast` to go on air or end, and says which; `waiting` if neither yet.
    func wait(for broadcast: Int64, timeout: Duration) async -> AnnounceReceipt {
        let deadline = ContinuousClock.now + timeout
        while true {
            let known = state.withLock { state -> AnnounceReceipt? in
                if state.began.contains(broadcast) { return AnnounceReceipt(broadcastID: broadcast, state: .onAir) }
                guard let (outcome, detail) = state.ended[broadcast] else { return nil }
                let why = [outcome.rawValue, detail].compactMap { $0 }.joined(separator: ": ")
                return AnnounceReceipt(broadcastID: broadcast, state: .notStarted, detail: why)
            }
            if let known { return known }
            guard ContinuousClock.now < deadline, !Task.isCancelled else {
                return AnnounceReceipt(broadcastID: broadcast, state: .waiting)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    static func remember(_ id: Int64, in state: inout State) {
        state.order.append(id)
        guard state.order.count > remembered else { return }
        let forgotten = state.order.removeFirst()
        if !state.order.contains(forgotten) {
            state.began.remove(forgotten)
            state.ended.removeValue(forKey: forgotten)
        }
    }
}
