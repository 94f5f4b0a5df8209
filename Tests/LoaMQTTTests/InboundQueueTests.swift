import LoaCore
import LoaMQTT
import LoaTestSupport
import Testing

/// Issue 14, item 4: a telemetry flood from one client made the controller drop receivers' acknowledgements.
/// The inbound lanes keep each kind, and each receiver's telemetry, within bounds of their own.
@Suite("The client's inbound lanes")
struct InboundQueueTests {
    let topics = try! TopicTree(site: "xa-an-phu")

    func message(_ topic: String, _ text: String) -> BusMessage {
        BusMessage(topic: topic, payload: Array(text.utf8), delivery: .atLeastOnce)
    }

    /// Everything the queue holds now, in the order the consumer gets it.
    func drain(_ queue: InboundQueue) async -> [String] {
        queue.finish()
        var out: [String] = []
        while let next = await queue.next() { out.append(String(decoding: next.payload, as: UTF8.self)) }
        return out
    }

    func makeQueue(_ policy: InboundPolicy) -> InboundQueue {
        InboundQueue(policy: policy, logger: TestBroker.logger("inbound"))
    }

    @Test func withNothingDroppedMessagesComeOutInArrivalOrderAcrossKinds() async {
        let queue = makeQueue(.controller(topics))
        let sent = [
            message(topics.receiverStatus("rx-dong-01"), "s1"), message(topics.receiverTelemetry("rx-dong-01"), "t1"),
            message(topics.receiverEvents("rx-dong-01"), "e1"), message(topics.controllerStatus, "o1"),
            message(topics.receiverEvents("rx-tay-01"), "e2"), message(topics.receiverTelemetry("rx-tay-01"), "t2"),
        ]
        for item in sent { queue.push(item) }
        #expect(await drain(queue) == ["s1", "t1", "e1", "o1", "e2", "t2"])
        #expect(queue.drops.total == 0)
        #expect(queue.drops.byKind == ["events": 0, "status": 0, "telemetry": 0, "other": 0])
    }

    @Test func oneReceiversTelemetryFloodDisplacesOnlyItsOwnOlderTelemetry() async {
        let queue = makeQueue(.controller(topics))
        queue.push(message(topics.receiverTelemetry("rx-tay-01"), "tay-t1"))
        for index in 0..<1_000 {
            queue.push(message(topics.receiverTelemetry("rx-bai-01"), "flood-\(index)"))
            if index == 500 { queue.push(message(topics.receiverEvents("rx-dong-01"), "dong-ack")) }
            if index == 600 { queue.push(message(topics.receiverEvents("rx-tay-01"), "tay-ack")) }
        }
        queue.push(message(topics.receiverEvents("rx-dong-01"), "dong-played"))
        queue.push(message(topics.receiverTelemetry("rx-tay-01"), "tay-t2"))
        let out = await drain(queue)
        #expect(out.filter { !$0.hasPrefix("flood") } == ["tay-t1", "dong-ack", "tay-ack", "dong-played", "tay-t2"])
        // Only the newest 4 of the flooder, still in their own order.
        #expect(out.filter { $0.hasPrefix("flood") } == ["flood-996", "flood-997", "flood-998", "flood-999"])
        let drops = queue.drops
        #expect(drops.byKind["telemetry"] == 996)
        #expect(drops.byKind["events"] == 0)
        #expect(drops.topOffenders.first == InboundDrops.Offender(kind: "telemetry", key: "rx-bai-01", count: 996))
    }

    @Test func oneReceiversForgedEventsCannotPushOutAnothersEvents() async {
        let queue = makeQueue(.controller(topics))
        queue.push(message(topics.receiverEvents("rx-dong-01"), "dong-ack"))
        for index in 0..<5_000 { queue.push(message(topics.receiverEvents("rx-bai-01"), "forged-\(index)")) }
        queue.push(message(topics.receiverEvents("rx-tay-01"), "tay-ack"))
        let out = await drain(queue)
        #expect(out.first == "dong-ack")
        #expect(out.last == "tay-ack")
        let forged = out.filter { $0.hasPrefix("forged") }
        #expect(forged.count == 1_024)
        #expect(forged.first == "forged-3976")
        #expect(queue.drops.byKind["events"] == 5_000 - 1_024)
        #expect(queue.drops.topOffenders.map(\.key) == ["rx-bai-01"])
    }

    @Test func aFullLaneDropsItsOwnOldestAndCountsIt() async {
        let queue = makeQueue(.single(limit: 3))
        for index in 1...5 { queue.push(message("any/topic", "\(index)")) }
        #expect(await drain(queue) == ["3", "4", "5"])
        #expect(queue.drops.byKind == ["all": 2])
        #expect(queue.drops.topOffenders.isEmpty)
    }

    @Test func manyReceiversFloodingTheirTelemetryStayWithinTheLanesBound() async {
        let lanes = [InboundPolicy.Lane(name: "telemetry", limit: 10, limitPerKey: 2)]
        let queue = makeQueue(InboundPolicy(lanes: lanes) { InboundPolicy.Placement(lane: 0, key: $0) })
        for index in 0..<100 { queue.push(message("rx-\(index % 20)", "\(index)")) }
        #expect(queue.held["telemetry"] == 10)
        #expect(await drain(queue) == (90..<100).map(String.init))
        #expect(queue.drops.byKind["telemetry"] == 90)
    }

    @Test func aReceiversCommandsAreNeverLostBehindAudio() async {
        let queue = makeQueue(.receiver(topics, audioLimit: 8))
        for index in 0..<200 {
            queue.push(message(topics.audio(.all), "audio-\(index)"))
            if index % 50 == 0 { queue.push(message(topics.commands(.receiver("rx-dong-01")), "cmd-\(index)")) }
        }
        let out = await drain(queue)
        #expect(out.filter { $0.hasPrefix("cmd") } == ["cmd-0", "cmd-50", "cmd-100", "cmd-150"])
        #expect(out.filter { $0.hasPrefix("audio") } == (192..<200).map { "audio-\($0)" })
        #expect(queue.drops.byKind == ["audio": 192, "commands": 0])
    }

    @Test func theControllerClassifiesByTopicAlone() {
        let policy = InboundPolicy.controller(topics)
        let placements = [
            topics.receiverEvents("rx-dong-01"), topics.receiverStatus("rx-dong-01"),
            topics.receiverTelemetry("rx-tay-01"), topics.controllerStatus, "loa/v1/xa-khac/rx/rx-dong-01/events",
            "\(topics.root)/rx/rx-dong-01/events/extra", "\(topics.root)/rx/rx-dong-01", "\(topics.root)/rx/",
        ].map { policy.classify($0) }
        #expect(
            placements.map { "\(policy.lanes[$0.lane].name):\($0.key)" } == [
                "events:rx-dong-01", "status:rx-dong-01", "telemetry:rx-tay-01", "other:", "other:", "other:",
                "other:", "other:",
            ]
        )
    }

    @Test func aWaitingConsumerGetsTheNextMessageAndStopsWhenCancelledOrFinished() async {
        let queue = makeQueue(.controller(topics))
        async let waited = queue.next()
        try? await Task.sleep(for: .milliseconds(20))
        queue.push(message(topics.receiverEvents("rx-dong-01"), "ack"))
        #expect((await waited).map { String(decoding: $0.payload, as: UTF8.self) } == "ack")

        let cancelled = Task { await queue.next() }
        try? await Task.sleep(for: .milliseconds(20))
        cancelled.cancel()
        #expect(await cancelled.value == nil)

        queue.push(message(topics.receiverEvents("rx-dong-01"), "held"))
        queue.finish()
        #expect(await queue.next() != nil)
        #expect(await queue.next() == nil)
        queue.push(message(topics.receiverEvents("rx-dong-01"), "after"))
        #expect(await queue.next() == nil)
    }
}
