import LoaCore

/// Where a receiver's sessions go, and the gateway's own (its local line is an in-process receiver). Two
/// implementations share ``PlayoutSchedule``: ``PacedOutput`` plays through ALSA on a dedicated thread at each
/// packet's presentation time, and ``VirtualOutput`` runs the same
/// timeline in virtual time with no device (`--audio-device none`, and `--simulate` receivers writing to
/// `null`), so a thousand of them cost no thread and no pacing each.
///
/// Events (`session.*`, `underrun`) and journal lines come out through the ``OutputNotice`` stream the
/// output was made with, never from the caller's thread, so the playout thread never waits for MQTT.
package protocol AudioOutput: Sendable {
    /// A `play` command.
    func announce(_ play: ControlCommand.Play, now: Int64)
    /// A verified audio message.
    func receive(_ message: AudioMessage, now: Int64) -> ReceiveOutcome
    /// A `stop` command: a session id or `*`.
    func stop(_ target: String, now: Int64)
    /// A `volume` command, 0–100.
    func setVolume(_ level: Int)
    /// Housekeeping at least every few hundred ms: virtual outputs play what is due, all forget stale sessions.
    func advance(now: Int64)
    /// The session on the air, the counters and the last error, for telemetry.
    var status: OutputStatus { get }
    /// Stops playing and releases the device. Idempotent; may block briefly, so call it off the async pool.
    func shutdown()
}

/// A snapshot for telemetry.
package struct OutputStatus: Sendable, Hashable {
    var playing: SessionID?
    var counts: SessionCounts
    var lastError: String?
}

/// What an output reports, in order.
package enum OutputNotice: Sendable {
    case event(ReceiverEvent)
    case journal(PlayoutJournalEntry)
}

/// The write end of an output's notices.
package typealias OutputNotices = AsyncStream<OutputNotice>.Continuation

extension OutputNotices {
    func emit(_ events: [ReceiverEvent]) {
        for event in events { yield(.event(event)) }
    }
}
