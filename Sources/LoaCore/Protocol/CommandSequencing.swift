/// Where signed commands get their sequence numbers. Receivers refuse a sequence they have seen, so the
/// source must never go back, not even across a restart: the adapter persists each number before handing it out.
public protocol CommandSequencing: Sendable {
    /// The next number, strictly greater than every one handed out before.
    func next() throws -> Int64

    /// Moves the sequence past `seen` (a number a receiver has obeyed: a restored backup's sequence is behind
    /// the receivers'), so the next number is accepted. Returns the last number before the move, or nil when
    /// the sequence was past `seen` already.
    func advance(past seen: Int64) throws -> Int64?
}

extension CommandSequencing {
    /// A sequence that cannot move (a test's counter) never does.
    public func advance(past seen: Int64) throws -> Int64? { nil }
}
