/// One line of a playout journal (`--playout-journal FILE`, JSON lines): when one audio message's first
/// sample was due and when it actually went out. Used to measure how closely the gateway and the receivers
/// play in step.
public struct PlayoutJournalEntry: Codable, Sendable, Hashable {
    /// Who played it: a receiver id, or `gateway`.
    public var player: String
    public var session: SessionID
    /// The audio message's sequence number (100 ms each).
    public var sequence: UInt32
    /// The presentation time it was due, wall-clock µs.
    public var due: Int64
    /// When its first sample was handed to ALSA plus the device delay, wall-clock µs.
    public var presented: Int64

    public init(player: String, session: SessionID, sequence: UInt32, due: Int64, presented: Int64) {
        self.player = player
        self.session = session
        self.sequence = sequence
        self.due = due
        self.presented = presented
    }
}
