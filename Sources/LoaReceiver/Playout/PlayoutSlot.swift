import LoaCore

/// One packet's worth of output: what to decode (or conceal) and when its first sample is due.
struct PlayoutSlot: Sendable {
    let session: SessionID
    /// Presentation time of the first sample, wall-clock µs.
    let time: Int64
    /// The Opus packet, or nil to conceal the slot (or to output silence, when ``isSilent``).
    let packet: [UInt8]?
    /// Set when the packet opens an audio message: it gets a playout-journal line.
    let mark: PlayoutMark?
    /// A stalled session's silence: output zeros, not packet-loss concealment.
    let isSilent: Bool
    /// Linear gain from the volume (1 at 100).
    let gain: Float
    /// Samples the slot lasts at 48 kHz.
    let samples: Int
    /// µs the slot lasts.
    let packetDuration: Int64
    /// The session's first slot: its presentation is the `session.started` instant.
    let isFirst: Bool
    /// The session's last slot: `session.finished` follows it.
    let isLast: Bool
}
