import Foundation
import LoaCore

/// The system's wall clock, for the scheduler and the streamer. Sleeps in steps so a clock step (NTP, an
/// operator setting the time) is noticed within a second, and wakes with a tolerance of 200 µs so occurrences
/// fire and audio messages leave on time.
struct SystemWallClock: WallClock {
    func now() -> Date { Date() }

    func sleep(until deadline: Date) async throws {
        while true {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return }
            try await Task.sleep(for: .seconds(min(remaining, 1)), tolerance: .microseconds(200), clock: .continuous)
        }
    }
}
