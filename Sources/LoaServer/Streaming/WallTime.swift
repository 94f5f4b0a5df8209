import Foundation

/// Wall-clock microseconds, the protocol's time base, and the conversion to a monotonic deadline for
/// sleeping (so a wall-clock step mid-session does not stall the stream).
enum WallTime {
    static func nowMicroseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000
    }

    /// The monotonic instant at which the wall clock will read `micros`.
    static func instant(atMicroseconds micros: Int64) -> ContinuousClock.Instant {
        let now = ContinuousClock.now
        return now + .microseconds(micros - nowMicroseconds())
    }

    /// Sleeps until the wall clock reads `micros`.
    static func sleep(untilMicroseconds micros: Int64) async throws {
        let deadline = instant(atMicroseconds: micros)
        if ContinuousClock.now < deadline {
            try await Task.sleep(until: deadline, tolerance: .microseconds(200), clock: .continuous)
        }
    }
}
