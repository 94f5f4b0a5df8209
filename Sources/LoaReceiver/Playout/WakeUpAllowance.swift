import LoaCore

/// How early a playout thread asks to be woken so it wakes on time: the 90th percentile of its last 64 wake-up
/// latencies (how long after the asked instant the kernel let it run), at most 300 µs.
///
/// A timed sleep ends late by the timer and scheduler latency, which here (a VM on 2 cores, `SCHED_FIFO`) is
/// 50–70 µs most of the time and rarely much more. Spinning the last 300 µs hid it at about 1.4% of a core per
/// receiver; sleeping to the instant saves that but presents every packet ~50 µs late, with a long tail. Waking
/// early by the thread's own recent latency and spinning only what is left (a few µs, 0 in one wake in ten)
/// presents on time at p50 and p90 for ~0.1% of a core (docs/benchmarks.md, "Receiver footprint").
struct WakeUpAllowance {
    static let window = 64
    static let maximum: Int64 = 300

    private var latencies: [Int64] = []
    private var next = 0
    /// How early to ask to be woken, µs.
    private(set) var microseconds: Int64 = 0

    /// Notes one wake-up: it was asked for `asked` and the thread ran again at `woke` (wall-clock µs).
    mutating func record(asked: Int64, woke: Int64) {
        let latency = min(max(0, woke - asked), Self.maximum)
        if latencies.count < Self.window {
            latencies.append(latency)
        } else {
            latencies[next] = latency
        }
        next = (next + 1) % Self.window
        let sorted = latencies.sorted()
        microseconds = sorted[sorted.count * 9 / 10]
    }

    /// Blocks until `clock` reads `target`: one kernel sleep to `target − allowance`, then a spin through what
    /// is left, if anything. For dedicated threads only.
    mutating func sleep(untilMicroseconds target: Int64, on clock: SystemWallClock) {
        let asked = target - microseconds
        if clock.nowMicroseconds() < asked {
            clock.blockingSleep(untilMicroseconds: asked)
            record(asked: asked, woke: clock.nowMicroseconds())
        }
        while clock.nowMicroseconds() < target {}
    }
}
