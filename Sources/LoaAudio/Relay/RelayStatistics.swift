/// Counters of a ``RelayReceiver`` since it started.
public struct RelayStatistics: Sendable, Hashable {
    /// Connections opened successfully (the first and every reconnection).
    public var connects: Int = 0
    /// Attempts that failed to open, and connections that broke, ended or stalled.
    public var failures: Int = 0
    /// Samples dropped, oldest first, because the buffer was full (nobody took them in time).
    public var droppedSamples: Int = 0
    /// Seconds of audio decoded, at 48 kHz.
    public var decodedSeconds: Double = 0

    public init() {}
}
