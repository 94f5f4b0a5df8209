/// What happened when one buffer of samples was played by a ``PlayoutThread``.
///
/// The first frame becomes audible at about ``startedAtWallClockMicroseconds`` + ``delayAtStart``; the
/// daemon compares that with the time an announcement was scheduled for, and receivers align to it.
public struct PlayoutReport: Sendable, Hashable {
    /// Wall-clock time (`CLOCK_REALTIME`, microseconds since the Unix epoch) just before the first frame was
    /// handed to alsa-lib.
    public var startedAtWallClockMicroseconds: Int64

    /// The same moment on the monotonic `ContinuousClock`, for measuring intervals within the process.
    public var startedAt: ContinuousClock.Instant

    /// Frames already queued in the device ahead of the first frame at that moment (`snd_pcm_delay`).
    public var delayAtStart: Int

    /// ``delayAtStart`` as a duration.
    public var delayAtStartDuration: Duration

    /// Frames handed to alsa-lib.
    public var framesWritten: Int

    /// Underruns recovered while these frames were written.
    public var underruns: Int

    public init(
        startedAtWallClockMicroseconds: Int64,
        startedAt: ContinuousClock.Instant,
        delayAtStart: Int,
        delayAtStartDuration: Duration,
        framesWritten: Int,
        underruns: Int
    ) {
        self.startedAtWallClockMicroseconds = startedAtWallClockMicroseconds
        self.startedAt = startedAt
        self.delayAtStart = delayAtStart
        self.delayAtStartDuration = delayAtStartDuration
        self.framesWritten = framesWritten
        self.underruns = underruns
    }
}
