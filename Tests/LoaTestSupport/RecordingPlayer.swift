import Foundation
import LoaCore
import Synchronization

/// A broadcast player for the core's unit tests: it "plays" each item for a fixed time on the test's
/// manual clock and records what it was asked to play, and when.
public final class RecordingPlayer: BroadcastPlaying, Sendable {
    public struct Play: Sendable, Hashable {
        public let scheduleID: String
        public let startedAt: Date
        /// The log id it was played under.
        public let broadcast: Int64
        /// How much of the content it skipped (a broadcast resumed after a crash).
        public let offset: Duration
    }

    let clock: ManualClock
    let duration: TimeInterval
    let plays = Mutex<[Play]>([])
    let prepared = Mutex<[String]>([])

    public init(clock: ManualClock, duration: TimeInterval) {
        self.clock = clock
        self.duration = duration
    }

    public var started: [Play] { plays.withLock { $0 } }
    public var preparedIDs: [String] { prepared.withLock { $0 } }

    public func prepare(_ schedule: Schedule) async throws {
        prepared.withLock { $0.append(schedule.id) }
    }

    public var startLead: TimeInterval { 0 }
    public var onDemandStart: TimeInterval { 0 }

    public func play(
        _ schedule: Schedule,
        broadcast: Int64,
        presentAt: Date,
        from offset: Duration
    ) async throws -> PlayoutTimes {
        let start = clock.now()
        plays.withLock {
            $0.append(Play(scheduleID: schedule.id, startedAt: start, broadcast: broadcast, offset: offset))
        }
        try await clock.sleep(until: start.addingTimeInterval(duration))
        return PlayoutTimes(startedAt: start, endedAt: clock.now())
    }
}
