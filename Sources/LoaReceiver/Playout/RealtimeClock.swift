#if canImport(Glibc)
import Glibc
#endif

/// The receiver's time base: the system wall clock (`CLOCK_REALTIME`) in microseconds since 1970, the unit of
/// every presentation time in docs/protocol.md.
///
/// Receivers play in step only because every one of them paces against its own wall clock, which NTP or GNSS
/// keeps within a millisecond of true time. Nothing here reads `ContinuousClock`: a presentation time is a
/// wall-clock instant, and a device that steps its clock must follow the step.
enum RealtimeClock {
    /// Now, in wall-clock µs.
    static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1_000
    }

    /// How much earlier than the target the kernel sleep ends; the rest is spent spinning on the clock.
    ///
    /// A timed sleep on Linux overshoots by the timer slack (50 µs by default) plus the wake-up latency, which
    /// on a loaded machine reaches several hundred µs. Spinning the last stretch costs about 1% of a core
    /// at 50 packets a second and keeps the hand-off to ALSA within tens of µs of its instant.
    static let spinMicroseconds: Int64 = 300

    /// Blocks the calling thread until the wall clock reads `target` µs. Only for dedicated threads: never
    /// call it from the Swift concurrency pool.
    static func sleep(until target: Int64) {
        while true {
            let remaining = target - now()
            if remaining <= 0 { return }
            if remaining > spinMicroseconds {
                var deadline = timespec(
                    tv_sec: Int((target - spinMicroseconds) / 1_000_000),
                    tv_nsec: Int((target - spinMicroseconds) % 1_000_000) * 1_000
                )
                // TIMER_ABSTIME on CLOCK_REALTIME: the sleep ends at the wall-clock instant even if the clock is
                // stepped meanwhile. EINTR just loops.
                _ = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &deadline, nil)
                continue
            }
            while now() < target {}
            return
        }
    }
}
