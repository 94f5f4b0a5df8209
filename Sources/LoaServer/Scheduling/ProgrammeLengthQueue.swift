import LoaCore
import Synchronization

/// The schedules waiting for the schedule book to measure their length, worked one at a time by one task.
final class ProgrammeLengthQueue: Sendable {
    /// The most waiting at once; a flood's surplus is measured at approval instead.
    static let limit = 32

    private struct State {
        var waiting: [Schedule] = []
        var working = false
    }

    private let state = Mutex(State())

    /// Adds `schedule` (replacing an older revision of it still waiting); true when the caller must start the
    /// worker, false when one runs already or the queue is full.
    func enqueue(_ schedule: Schedule) -> Bool {
        state.withLock { state in
            state.waiting.removeAll { $0.id == schedule.id }
            guard state.waiting.count < Self.limit else { return false }
            state.waiting.append(schedule)
            guard !state.working else { return false }
            state.working = true
            return true
        }
    }

    /// The next schedule to measure, or nil (and the worker stops) when none waits.
    func next() -> Schedule? {
        state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.working = false
                return nil
            }
            return state.waiting.removeFirst()
        }
    }
}
