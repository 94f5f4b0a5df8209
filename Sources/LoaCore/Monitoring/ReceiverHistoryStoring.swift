/// Where receivers' state transitions are kept: the SQLite store implements it.
public protocol ReceiverHistoryStoring: Sendable {
    /// Appends transitions (durable when it returns).
    func recordReceiverTransitions(_ transitions: [ReceiverTransition]) throws
    /// Each receiver's latest transition, by receiver id: its state when the daemon stopped.
    func latestReceiverTransitions() throws -> [String: ReceiverTransition]
    /// A receiver's transitions at or after `since`, oldest first, at most `limit`.
    func receiverTransitions(receiver: String, since: Date, limit: Int) throws -> [ReceiverTransition]
    /// A receiver's newest transitions, newest first.
    func recentReceiverTransitions(receiver: String, limit: Int) throws -> [ReceiverTransition]
    /// A receiver's last transition before `date`: its state at that instant.
    func receiverTransition(receiver: String, before date: Date) throws -> ReceiverTransition?
    /// Every receiver's transitions during `window`, oldest first, and its last one before it: a month's
    /// availability for the whole commune in one read.
    func receiverTransitions(
        during window: DateInterval
    ) throws -> (before: [String: ReceiverTransition], during: [String: [ReceiverTransition]])
    /// Deletes transitions older than `date`; returns how many.
    @discardableResult
    func pruneReceiverTransitions(before date: Date) throws -> Int
}
