import LoaCore

/// How early a playout thread asks to be woken so it wakes on time: the median of its last 64 wake-up latencies
/// (how long after the asked instant the kernel let it run), at most 300 µs.
///
/// A timed sleep ends late by the timer and scheduler latency, which here (a Firecracker VM on 2 cores,
/// `SCHED_FIFO`) is 40–70 µs most of the time and rarely much more. Spinning the last 300 µs hid it at about 1.4% of
/// a core per receiver, and waking by the 90th percentile still spun ~150 µs a packet. Waking by the median spins
/// a few µs in half the wake-ups and is a few µs late in the other half; gateway and receivers, alike, stay as
/// close as the spin kept them (StreamingTests: p50 64–79 µs, p99 120–136 µs over four runs, against 55–72 and
/// 114–301 µs with the spin; waking by the 10th percentile gave 67–114 and 133–783 µs). docs/benchmarks.md,
/// "Receiver footprint".
struct WakeUpAllowance {
    static let window = 64
    static let maximum: Int64 = 300
    /// Which percentile of the recent latencies to wake early by.
    static let percentile = 50

    private var latencies: [Int64] = []
    private var next = 0
    /// How early to ask to be woken, µs.
    private(set) var microseconds: Int64 = 0
    /// The last wake-up, asked and woke, not yet recorded.
    private var unrecorded: (Int64, Int64)?

    /// Notes one wake-up: it was asked for `asked` and the thread ran again at `woke` (wall-clock µs).
    mutating func record(asked: Int64, woke: Int64) {
        let latency = min(max(0, woke - asked), Self.maximum)
        if latencies.count < Self.window {
            latencies.append(latency)
        } else {
            latencies[next] = latency
        }
        next = (next + 1) % Self.window
        // Sorted afresh every eighth wake-up, not every one: the allowance follows the load within 160 ms anyway.
        guard latencies.count < Self.window || next % 8 == 0 else { return }
        let sorted = latencies.sorted()
        microseconds = sorted[sorted.count * Self.percentile / 100]
    }

    /// Blocks until `clock` reads `target`, never returning before it: one kernel sleep to `target − allowance`,
    /// then a spin through what is left, if anything (rarely more than a few µs). The wake-up is recorded at the
    /// next call, so nothing but the clock's reading stands between the wake-up and the caller's write. For
    /// dedicated threads only.
    mutating func sleep(untilMicroseconds target: Int64, on clock: SystemWallClock) {
        if let (asked, woke) = unrecorded {
            record(asked: asked, woke: woke)
            unrecorded = nil
        }
        let asked = target - microseconds
        if clock.nowMicroseconds() < asked {
            clock.blockingSleep(untilMicroseconds: asked)
            unrecorded = (asked, clock.nowMicroseconds())
        }
        while clock.nowMicroseconds() < target {}
    }
}
