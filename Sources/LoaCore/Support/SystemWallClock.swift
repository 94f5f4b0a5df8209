#if canImport(Glibc)
import Glibc
#endif

/// The system's wall clock (`CLOCK_REALTIME`), the one time base of the gateway and the receivers: the
/// scheduler fires on it, the streamer stamps presentation times with it, and the playout threads present each
/// sample at its instant on it.
///
/// Everything that must happen in step paces against this clock, which NTP or GNSS keeps within a millisecond
/// of true time; nothing reads `ContinuousClock` for it. A presentation time is a wall-clock instant, and a
/// device that steps its clock must follow the step.
///
/// `offsetMicroseconds` shifts every reading and sleep, so a test or a simulation can run a receiver whose
/// clock is wrong (`loa receiver --simulate-clock-offset-s`); it is 0 everywhere else.
public struct SystemWallClock: WallClock {
    /// Added to the system's time: how wrong this clock is made to be, µs.
    public let offsetMicroseconds: Int64

    public init(offsetMicroseconds: Int64 = 0) {
        self.offsetMicroseconds = offsetMicroseconds
    }

    public func now() -> Date { Date(timeIntervalSinceNow: Double(offsetMicroseconds) / 1_000_000) }

    /// Sleeps in steps, so a clock step (NTP, an operator setting the time) is noticed within a second, and
    /// wakes with a tolerance of 200 µs so occurrences fire and audio messages leave on time.
    public func sleep(until deadline: Date) async throws {
        while true {
            let remaining = deadline.timeIntervalSince(now())
            if remaining <= 0 { return }
            try await Task.sleep(for: .seconds(min(remaining, 1)), tolerance: .microseconds(200), clock: .continuous)
        }
    }

    /// Now, in wall-clock µs since 1970: the reading of ``WallClock/nowMicroseconds()``, straight from
    /// `CLOCK_REALTIME` rather than through a `Date`, as a playout thread reads it between packets.
    public func nowMicroseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1_000 + offsetMicroseconds
    }

    /// Blocks the calling thread until the wall clock reads `target` µs, in one kernel sleep: no spin. Only for
    /// dedicated threads (a playout thread): never call it from the Swift concurrency pool.
    ///
    /// It used to sleep to 300 µs before the target and spin the rest, which cost every receiver about 1–2% of
    /// a core at 50 packets a second. A `SCHED_FIFO` thread has no timer slack and preempts everything else when
    /// its timer fires, so it wakes within tens of µs of the instant; a thread at normal priority should lower
    /// its slack (`PR_SET_TIMERSLACK`) so the default 50 µs does not add to every wake-up. A playout thread asks
    /// to be woken early by its own recent latency (LoaReceiver's `WakeUpAllowance`).
    public func blockingSleep(untilMicroseconds target: Int64) {
        let wake = target - offsetMicroseconds
        var deadline = timespec(tv_sec: Int(wake / 1_000_000), tv_nsec: Int(wake % 1_000_000) * 1_000)
        // TIMER_ABSTIME on CLOCK_REALTIME: the sleep ends at the wall-clock instant even if the clock is stepped
        // meanwhile. EINTR (a signal) sleeps again to the same deadline.
        while nowMicroseconds() < target {
            if clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &deadline, nil) == 0 { return }
        }
    }
}
