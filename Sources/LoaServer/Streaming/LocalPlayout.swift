import LoaALSA

/// The gateway's own loudspeaker line, as the streamer sees it: a chunk of samples played at a presentation
/// time. The ALSA service implements it; the streamer's tests record what it is given.
protocol LocalPlayout: Sendable {
    /// Plays `samples` (48 kHz mono) with their first sample at `presentAt` (wall-clock µs); returns when
    /// that first sample actually reached the output, in the same time base.
    func present(_ samples: [Int16], at presentAt: Int64) async throws -> Int64
}

extension LocalAudioService: LocalPlayout {
    func present(_ samples: [Int16], at presentAt: Int64) async throws -> Int64 {
        let report = try await play(samples, presentAt: presentAt)
        return report.startedAtWallClockMicroseconds + report.delayAtStartDuration.microseconds
    }
}
