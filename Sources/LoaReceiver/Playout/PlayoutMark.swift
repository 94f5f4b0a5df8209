/// The audio message a packet opened, for the playout journal.
struct PlayoutMark: Sendable, Hashable {
    var sequence: UInt32
    /// The message's presentation time.
    var due: Int64
}
