/// What is on air, kept where a crash cannot lose it: enough for a restart to air the rest of a broadcast
/// that `loa announce` made only in memory (the schedule, with its announcement), and to know how far it got.
public struct OnAirRecord: Codable, Sendable, Hashable {
    /// Its broadcast log id.
    public var broadcast: Int64
    /// The schedule it airs, announcement included.
    public var schedule: Schedule
    /// Where in the content (its repeats included) this airing began, in µs: 0, or where a resumed one resumed.
    public var offsetMicroseconds: Int64
    /// When the first sample of this airing is presented, wall-clock µs since 1970.
    public var startMicroseconds: Int64
    /// The whole content's length (its repeats included), in µs.
    public var durationMicroseconds: Int64
    /// When the daemon last said it was still airing, wall-clock µs since 1970: at most a heartbeat before
    /// a crash.
    public var aliveMicroseconds: Int64

    public init(
        broadcast: Int64,
        schedule: Schedule,
        offsetMicroseconds: Int64,
        startMicroseconds: Int64,
        durationMicroseconds: Int64,
        aliveMicroseconds: Int64
    ) {
        self.broadcast = broadcast
        self.schedule = schedule
        self.offsetMicroseconds = offsetMicroseconds
        self.startMicroseconds = startMicroseconds
        self.durationMicroseconds = durationMicroseconds
        self.aliveMicroseconds = aliveMicroseconds
    }

    /// Where in the content it had got to when last known alive, in µs (never before where it began).
    public var reachedMicroseconds: Int64 {
        min(durationMicroseconds, offsetMicroseconds + max(0, aliveMicroseconds - startMicroseconds))
    }
}

/// Where broadcasts that must survive a crash (``Priority/resumesAfterCrash``) are recorded while they air.
///
/// A write that fails (a full disk) must never stop a broadcast: implementations log it and carry on, so
/// none of these calls throws.
public protocol OnAirRecording: Sendable {
    /// The records a previous run left: broadcasts that were on air when it stopped without ending them.
    func leftOver() async -> [OnAirRecord]
    /// Keeps `record` (and keeps it alive) until `ended(broadcast:)`.
    func began(_ record: OnAirRecord)
    /// Drops the record of `broadcast`, this run's or a previous run's.
    func ended(broadcast: Int64)
}

extension Priority {
    /// Whether a broadcast of this priority cut by a crash airs again on restart: everything above normal.
    public var resumesAfterCrash: Bool { self >= .priority }
}
