import LoaCore

/// The gateway's own loudspeaker line, as the streamer sees it: an in-process receiver. It is handed the very
/// `play` command and audio messages the receivers are sent, and cut by the same stop, so it plays them on a
/// receiver's engine at the same presentation times. ``LocalAudioService`` implements it; the streamer's tests
/// record what it is given.
protocol LocalPlayout: Sendable {
    /// The `play` command sent to the receivers, before the session's audio.
    func announce(_ play: ControlCommand.Play)
    /// An audio message as published, `lead` ahead of its presentation time.
    func receive(_ message: AudioMessage)
    /// Cuts `session` at once (a stop, an abort, a preemption).
    func stop(_ session: SessionID)
    /// When the session's first sample was presented (wall-clock µs), once it has been.
    func presentationStart(of session: SessionID) -> Int64?
}
