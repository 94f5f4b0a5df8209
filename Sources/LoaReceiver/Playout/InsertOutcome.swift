/// What became of a message's packets.
struct InsertOutcome: Sendable, Hashable {
    var accepted = 0
    /// Packets whose time had passed before the receiver knew the session (joining mid-session).
    var beforeJoin = 0
    /// Some packet arrived after its slot.
    var late = false
}
