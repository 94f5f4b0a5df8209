import LoaCore

/// The station's microphone or line-in, as a live session reads it: 20 ms blocks of 48 kHz mono, each stamped
/// with the wall-clock µs its first sample was captured. ``PacedCapture`` (LoaALSA) is the real one.
protocol LiveCapturing: AnyObject, Sendable {
    /// Blocks until the next block is captured; nil once closed.
    func nextBlock() throws -> (samples: [Float], capturedAt: Int64)?
    /// Ends capture; a blocked `nextBlock` returns nil.
    func close()
}

/// A relayed radio stream as a relay session pulls it: decoded, levelled 48 kHz mono, buffered by its own
/// thread, which reconnects on its own. ``RelayReceiver`` (LoaAudio) is the real one.
protocol RelayFeeding: AnyObject, Sendable {
    func start()
    /// Exactly `count` samples when that many are buffered; nil, taking nothing, otherwise.
    func take(_ count: Int) -> [Float]?
    var bufferedSamples: Int { get }
    /// Why the stream is not flowing, when it is not: for the log and the alert.
    var problem: String? { get }
    func close()
}

/// Where live and relayed sessions get their audio, and how they behave: the daemon's settings and its
/// factories for the real capture and relay.
struct StreamedSources: Sendable {
    /// Which ALSA capture PCM live sessions read (for the log's `live:{device}`).
    var liveDevice: String
    /// How far ahead of presentation live audio is sent: its microphone-to-loudspeaker delay.
    var liveLead: Duration
    /// Whether the gateway's own line plays live sessions along.
    var liveMonitor: Bool
    /// How long a relayed stream may be missing or silent before the fallback airs.
    var relayDeadAir: Duration
    /// Opens the capture device for one live session.
    var openCapture: @Sendable () throws -> any LiveCapturing
    /// Opens a relay of `url` for one relayed session.
    var openRelay: @Sendable (_ url: String) -> any RelayFeeding
    /// What airs in a relay's place while its stream is missing (rendered once, then kept).
    var fallback: @Sendable () async throws -> AudioClip
    /// Live sessions end when the client holding them goes away.
    var leases: LiveLeases
    /// Where a relay's lost and restored stream is alerted.
    var alerts: (any ControllerAlerting)?
}
