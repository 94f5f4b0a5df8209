import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What cuts a relay's blocking FFmpeg call short: FFmpeg polls it (its `AVIOInterruptCB`) while it connects,
/// reads or waits, at least every 100 ms, and gives up with `AVERROR_EXIT` once it answers yes.
///
/// It answers yes for two reasons: another thread cancelled the relay (``cancel()``, for `close()`), or the call
/// ran past the deadline its caller armed (``arm(_:)``), which is how a network that stalls without failing
/// ends a read. One token serves a receiver's every connection, so a cancel reaches whichever is open.
final class RelayInterrupt: Sendable {
    private let cancelled = Atomic(false)
    /// Monotonic nanoseconds after which the current call is cut; `.max` when disarmed.
    private let deadline = Atomic<UInt64>(.max)
    private let expiredFlag = Atomic(false)

    init() {}

    /// Cuts the current call, and every later one, short.
    func cancel() { cancelled.store(true, ordering: .releasing) }

    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    /// Lets the next blocking call run for at most `timeout`.
    func arm(_ timeout: Duration) {
        expiredFlag.store(false, ordering: .relaxed)
        let nanoseconds =
            UInt64(timeout.components.seconds) * 1_000_000_000
            + UInt64(timeout.components.attoseconds / 1_000_000_000)
        deadline.store(Self.now() + nanoseconds, ordering: .releasing)
    }

    /// Whether the last armed call was cut because its deadline passed (a stall, not a cancel).
    var expired: Bool { expiredFlag.load(ordering: .acquiring) }

    /// FFmpeg's question: stop now? Called on the thread inside FFmpeg.
    func shouldStop() -> Bool {
        if isCancelled { return true }
        guard Self.now() >= deadline.load(ordering: .acquiring) else { return false }
        expiredFlag.store(true, ordering: .releasing)
        return true
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
