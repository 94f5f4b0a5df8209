/// Where signed commands get their sequence numbers. Receivers refuse a sequence they have seen, so the
/// source must never go back, not even across a restart: the adapter persists each number before handing it out.
public protocol CommandSequencing: Sendable {
    /// The next number, strictly greater than every one handed out before.
    func next() throws -> Int64
}
