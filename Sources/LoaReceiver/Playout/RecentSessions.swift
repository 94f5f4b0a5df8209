import LoaCore

/// A bounded set of session ids, oldest forgotten first: enough to ignore the stragglers of a stopped or
/// finished session without growing for the life of the receiver.
struct RecentSessions: Sendable {
    let capacity: Int
    private var order: [SessionID] = []
    private var members: Set<SessionID> = []

    init(capacity: Int) {
        self.capacity = capacity
    }

    func contains(_ id: SessionID) -> Bool { members.contains(id) }

    mutating func insert(_ id: SessionID) {
        guard members.insert(id).inserted else { return }
        order.append(id)
        if order.count > capacity { members.remove(order.removeFirst()) }
    }
}
