import LoaCore
import Synchronization
import Testing

/// Inbound messages go to every consumer whose filter matches, whatever the order of the consumers.
@Suite("Inbound routing by topic filter")
struct InboundRouterTests {
    final class Consumer: InboundConsumer {
        let subscription: TopicFilter
        private let seen = Mutex<[String]>([])
        init(_ filter: String) throws { subscription = try TopicFilter(filter) }
        func receive(_ message: BusMessage) { seen.withLock { $0.append(message.topic) } }
        var topics: [String] { seen.withLock { $0 } }
    }

    static let traffic = [
        "loa/v1/xa/rx/rx-1/status", "loa/v1/xa/rx/rx-1/events", "loa/v1/xa/rx/rx-2/telemetry",
        "loa/v1/xa/rx/rx-2/events", "loa/v1/xa/controller/status", "loa/v1/xb/rx/rx-9/events",
    ]

    @Test func everyMatchingConsumerSeesEveryMessageInAnyOrder() throws {
        var results: [[[String]]] = []
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
            let consumers = try [
                Consumer("loa/v1/xa/rx/+/+"), Consumer("loa/v1/xa/rx/+/events"), Consumer("loa/v1/xa/controller/#"),
            ]
            let router = InboundRouter(order.map { consumers[$0] })
            let deliveries = Self.traffic.map { router.route(BusMessage(topic: $0, payload: [])) }
            #expect(deliveries == [1, 2, 1, 2, 1, 0])
            results.append(consumers.map(\.topics))
        }
        #expect(results.allSatisfy { $0 == results[0] })
        #expect(results[0][0] == Array(Self.traffic.prefix(4)))
        #expect(results[0][1] == ["loa/v1/xa/rx/rx-1/events", "loa/v1/xa/rx/rx-2/events"])
        #expect(results[0][2] == ["loa/v1/xa/controller/status"])
    }

    @Test func eachFilterIsSubscribedOnceAndCoveredOnesNotAtAll() throws {
        let router = InboundRouter(try [Consumer("a/+"), Consumer("b/#"), Consumer("a/+"), Consumer("b/c/+")])
        #expect(router.subscriptions.map(\.text) == ["a/+", "b/#"])
        let receivers = InboundRouter(try [Consumer("loa/v1/xa/rx/+/events"), Consumer("loa/v1/xa/rx/+/+")])
        #expect(receivers.subscriptions.map(\.text) == ["loa/v1/xa/rx/+/+"])
    }
}
