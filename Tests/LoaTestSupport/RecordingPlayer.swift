import Foundation
import LoaCore
import Synchronization

/// A broadcast player for the core's unit tests: it "plays" each item for a fixed time on the test's
/// manual clock and records what it was asked to play, and when. Open-ended content (live, a relay until
/// stopped) plays until ``finish(broadcast:)``, and reports a made-up source: `live:test`, 1.5 s missing in 1 gap.
public final class RecordingPlayer: BroadcastPlaying, Sendable {
    public struct Play: Sendable, Hashable {
        public let scheduleID: String
        public let startedAt: Date
        /// The log id it was played under.
        public let broadcast: Int64
        /// How much of the content it skipped (a broadcast resumed after a crash).
        public let offset: Duration
        /// What it was asked to play: a programme's items, that day's one-off items included.
        public let announcement: Announcement
    }

    let clock: ManualClock
    let duration: TimeInterval
    let plays = Mutex<[Play]>([])
    let prepared = Mutex<[String]>([])
    /// Open-ended broadcasts playing, and whether each was asked to finish.
    let openEnded = Mutex<[Int64: Bool]>([:])
    /// Broadcasts of streamed content (live, relay) it was asked to play.
    let streamed = Mutex<Set<Int64>>([])

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
            $0.append(
                Play(
                    scheduleID: schedule.id,
                    startedAt: start,
                    broadcast: broadcast,
                    offset: offset,
                    announcement: schedule.announcement
                )
            )
        }
        if schedule.announcement.content.isStreamed { streamed.withLock { _ = $0.insert(broadcast) } }
        if schedule.announcement.content.isOpenEnded {
            openEnded.withLock { $0[broadcast] = false }
            defer { openEnded.withLock { _ = $0.removeValue(forKey: broadcast) } }
            while openEnded.withLock({ $0[broadcast] }) == false {
                try Task.checkCancellation()
                try await Task.sleep(for: .milliseconds(2))
            }
            return PlayoutTimes(startedAt: start, endedAt: clock.now())
        }
        try await clock.sleep(until: start.addingTimeInterval(duration))
        return PlayoutTimes(startedAt: start, endedAt: clock.now())
    }

    public func finish(broadcast: Int64) -> Bool {
        openEnded.withLock { playing in
            guard playing[broadcast] != nil else { return false }
            playing[broadcast] = true
            return true
        }
    }

    public func sourceReport(broadcast: Int64) -> SourceReport? {
        guard streamed.withLock({ $0.contains(broadcast) }) else { return nil }
        return SourceReport(source: "live:test", missingMicroseconds: 1_500_000, gaps: 1)
    }
}
