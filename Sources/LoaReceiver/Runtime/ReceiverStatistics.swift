/// What a receiver has counted since it started: for tests, the simulation's summary and telemetry.
public struct ReceiverStatistics: Sendable, Hashable {
    /// Audio messages that arrived on the receiver's channels.
    public var audioMessages = 0
    /// Audio messages dropped by the `--test-drop-audio` hook.
    public var droppedByTestHook = 0
    /// Audio messages refused: bad signature, malformed, unknown version, unsupported format.
    public var rejectedFrames = 0
    /// Of those, audio for another site or channel than the one it arrived on, or than its session's `play`.
    public var wrongTargetFrames = 0
    public var commandsAccepted = 0
    public var commandsRejected = 0
    /// Output slots with nothing buffered at or after them.
    public var underruns = 0
    /// Audio messages with packets that arrived after their slot.
    public var lateFrames = 0
    /// Packets concealed.
    public var concealed = 0
    public var playedPackets = 0
    /// Sessions this receiver reported `session.started`, `session.finished` and `session.aborted` for.
    public var sessionsStarted = 0
    public var sessionsFinished = 0
    public var sessionsAborted = 0
    public var lastError: String?

    public init() {}
}
