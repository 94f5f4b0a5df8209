import Foundation
import LoaCore

/// The system's wall clock for the scheduler. Sleeps in steps so a clock step (NTP, an operator setting
/// the time) is noticed within a second, and wakes with millisecond tolerance so occurrences fire on time.
struct SystemWallClock: WallClock {
    func now() -> Date { Date() }

    func sleep(until deadline: Date) async throws {
        while true {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return }
            try await Task.sleep(for: .seconds(min(remaining, 1)), tolerance: .milliseconds(1), clock: .continuous)
        }
    }
}
