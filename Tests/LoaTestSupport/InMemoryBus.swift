import LoaCore
import Synchronization

/// The core's message bus in memory, for unit tests: it records what is published and subscribed, and
/// delivers what a test injects to the one consumer of ``messages`` when a subscription matches it, as a
/// broker would.
public final class InMemoryBus: MessageBus, Sendable {
    private struct State {
        var published: [BusMessage] = []
        var filters: [TopicFilter] = []
        var outage: String?
    }

    /// What ``publish(_:)`` throws while the bus is down (``breakLink(_:)``).
    public struct LinkDown: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    private let state = Mutex(State())
    public let messages: AsyncStream<BusMessage>
    private let inbox: AsyncStream<BusMessage>.Continuation

    public init() {
        (messages, inbox) = AsyncStream.makeStream(of: BusMessage.self)
    }

    public var connectionState: BusConnectionState {
        state.withLock { state in state.outage.map { .disconnected(reason: $0) } ?? .connected }
    }

    /// Takes the link down (publishes throw `reason`), or back up with nil, as a lost broker would.
    public func breakLink(_ reason: String?) {
        state.withLock { $0.outage = reason }
    }

    /// Everything published so far, in order.
    public var published: [BusMessage] { state.withLock { $0.published } }

    /// The filters subscribed to, in order.
    public var subscriptions: [String] { state.withLock { $0.filters.map(\.text) } }

    public func publish(_ message: BusMessage) throws {
        try state.withLock { state in
            if let outage = state.outage { throw LinkDown(description: outage) }
            state.published.append(message)
        }
    }

    public func subscribe(to filter: String, delivery: DeliveryGuarantee) throws {
        let parsed = try TopicFilter(filter)
        state.withLock { $0.filters.append(parsed) }
    }

    public func unsubscribe(from filter: String) throws {
        state.withLock { $0.filters.removeAll { $0.text == filter } }
    }

    /// Delivers `message` as if a receiver had published it; returns whether any subscription matched.
    @discardableResult
    public func inject(_ message: BusMessage) -> Bool {
        let matched = state.withLock { $0.filters.contains { $0.matches(message.topic) } }
        if matched { inbox.yield(message) }
        return matched
    }

    /// Ends ``messages``.
    public func finish() { inbox.finish() }
}
