import Foundation
import LoaALSA
import LoaCore
import Synchronization

/// Plays broadcasts on the gateway's own output: renders each announcement ahead of time (cached by
/// content, so a daily slot renders once), then plays it with its repeats and gaps. Until streaming lands
/// this is the only way a broadcast reaches a loudspeaker.
final class LocalBroadcastPlayer: BroadcastPlaying, Sendable {
    let renderer: any AnnouncementRendering
    let output: LocalAudioService
    let cache = Mutex<[Announcement: [Int16]]>([:])
    /// The most renders kept; a commune airs a handful of items a day.
    let cacheLimit = 16

    init(renderer: any AnnouncementRendering, output: LocalAudioService) {
        self.renderer = renderer
        self.output = output
    }

    func prepare(_ schedule: Schedule) async throws {
        _ = try await samples(for: schedule.announcement)
    }

    /// Plays the announcement `repeatCount` times with its gaps, paced by the clock in 100 ms chunks.
    ///
    /// Pacing keeps the output at most `lead` ahead of real time even on devices that are not paced
    /// (`file`, `null`), so "playing" lasts as long as the audio, and a preemption cuts it within a chunk.
    func play(_ schedule: Schedule) async throws -> PlayoutTimes {
        let samples = try await samples(for: schedule.announcement)
        let rate = renderer.sampleRate
        let gap = [Int16](repeating: 0, count: schedule.repeatGapSeconds * rate)
        let chunk = rate / 10
        let lead = Duration.milliseconds(200)
        let origin = ContinuousClock.now
        var written = 0
        var started: Date?
        for repetition in 0..<max(1, schedule.repeatCount) {
            let buffer = repetition == 0 ? samples : gap + samples
            for start in stride(from: 0, to: buffer.count, by: chunk) {
                try Task.checkCancellation()
                let due = origin + .microseconds(Int64(written) * 1_000_000 / Int64(rate)) - lead
                if ContinuousClock.now < due { try await Task.sleep(until: due, clock: .continuous) }
                let slice = Array(buffer[start..<min(start + chunk, buffer.count)])
                let report = try await output.play(slice)
                if started == nil {
                    started = Date(timeIntervalSince1970: Double(report.startedAtWallClockMicroseconds) / 1_000_000)
                }
                written += slice.count
            }
        }
        // The last chunks are still in the device; the item ends when they have been heard.
        let end = origin + .microseconds(Int64(written) * 1_000_000 / Int64(rate))
        if ContinuousClock.now < end { try await Task.sleep(until: end, clock: .continuous) }
        return PlayoutTimes(startedAt: started ?? Date(), endedAt: Date())
    }

    func samples(for announcement: Announcement) async throws -> [Int16] {
        if let cached = cache.withLock({ $0[announcement] }) { return cached }
        let rendered = try await renderer.render(announcement)
        cache.withLock { cache in
            if cache.count >= cacheLimit { cache.removeAll() }
            cache[announcement] = rendered
        }
        return rendered
    }
}
