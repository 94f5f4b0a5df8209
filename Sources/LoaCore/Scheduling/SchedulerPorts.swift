/// Wall-clock time for the scheduler: schedules are in civil time, so it must follow the system clock
/// (NTP steps included), not a monotonic one. Tests drive a manual clock instead.
public protocol WallClock: Sendable {
    func now() -> Date
    /// Suspends until the clock reads `deadline` or later. Throws `CancellationError` when cancelled.
    func sleep(until deadline: Date) async throws
}

/// Where the scheduler writes what happened. Every call is durable before it returns, so a crash loses
/// nothing already logged. The calls are async so that the writes (an fsync each) wait off the scheduler's
/// actor and the cooperative pool's few threads; ``BroadcastLogQueue`` keeps them in the order decided.
public protocol BroadcastLogging: Sendable {
    /// Adds an entry and returns its id.
    func append(_ entry: BroadcastLogEntry) async throws -> Int64
    /// Updates an entry's outcome and times.
    func update(_ entry: BroadcastLogEntry) async throws
    /// Entries still `playing` or `waiting`: left open by a run that crashed.
    func openEntries() async throws -> [BroadcastLogEntry]
    /// The planned time up to which every occurrence has been handled.
    func watermark() async throws -> Date?
    func setWatermark(_ date: Date) async throws
    /// Keeps, somewhere that survives a restart, the writes the disk refused until the daemon stopped; the
    /// next start writes them before anything else (a full disk must not turn a completed broadcast into an
    /// interrupted one). Best effort: it cannot fail louder than the log already says.
    func keep(unwritten: [UnwrittenLogWrite]) async
}

extension BroadcastLogging {
    /// Without a place to keep them, writes refused until the stop are lost (the core's in-memory log).
    public func keep(unwritten: [UnwrittenLogWrite]) async {}
}

/// Plays an announcement. The local ALSA output implements it now; streaming to receivers joins later.
public protocol BroadcastPlaying: Sendable {
    /// Renders the content ahead of time (TTS, decoding), so playback can start on the planned instant.
    /// Called again by `play` if it was not; implementations cache.
    func prepare(_ schedule: Schedule) async throws
    /// How long before its presentation instant `play` must be called: the time audio needs to reach every
    /// loudspeaker. The scheduler calls `play` this much ahead of each occurrence.
    var startLead: TimeInterval { get }
    /// How soon after `play` is called an item that is due already (aired now, late, resumed) can start: less
    /// than `startLead`, since its first audio is sent at once rather than paced.
    var onDemandStart: TimeInterval { get }
    /// Plays the schedule's announcement (with its repeats) so its first sample is presented at `presentAt`
    /// (or as soon as possible after), returning the instant it really was and when it ended; `broadcast` is
    /// its log entry, for receivers' reports. Cancellation cuts it short and throws `CancellationError`.
    ///
    /// `offset` skips that much of the content (repeats included), on its 20 ms grid: a broadcast a crash cut
    /// airs again from where it stopped.
    func play(
        _ schedule: Schedule,
        broadcast: Int64,
        presentAt: Date,
        from offset: Duration
    ) async throws
        -> PlayoutTimes
    /// Ends an open-ended broadcast on air (live, a relay aired until stopped) the normal way: its last audio
    /// goes out and `play` returns as for an item aired to its end. False when `broadcast` is not such a
    /// broadcast of this player; the scheduler then cuts it.
    func finish(broadcast: Int64) -> Bool
    /// What a live or relayed broadcast's source did while it aired, so far; nil for other broadcasts.
    func sourceReport(broadcast: Int64) -> SourceReport?
}

extension BroadcastPlaying {
    /// A player of rendered content only has nothing to finish early.
    public func finish(broadcast: Int64) -> Bool { false }
    public func sourceReport(broadcast: Int64) -> SourceReport? { nil }

    /// Plays the whole announcement: ``play(_:broadcast:presentAt:from:)`` from its start.
    public func play(_ schedule: Schedule, broadcast: Int64, presentAt: Date) async throws -> PlayoutTimes {
        try await play(schedule, broadcast: broadcast, presentAt: presentAt, from: .zero)
    }
}

/// When playback really started and ended, from the audio path's own timestamps.
public struct PlayoutTimes: Sendable, Hashable {
    public var startedAt: Date
    public var endedAt: Date
    /// Why it ended when that was not the content's end or a stop (a live session whose client went away).
    public var note: String?

    public init(startedAt: Date, endedAt: Date, note: String? = nil) {
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.note = note
    }
}
