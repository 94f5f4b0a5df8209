import Synchronization

/// A live session stays on air only while the client that started it (`loa live`, later a phone) shows it is
/// still there: a microphone left open by a dropped SSH link must not stay on every loudspeaker. The client
/// renews its lease every few seconds; the live stream ends itself once the lease has run out.
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

    /// Whether `broadcast` has a lease that ran out. A broadcast that never had one (a live session started
    /// by the daemon itself) does not expire.
    func hasExpired(_ broadcast: Int64) -> Bool {
        renewed.withLock { renewed in renewed[broadcast].map { ContinuousClock.now - $0 > duration } ?? false }
    }
}
