import Synchronization

/// A live session stays on air only while the client that started it (`loa live`, later a phone) shows it is
/// still there: a microphone left open by a dropped SSH link must not stay on every loudspeaker. The client
/// renews its lease every few seconds; the live stream ends itself once the lease has run out, and one that
/// never had a lease never airs.
final class LiveLeases: Sendable {
    /// How long a lease lasts without renewal.
    let duration: Duration
    private let renewed = Mutex<[Int64: ContinuousClock.Instant]>([:])

    init(duration: Duration = .seconds(10)) {
        self.duration = duration
    }

    /// Starts or renews `broadcast`'s lease.
    func renew(_ broadcast: Int64) {
        renewed.withLock { renewed in
            renewed[broadcast] = .now
            // Bounded: leases of ended sessions are forgotten once they could no longer matter.
            if renewed.count > 256 {
                let cutoff = ContinuousClock.now - duration * 6
                renewed = renewed.filter { $0.value > cutoff }
            }
        }
    }

    /// Whether a client holds `broadcast`'s lease: renewed, and not run out. A live session airs only while one
    /// does.
    func isHeld(_ broadcast: Int64) -> Bool {
        renewed.withLock { renewed in renewed[broadcast].map { ContinuousClock.now - $0 <= duration } ?? false }
    }

    /// Waits up to `timeout` for `broadcast`'s first lease: its client is granted it as soon as the broadcast
    /// has its id, which can be a moment after the scheduler started it.
    func waitUntilHeld(_ broadcast: Int64, timeout: Duration = .seconds(2)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !isHeld(broadcast) {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }
}
